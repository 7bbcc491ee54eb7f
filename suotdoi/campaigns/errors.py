from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import Conflict, ValidationFailed


class CheckInRefused(ValidationFailed):
    code = "check_in_refused"
    default_message = _("This check-in code is not valid.")


class NotLaunchable(Conflict):
    code = "not_launchable"
    default_message = _("Only a draft campaign can be launched.")


class CampaignClosed(Conflict):
    code = "campaign_closed"
    default_message = _("The campaign is closed.")


class ReflectionLocked(Conflict):
    code = "reflection_locked"
    default_message = _("Your reflection is with the unit; you can change it if it is returned.")


class NotSubmitted(Conflict):
    code = "reflection_not_submitted"
    default_message = _("This reflection is not waiting for review.")

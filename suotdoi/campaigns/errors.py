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

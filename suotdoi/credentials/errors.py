from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import Conflict, ValidationFailed


class IssuingOff(Conflict):
    code = "issuing_off"
    default_message = _("This unit does not issue credentials yet.")


class AlreadyRevoked(Conflict):
    code = "already_revoked"
    default_message = _("This credential is already revoked.")


class EntryNotVerified(Conflict):
    code = "entry_not_verified"
    default_message = _("Only verified learning can be turned into a credential.")


class NotEndorsable(ValidationFailed):
    code = "not_endorsable"
    default_message = _("A unit can endorse only achievements of units below it.")

from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import Conflict, ValidationFailed


class InvalidEntry(ValidationFailed):
    code = "invalid_entry"
    default_message = _("This learning entry is not valid.")


class EntryLocked(Conflict):
    code = "entry_locked"
    default_message = _("A verified entry cannot be changed; add a correction instead.")


class NotPending(Conflict):
    code = "not_pending"
    default_message = _("This entry is not waiting for verification.")

from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import ApplicationError, Conflict, ValidationFailed


class UnitCodeTaken(Conflict):
    code = "unit_code_taken"
    default_message = _("Another unit in this tree already uses this code.")


class InvalidMove(ValidationFailed):
    code = "invalid_move"
    default_message = _("A unit cannot be moved there.")


class InvalidMerge(ValidationFailed):
    code = "invalid_merge"
    default_message = _("These units cannot be merged.")


class InvalidDate(ValidationFailed):
    code = "invalid_date"
    default_message = _("The effective date cannot be in the future.")


class ImportRejected(ApplicationError):
    code = "import_rejected"
    status = 422
    default_message = _("This file cannot be imported.")


class InvitationClosed(Conflict):
    code = "invitation_closed"
    default_message = _("This invitation has already been answered or withdrawn.")

from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import Conflict, ValidationFailed


class NotPublishable(ValidationFailed):
    code = "not_publishable"
    default_message = _("This course cannot be published yet.")


class BadUpload(ValidationFailed):
    code = "bad_upload"
    default_message = _("This file cannot be used.")


class NoAttemptsLeft(Conflict):
    code = "no_attempts_left"
    default_message = _("You have used every attempt at this quiz.")


class NotEnrolled(Conflict):
    code = "not_enrolled"
    default_message = _("Enrol in the course first.")

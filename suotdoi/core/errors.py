"""One error hierarchy for domain failures.

Actions raise an `ApplicationError` subclass with a code and a translated message; views show
the message, the API renders it as RFC 9457 problem+json with the code as the `type` suffix.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A failure the user can understand and act on."""

    code: str = "error"
    status: int = 400
    default_message: Any = _("The request could not be completed.")

    def __init__(self, message: Any = None, *, code: str | None = None, **extra: Any) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.extra = extra
        super().__init__(str(self.message))


class NotFound(ApplicationError):
    """Absent or not visible to the actor: both look the same from outside."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(ApplicationError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 422
    default_message = _("Some of the data is not valid.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state.")

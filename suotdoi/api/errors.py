"""RFC 9457 problem+json for every API error."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from suotdoi.core.errors import ApplicationError
from suotdoi.core.jsonio import BadJSON
from suotdoi.core.problems import problem


def install(api) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError):
        return problem(exc.status, exc.code, str(exc.message), **exc.extra)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc):
        return problem(404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc):
        return problem(401, "unauthenticated", _("Sign in first."))

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError):
        return problem(422, "invalid", _("Some of the data is not valid."), errors=exc.errors)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, BadJSON):
            return problem(400, "malformed", _("The body is not valid."), detail=str(cause.message))
        if exc.status_code == 400 and cause is not None:
            return problem(400, "malformed", _("The body is not valid."), detail=str(cause)[:300])
        return problem(exc.status_code, "http_error", str(exc))

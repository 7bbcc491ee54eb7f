from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from suotdoi.core.errors import ApplicationError


class TooManyRequests(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests for this token: slow down.")


class PersonSession(SessionAuth):
    """Cookie session of a signed-in person (CSRF checked on writes)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer …`: a personal access token (`sdt_…`) or an access token from
    the client credentials grant (`sda_…`). The caller acts as the token's owner, only inside
    the token's unit subtree and for its capabilities."""

    def authenticate(self, request, token):
        from django.conf import settings

        from suotdoi.core import ratelimit

        from .tokens import authenticate_bearer

        known = getattr(request, "_suotdoi_bearer", None)
        person = known[1] if known and known[0] == token else authenticate_bearer(token)
        if person is None:
            return None
        row = person._suotdoi_token
        per_minute = getattr(settings, "API_TOKEN_REQUESTS_PER_MINUTE", 600)
        if not ratelimit.allow(f"api-token:{row.pk}", per_minute, 60):
            raise TooManyRequests()
        request.user = person
        return person

from suotdoi.core.clients import client_ip

from .context import RequestOrigin, current_origin


class AuditContextMiddleware:
    """Remember the client's address and browser so actions can audit "from where"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(
            RequestOrigin(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)

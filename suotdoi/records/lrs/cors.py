"""Cross-origin access to /xapi/ for content running in a browser (Storyline, Rise, Captivate,
iSpring, H5P, cmi5 courses served from another site).

Each LRS client lists the origins its content is served from (or allows any origin, for
public content). A preflight carries no credentials, so it is answered for an origin that some
active client allows; the real request is answered with `Access-Control-Allow-Origin` only when
the client whose credentials it carries allows that origin, so a page can never read answers
given to another tool's key. Why our own code rather than django-cors-headers: the decision
depends on which client authenticated, which that library (settings or a per-request signal
before the view) cannot see.
"""

from __future__ import annotations

import time

ALLOW_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
ALLOW_HEADERS = (
    "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, "
    "Accept-Language, X-Requested-With"
)
EXPOSE_HEADERS = (
    "ETag, Last-Modified, X-Experience-API-Consistent-Through, X-Experience-API-Version, "
    "Content-Type, Content-Length"
)
PREFLIGHT_MAX_AGE = "600"
_CACHE_SECONDS = 30
_known: tuple[float, bool, frozenset[str]] | None = None


def _origins() -> tuple[bool, frozenset[str]]:
    """(some client allows any origin, the origins some client lists), kept 30 s a process."""
    global _known
    now = time.monotonic()
    if _known is not None and _known[0] > now:
        return _known[1], _known[2]
    from .models import LrsClient

    any_origin, listed = False, set()
    for a, origins in LrsClient.objects.filter(revoked_at__isnull=True).values_list(
        "any_origin", "allowed_origins"
    ):
        any_origin = any_origin or a
        listed.update(o for o in origins or [] if isinstance(o, str))
    _known = (now + _CACHE_SECONDS, any_origin, frozenset(listed))
    return any_origin, frozenset(listed)


def forget_origins() -> None:
    global _known
    _known = None


def some_client_allows(origin: str) -> bool:
    any_origin, listed = _origins()
    return any_origin or origin in listed


def preflight(request):
    from django.http import HttpResponse

    response = HttpResponse(status=204)
    origin = request.headers.get("Origin")
    if origin and some_client_allows(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    response["Vary"] = "Origin"
    return response


def decorate(request, response, client=None, *, public: bool = False):
    """Let the page read the answer when its origin is allowed: by the client that made the
    request, or (before any client is known: an error about credentials) by some client."""
    origin = request.headers.get("Origin")
    response["Vary"] = "Origin"
    if not origin:
        return response
    allowed = public or (
        client.allows_origin(origin) if client is not None else some_client_allows(origin)
    )
    if allowed:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def clean_origin(text: str) -> str | None:
    """An origin as a browser sends it ("https://host[:port]"), or None."""
    from urllib.parse import urlsplit

    text = text.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    host = parts.hostname.lower()
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")

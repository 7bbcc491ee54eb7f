"""Who is calling: the client's address, read the same way by every rate limit and audit row.

Behind the load balancer described in docs/operations.md the socket address is the balancer's;
the client's is the entry that the trusted proxies added to `X-Forwarded-For`. How many proxies
are trusted is one setting, `TRUSTED_PROXY_COUNT` (environment variable of the same name),
which allauth's sign-in limits read too (as `ALLAUTH_TRUSTED_PROXY_COUNT`).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address; never a value the client itself could choose."""
    count = int(getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0)
    ip = None
    if count > 0:
        parts = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        parts = [p for p in parts if p]
        # Each trusted proxy appends the address it saw: the client's is `count` from the end.
        if len(parts) >= count:
            ip = parts[-count]
    ip = ip or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None

"""Requests this server makes to addresses someone else chose (webhook receivers, browsers'
push services): https only, never into our own network, and sent to the very address that
was checked, so a DNS answer that changes after the check (rebinding) cannot point inside."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _


def checked_address(
    url: str, *, allow_http: bool = False, allow_private: bool = False
) -> tuple[str | None, str | None]:
    """(why `url` may not be called, the address it was checked at). `allow_http` and
    `allow_private` are for tests that run the receiver on 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("The address must start with https://."), None
    if parts.scheme == "http" and not allow_http:
        return _("The address must start with https://."), None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return _("That address cannot be found."), None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if not ip.is_global and not allow_private:
            return _("That address is inside a private network."), None
    return None, infos[0][4][0]


def post_pinned(url: str, ip: str, body: bytes, headers: dict, *, timeout: float):
    """POST to `url` over a connection to `ip`: the Host header, TLS name (SNI) and the
    certificate check stay those of the URL's host. No proxy from the environment, no
    redirects followed."""
    import requests
    from requests.adapters import HTTPAdapter

    parts = urlsplit(url)
    host = parts.hostname

    class Pinned(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            if parts.scheme == "https":
                kwargs["server_hostname"] = host
                kwargs["assert_hostname"] = host
            super().init_poolmanager(*args, **kwargs)

    literal = f"[{ip}]" if ":" in ip else ip
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    target = parts._replace(netloc=netloc).geturl()
    with requests.Session() as session:
        session.trust_env = False
        session.mount(f"{parts.scheme}://", Pinned())
        return session.post(
            target,
            data=body,
            headers={**headers, "Host": parts.netloc.rsplit("@", 1)[-1]},
            timeout=timeout,
            allow_redirects=False,
        )

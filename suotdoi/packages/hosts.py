"""Where package content is served: a host that is not the platform's, so that a package's
scripts run in an origin that holds none of the platform's cookies and cannot read its pages.

Production names it (`SUOTDOI_PACKAGE_ORIGIN`, e.g. https://noidung.example.vn, a host that
shares no cookie domain with the platform). In development and tests the loopback names stand
in for each other: a page on 127.0.0.1 frames content from localhost and the other way
round — two hosts, two cookie jars."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.http import HttpResponseNotFound

CONTENT_PATHS = ("/pkg/", "/static/", "/xapi/", "/healthz")


def origin_of(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def content_origin(request) -> str:
    """The origin that serves content to pages of this request's host ("" when none can)."""
    configured = (getattr(settings, "PACKAGE_ORIGIN", "") or "").rstrip("/")
    if configured:
        return configured
    host = request.get_host()
    name, sep, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    other = (getattr(settings, "PACKAGE_ORIGIN_SWAP", {}) or {}).get(name)
    if not other:
        return ""
    return f"{request.scheme}://{other}{sep}{port}"


class ContentHostMiddleware:
    """On the content host only content answers: the player, package files, the xAPI
    endpoint cmi5 content talks to, static files. Everything else is 404 there."""

    def __init__(self, get_response):
        self.get_response = get_response
        configured = (getattr(settings, "PACKAGE_ORIGIN", "") or "").rstrip("/")
        self.host = urlsplit(configured).netloc.lower() if configured else ""

    def __call__(self, request):
        if request.path_info.startswith("/xapi//"):
            # cmi5 libraries join the endpoint and the resource with a slash of their own:
            # ".../xapi//activities/state" is the same resource.
            request.path_info = re.sub("/{2,}", "/", request.path_info)
        on_content_host = self.host and request.get_host().lower() == self.host
        if on_content_host and not request.path.startswith(CONTENT_PATHS):
            return HttpResponseNotFound("not here")
        return self.get_response(request)


@register(deploy=True)
def check_package_origin(app_configs, **kwargs):
    from django.core.checks import Error

    if settings.DEBUG:
        return []
    configured = getattr(settings, "PACKAGE_ORIGIN", "")
    if not configured:
        return [
            CheckWarning(
                "SUOTDOI_PACKAGE_ORIGIN is not set: e-learning packages cannot be played.",
                hint="Name a host outside the platform's cookie domain, e.g. https://noidung.example.vn",
                id="packages.W001",
            )
        ]
    host = (urlsplit(configured).hostname or "").lower()
    platform = (urlsplit(settings.PUBLIC_URL).hostname or "").lower()
    cookie_domain = (settings.SESSION_COOKIE_DOMAIN or "").lower().lstrip(".")
    if (
        urlsplit(configured).scheme != "https"
        or host == platform
        or (cookie_domain and (host == cookie_domain or host.endswith("." + cookie_domain)))
    ):
        return [
            Error(
                "SUOTDOI_PACKAGE_ORIGIN must be an https host that does not receive the "
                "platform's cookies (not the platform's host, not under SESSION_COOKIE_DOMAIN).",
                id="packages.E001",
            )
        ]
    return []

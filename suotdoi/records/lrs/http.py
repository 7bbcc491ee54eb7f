"""Request helpers: version negotiation, the 1.0.3 alternate request syntax, responses."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs

from django.http import HttpResponse, JsonResponse

from suotdoi.core.jsonio import parse_json

SUPPORTED = re.compile(r"^(1\.0(\.[0-3])?|2\.0(\.0)?)$")
LATEST = "2.0.0"


class XapiRequest:
    """What the views need, whether the client used plain HTTP or the alternate syntax."""

    def __init__(self, request):
        self.django = request
        self.method = request.method
        self.params = dict(request.GET.items())
        self.headers = {k.lower(): v for k, v in request.headers.items()}
        self.body = request.body
        self.alternate = False

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def version(self) -> str:
        return self.header("X-Experience-API-Version") or ""

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


def parse_alternate(xr: XapiRequest) -> str | None:
    """xAPI 1.0.3 "alternate request syntax": POST ?method=X with headers and content as form
    fields. Returns an error message, or None when done (or not used)."""
    method = xr.params.get("method")
    if method is None:
        return None
    if xr.method != "POST":
        return "method= is only allowed on POST"
    if set(xr.params) != {"method"}:
        return "with method=, every other parameter goes in the form body"
    if xr.content_type != "application/x-www-form-urlencoded":
        return "the alternate syntax needs an application/x-www-form-urlencoded body"
    form = {
        k: v[0]
        for k, v in parse_qs(xr.body.decode("utf-8", "replace"), keep_blank_values=True).items()
    }
    method = method.upper()
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        return "unknown method"
    xr.method = method
    xr.alternate = True
    header_names = {
        "authorization",
        "x-experience-api-version",
        "content-type",
        "content-length",
        "if-match",
        "if-none-match",
    }
    for key in list(form):
        if key.lower() in header_names:
            xr.headers[key.lower()] = form.pop(key)
    content = form.pop("content", "")
    xr.body = content.encode()
    xr.params = form
    if "content-type" not in xr.headers or xr.content_type == "application/x-www-form-urlencoded":
        xr.headers["content-type"] = "application/json"
    return None


def respond(
    status: int = 200, body=None, *, content_type="application/json", headers=None, version=LATEST
) -> HttpResponse:
    if body is None:
        response = HttpResponse(status=status)
    elif isinstance(body, bytes | str):
        response = HttpResponse(body, status=status, content_type=content_type)
    else:
        response = JsonResponse(
            body, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
        )
    response["X-Experience-API-Version"] = version
    for k, v in (headers or {}).items():
        response[k] = v
    return response


def error(status: int, message: str, version: str = LATEST) -> HttpResponse:
    return respond(status, {"error": {"code": status, "message": message}}, version=version)


# Extensions may nest; no real content nests this deep.
LRS_MAX_DEPTH = 100


def load_json(raw: bytes):
    """Strict JSON (core.jsonio): no lone surrogates, no repeated keys, bounded nesting, so
    nothing stored can break a later read. BadJSON is a ValueError."""
    return parse_json(raw, max_depth=LRS_MAX_DEPTH)


def moment(value: str, name: str) -> dt.datetime:
    """A `since`/`until` parameter as an aware datetime (UTC when it names no offset)."""
    from .validation import Invalid, timestamp

    timestamp(value, name)
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{name}: is not a timestamp") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)

"""One strict reader for every JSON body we accept and may store.

Python's `json` accepts things that later break reads: a lone surrogate escape (`"\\ud800"`)
becomes a string that cannot be written back as UTF-8 (PostgreSQL refuses it, a page or a
statement list that shows it answers 500), thousands of nested levels exhaust the recursion
limit of whoever walks the value next, `NaN` is not JSON, and a repeated key silently keeps the
last value. `parse_json` refuses all of these with `BadJSON`, whose message says which.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_DEPTH = 64


class BadJSON(ValueError):
    def __init__(self, message, code: str = "malformed") -> None:
        self.message = message
        self.code = code
        super().__init__(str(message))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise BadJSON(_("The key “%(key)s” appears twice.") % {"key": key[:80]}, "duplicate")
        out[key] = value
    return out


def _refuse_constant(name: str):
    raise BadJSON(_("%(name)s is not a JSON number.") % {"name": name}, "malformed")


def _depth_before_parsing(text: str, limit: int) -> None:
    """Count brackets outside strings, so a 100,000-level document never reaches the parser."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                raise BadJSON(
                    _("The JSON is nested more than %(n)s levels deep.") % {"n": limit}, "too_deep"
                )
        elif ch in "]}":
            depth -= 1


def check_text(value: Any) -> None:
    """Every string (keys too) in a parsed value must be encodable as UTF-8."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise BadJSON(
                    _("The JSON holds text that is not valid Unicode (a lone surrogate)."),
                    "bad_unicode",
                ) from None
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def parse_json(raw: bytes | str, *, max_depth: int = MAX_DEPTH, want_object: bool = False) -> Any:
    if isinstance(raw, bytes | bytearray | memoryview):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise BadJSON(_("The body is not UTF-8 text."), "bad_unicode") from None
    else:
        text = raw
    if text.startswith("\ufeff"):
        text = text[1:]
    _depth_before_parsing(text, max_depth)
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise BadJSON(
            _("The body is not valid JSON (line %(line)s, column %(col)s).")
            % {"line": e.lineno, "col": e.colno},
            "malformed",
        ) from None
    except RecursionError:
        raise BadJSON(_("The JSON is nested too deeply."), "too_deep") from None
    check_text(value)
    if want_object and not isinstance(value, dict):
        raise BadJSON(_("The body must be a JSON object."), "not_object")
    return value


def parse_json_body(request, *, max_bytes: int) -> dict:
    """A request's body as a JSON object, refused whole when larger than `max_bytes`."""
    if len(request.body) > max_bytes:
        raise BadJSON(_("The request is too large."), "too_large")
    return parse_json(request.body, want_object=True)

"""Field types for API schemas that apply the same rules as the forms."""

from __future__ import annotations

import datetime as _dt
import unicodedata
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import AfterValidator, BeforeValidator, Field, Strict, StringConstraints

from .text import clean_name, plain_text_problem


def _plain(value: str) -> str:
    value = clean_name(value)
    problem = plain_text_problem(value)
    if problem == "markup":
        raise ValueError("remove the characters < > { }")
    if problem == "control":
        raise ValueError("remove control characters")
    return value


def _email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("not an email address") from None
    return value.lower()


def _text(value: str) -> str:
    """Longer text (a summary, a lesson's body): any characters but control ones; lines and
    tabs are kept."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\r\t" for ch in value):
        raise ValueError("remove control characters")
    return value.strip()


def _url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValueError("not an http(s) address") from None
    return value


# The rules are also written into the OpenAPI document as patterns (json_schema_extra: the
# validators above still give the error's words), so that clients and generators know them.
PlainText = Annotated[
    str,
    Field(json_schema_extra={"pattern": "^[^<>{}\\u0000-\\u001f\\u007f]*$"}),
    AfterValidator(_plain),
]
Text = Annotated[
    str,
    Field(
        json_schema_extra={"pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"}
    ),
    AfterValidator(_text),
]
# An http(s) address, or empty.
WebUrl = Annotated[
    str,
    StringConstraints(max_length=500),
    Field(json_schema_extra={"pattern": "^(https?://[^\\s/]+\\S*)?$"}),
    AfterValidator(_url),
]
Email = Annotated[str | None, AfterValidator(_email)]
# Codes and keys: printable ASCII without spaces (no NUL or control characters can reach a
# query; PostgreSQL refuses NUL in text).
Code = Annotated[str, StringConstraints(pattern=r"^[!-~]+$", max_length=80)]


def form_data_or_422(form) -> dict:
    """Run a page's form on API data, so both apply the same rules; its errors become one 422
    problem listing each field's messages."""
    from .errors import ValidationFailed

    if not form.is_valid():
        raise ValidationFailed(
            errors=[
                {"field": name, "errors": [str(m) for m in messages]}
                for name, messages in form.errors.items()
            ]
        )
    return dict(form.cleaned_data)


# A row's id in a body or a query: a positive integer a database column can hold (a huge
# number is a 422, not an overflow in SQLite).
Id = Annotated[int, Strict(), Field(ge=1, le=2**53)]
# Numbers and yes/no in a JSON body are JSON numbers and true/false: "5", 5.0 or 0 are refused
# rather than quietly read as 5 or false (what the document says is what is accepted).
Int = Annotated[int, Strict()]
# An id in a query string (text by nature, so not strict).
QueryId = Annotated[int, Field(ge=1, le=2**53)]
Flag = Annotated[bool, Strict()]


def _text_only(value):
    """Dates travel as ISO 8601 text: a bare number (0, a timestamp) is refused rather than
    read as 1 January 1970."""
    if isinstance(value, str | _dt.date):
        return value
    raise ValueError("an ISO 8601 date or date-time, as text")


def _real_offset(value: _dt.datetime) -> _dt.datetime:
    """Time zones on Earth are within ±14 hours of UTC (PostgreSQL refuses beyond ±15:59:
    "+17:09" was a server error)."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > _dt.timedelta(hours=14):
        raise ValueError("a time zone offset within ±14:00")
    return value


Date = Annotated[_dt.date, BeforeValidator(_text_only)]
DateTime = Annotated[_dt.datetime, BeforeValidator(_text_only), AfterValidator(_real_offset)]

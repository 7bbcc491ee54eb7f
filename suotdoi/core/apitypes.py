"""Field types for API schemas that apply the same rules as the forms."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, StringConstraints

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


PlainText = Annotated[str, AfterValidator(_plain)]
Email = Annotated[str | None, AfterValidator(_email)]
# Codes and keys: printable ASCII without spaces (no NUL or control characters can reach a
# query; PostgreSQL refuses NUL in text).
Code = Annotated[str, StringConstraints(pattern=r"^[!-~]+$", max_length=80)]

"""Sections other capabilities add to a person's own record page (titles, commendations…),
without the record knowing them: they register a callable(person) → HTML or None."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

_providers: list[Callable[..., SafeString | None]] = []


def register_record_panel(provider: Callable[..., SafeString | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def record_panels(*, person) -> list[SafeString]:
    return [html for p in _providers if (html := p(person=person))]

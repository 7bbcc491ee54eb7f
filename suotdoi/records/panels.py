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


# Sections other capabilities add to the assisted-use page of one member (sessions to check
# them in to, self-assessments to fill): callable(request, membership) → HTML or None (the
# request, so their forms carry the CSRF token). Shown only while the member's consent stands;
# each action checks it again.
_assist: list[Callable[..., SafeString | None]] = []


def register_assist_panel(provider: Callable[..., SafeString | None]) -> None:
    if provider not in _assist:
        _assist.append(provider)


def assist_panels(*, request, membership) -> list[SafeString]:
    return [html for p in _assist if (html := p(request=request, membership=membership))]

"""Panels other capabilities add to a unit's page, without the unit page knowing them."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

_providers: list[Callable[..., SafeString | None]] = []


def register_unit_panel(provider: Callable[..., SafeString | None]) -> None:
    """`provider(unit=…, actor=…, member_total=…)` returns rendered HTML or None."""
    _providers.append(provider)


def unit_panels(*, unit, actor, member_total: int) -> list[SafeString]:
    panels = []
    for provider in _providers:
        html = provider(unit=unit, actor=actor, member_total=member_total)
        if html:
            panels.append(html)
    return panels

"""What expires, and when: each capability registers its own rule; `manage.py retention`
(run daily, see docs/operations.md) applies them all and says what it removed."""

from __future__ import annotations

from collections.abc import Callable

_rules: list[tuple[str, Callable[[], int]]] = []


def register_retention(name: str, rule: Callable[[], int]) -> None:
    """`rule()` removes what has expired and returns how many things it removed."""
    if all(n != name for n, _r in _rules):
        _rules.append((name, rule))


def apply_retention() -> dict[str, int]:
    return {name: rule() for name, rule in _rules}

"""The register of consents: every purpose for which a person's data is processed on their
consent (public standings, sharing their record with an employer, public credential links,
learning tools, officers acting for them, …), gathered on one page (/profile/consents/) where
each can be withdrawn.

Each capability keeps its own consent where it acts on it, and registers a source here:
`items(person)` lists what the person agreed to, `withdraw(actor, item_id)` runs that
capability's own action (which checks ownership and writes the audit row). Capabilities added
later (public learning stories…) register theirs the same way and must consult their own
consent before publishing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConsentItem:
    id: int
    what: str
    since: dt.datetime | dt.date | None = None
    manage_url: str = ""


@dataclass
class ConsentSource:
    key: str
    purpose: str  # a lazy translated string
    items: Callable[..., list[ConsentItem]]
    withdraw: Callable[..., None] | None = None
    how_to_give: str = ""
    found: list[ConsentItem] = field(default_factory=list)

    @property
    def can_withdraw(self) -> bool:
        # (templates call callables, so they test this rather than `withdraw`)
        return self.withdraw is not None


_sources: dict[str, ConsentSource] = {}


def register_consent_source(
    key: str,
    *,
    purpose,
    items: Callable[..., list[ConsentItem]],
    withdraw: Callable[..., None] | None = None,
    how_to_give="",
) -> None:
    _sources[key] = ConsentSource(key, purpose, items, withdraw, how_to_give)


def consent_sources() -> list[ConsentSource]:
    return list(_sources.values())


def consents_of(person) -> list[ConsentSource]:
    """Every registered purpose, with what the person currently agrees to under it."""
    out = []
    for s in _sources.values():
        out.append(
            ConsentSource(
                s.key, s.purpose, s.items, s.withdraw, s.how_to_give, list(s.items(person=person))
            )
        )
    return out


def consent_withdraw(*, actor, key: str, item_id: int) -> None:
    """Withdraw one consent through the capability that holds it. Unknown keys, items of
    someone else and sources without a direct withdrawal raise NotFound."""
    from suotdoi.core.errors import NotFound

    source = _sources.get(key)
    if source is None or source.withdraw is None:
        raise NotFound()
    if all(i.id != item_id for i in source.items(person=actor)):
        raise NotFound()
    source.withdraw(actor=actor, item_id=item_id)

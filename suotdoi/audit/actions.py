"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from suotdoi.core import fastsql

from .context import current_origin
from .models import AuditEvent

_listeners: list = []


def register_audit_listener(listener) -> None:
    """`listener(events)` is told of every row written, inside the writing transaction (to
    defer work to after commit, it uses transaction.on_commit). Webhooks listen here."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell(events: list[AuditEvent]) -> None:
    for listener in _listeners:
        listener(events)


def audit_log(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    unit: Any = None,
    data: dict[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> AuditEvent:
    """Append one row. Call inside the action's transaction so both land or neither does."""
    return audit_log_each(
        [
            {
                "actor": actor,
                "verb": verb,
                "target": target,
                "unit": unit,
                "data": data,
                "on_behalf_of": on_behalf_of,
            }
        ]
    )[0]


def audit_log_each(entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Several rows, each described by `audit_log`'s arguments, written in one statement
    (one action that does two things: a spend enrols, then holds credit)."""
    origin = current_origin.get()
    events = []
    for e in entries:
        target, unit, actor = e.get("target"), e.get("unit"), e.get("actor")
        events.append(
            AuditEvent(
                actor=actor if getattr(actor, "pk", None) else None,
                on_behalf_of=e.get("on_behalf_of"),
                verb=e["verb"],
                target_type=target._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
                target_repr=str(target)[:300] if target is not None else "",
                unit_path=getattr(unit, "path", "") or "",
                data=e.get("data") or {},
                ip=origin.ip,
                user_agent=origin.user_agent,
            )
        )
    fastsql.insert(events)
    _tell(events)
    return events


def audit_log_many(
    *,
    actor: Any,
    verb: str,
    targets: list[models.Model],
    unit: Any = None,
    data_for=None,
    on_behalf_of_for=None,
    actor_for=None,
) -> int:
    """One row per target, written in one statement (for batch actions). `actor_for(target)`
    names a different actor per row (each member's own check-in, settled together)."""
    origin = current_origin.get()
    rows = [
        AuditEvent(
            actor=actor_for(t) if actor_for else (actor if getattr(actor, "pk", None) else None),
            on_behalf_of=on_behalf_of_for(t) if on_behalf_of_for else None,
            verb=verb,
            target_type=t._meta.label_lower,
            target_id=str(t.pk),
            target_repr=str(t)[:300],
            unit_path=getattr(unit, "path", "") or "",
            data=data_for(t) if data_for else {},
            ip=origin.ip,
            user_agent=origin.user_agent,
        )
        for t in targets
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    _tell(rows)
    return len(rows)

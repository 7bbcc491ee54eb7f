"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from .context import current_origin
from .models import AuditEvent


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
    origin = current_origin.get()
    target_type = target_id = target_repr = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:300]
    unit_path = getattr(unit, "path", "") or ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        unit_path=unit_path,
        data=data or {},
        ip=origin.ip,
        user_agent=origin.user_agent,
    )

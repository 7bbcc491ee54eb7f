from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_recent(*, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor", "on_behalf_of")[:limit]


def audit_events_for_subtree(*, path: str, limit: int = 20) -> QuerySet[AuditEvent]:
    """Events tied to a unit or anything below it (paths share the prefix)."""
    return AuditEvent.objects.filter(unit_path__startswith=path).select_related(
        "actor", "on_behalf_of"
    )[:limit]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "suotdoi.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from suotdoi.core.retention import register_retention

        register_retention("audit rows (5 years)", _expire_old_events)


AUDIT_YEARS = 5


def _expire_old_events() -> int:
    """Rows older than five years go: the only deletion the append-only log allows."""
    import datetime as dt

    from django.db import connection
    from django.db.models import QuerySet
    from django.utils import timezone

    from suotdoi.core import partitions

    from .models import AuditEvent

    cutoff = timezone.now() - dt.timedelta(days=365 * AUDIT_YEARS + 1)
    n = 0
    if partitions.supported():
        # Whole months past the cutoff leave as tables dropped, not as rows deleted one by one.
        with connection.cursor() as cur:
            n = partitions.drop_before(cur, AuditEvent._meta.db_table, cutoff)
    old = AuditEvent.objects.filter(at__lt=cutoff)
    left = old.count()
    if left:
        QuerySet.delete(old)
    return n + left

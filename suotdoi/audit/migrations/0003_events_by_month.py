"""The audit log partitioned by month of `at` on PostgreSQL (ADR 0003): old months leave
whole (retention drops them; an archive detaches them). On SQLite it stays one table."""

from django.db import migrations
from django.utils import timezone

from suotdoi.core import partitions


def partition(apps, schema_editor):
    if not partitions.supported(schema_editor.connection):
        return
    with schema_editor.connection.cursor() as cursor:
        partitions.convert(cursor, "audit_auditevent", "at", now=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_actor_links"),
    ]

    operations = [migrations.RunPython(partition)]

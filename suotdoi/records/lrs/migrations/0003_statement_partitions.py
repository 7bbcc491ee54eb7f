"""Statements and their index tables partitioned by month of `stored` on PostgreSQL (ADR 0003).

A statement id's uniqueness moves to lrs_statementid (PostgreSQL keeps a unique index only
inside one partition); the index tables get the statement's `stored` to be partitioned by, and
their foreign key to the statement becomes the code's (a database key cannot point into a
partitioned table by `seq` alone). On SQLite the tables stay single tables.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from suotdoi.core import partitions

PARTITIONED = (
    ("lrs_statement", "stored"),
    ("lrs_statementagent", "stored"),
    ("lrs_statementactivity", "stored"),
)


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO lrs_statementid (statement_id, stored) "
            "SELECT statement_id, stored FROM lrs_statement"
        )
        for table in ("lrs_statementagent", "lrs_statementactivity"):
            cursor.execute(
                f"UPDATE {table} SET stored = (SELECT s.stored FROM lrs_statement s "  # noqa: S608
                f"WHERE s.seq = {table}.statement_id)"
            )


def partition(apps, schema_editor):
    if not partitions.supported(schema_editor.connection):
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in PARTITIONED:
            partitions.convert(cursor, table, column, now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("lrs", "0002_attempts_and_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatementId",
            fields=[
                ("statement_id", models.UUIDField(primary_key=True, serialize=False)),
                ("stored", models.DateTimeField()),
            ],
        ),
        migrations.AlterField(
            model_name="statement",
            name="statement_id",
            field=models.UUIDField(db_index=True),
        ),
        migrations.AddField(
            model_name="statementagent",
            name="stored",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="statementactivity",
            name="stored",
            field=models.DateTimeField(null=True),
        ),
        migrations.AlterField(
            model_name="statementagent",
            name="statement",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="agents",
                to="lrs.statement",
            ),
        ),
        migrations.AlterField(
            model_name="statementactivity",
            name="statement",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activities",
                to="lrs.statement",
            ),
        ),
        migrations.RunPython(fill, elidable=False),
        migrations.AlterField(
            model_name="statementagent",
            name="stored",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="statementactivity",
            name="stored",
            field=models.DateTimeField(),
        ),
        migrations.RunPython(partition),
    ]

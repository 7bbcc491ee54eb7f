"""A full-text index on titles alone (PostgreSQL): the first tier of the ranking reads it."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX catalog_searchdoc_title_fts ON catalog_searchdoc "
            "USING gin (to_tsvector('simple', title_folded))"
        )


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_searchdoc_title_fts")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]
    operations = [migrations.RunPython(up, down)]

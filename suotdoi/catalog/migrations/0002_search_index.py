"""The full-text side of the search index: a GIN index on PostgreSQL, an FTS5 mirror table
kept by triggers on SQLite. Both read the folded columns of catalog_searchdoc."""

from django.db import migrations

PG_UP = """
CREATE INDEX catalog_searchdoc_fts ON catalog_searchdoc
USING gin (to_tsvector('simple', title_folded || ' ' || body_folded));
"""
PG_DOWN = "DROP INDEX IF EXISTS catalog_searchdoc_fts;"

SQLITE_UP = [
    """CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        title_folded, body_folded, content='catalog_searchdoc', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER catalog_searchdoc_ai AFTER INSERT ON catalog_searchdoc BEGIN
        INSERT INTO catalog_search_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded); END""",
    """CREATE TRIGGER catalog_searchdoc_ad AFTER DELETE ON catalog_searchdoc BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded); END""",
    """CREATE TRIGGER catalog_searchdoc_au AFTER UPDATE ON catalog_searchdoc BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded);
        INSERT INTO catalog_search_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS catalog_searchdoc_au",
    "DROP TRIGGER IF EXISTS catalog_searchdoc_ad",
    "DROP TRIGGER IF EXISTS catalog_searchdoc_ai",
    "DROP TABLE IF EXISTS catalog_search_fts",
]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(up, down)]

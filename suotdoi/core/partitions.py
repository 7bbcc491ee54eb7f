"""Monthly range partitions on PostgreSQL for the tables that grow without bound (the LRS's
statements with their index tables, the audit log). ADR 0003 and docs/operations.md.

A partitioned table has one partition per calendar month (UTC) of its time column, named
`<table>_pYYYYMM`, and a `<table>_default` partition that catches a row whose month has no
partition yet (a clock far off, a daily job that did not run) so that no write is ever refused.
`ensure_months` creates months ahead and moves any such rows out of the default partition;
`detach_before` takes whole old months out of the table (they stay as plain tables, to dump and
drop) and `drop_before` removes them.

On SQLite (small installs) nothing here does anything: the tables stay single tables and the
code that reads and writes them does not depend on partitions.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection as default_connection

MONTHS_AHEAD = 3


def supported(connection=None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def month_start(moment: dt.datetime | dt.date) -> dt.datetime:
    return dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)


def next_month(start: dt.datetime) -> dt.datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def month_partition(table: str, start: dt.datetime) -> str:
    return f"{table}_p{start:%Y%m}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def partitioned_tables(cursor) -> dict[str, str]:
    """Every partitioned table of the schema → its partitioning column."""
    cursor.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_partitioned_table p
        JOIN pg_class c ON c.oid = p.partrelid
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE pg_table_is_visible(c.oid)
        ORDER BY c.relname
        """
    )
    return dict(cursor.fetchall())


def months(cursor, table: str) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The month partitions attached to `table`: (name, from, to), oldest first."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = %s::regclass
        """,
        [table],
    )
    found = []
    for name, bound in cursor.fetchall():
        values = re.findall(r"'([^']+)'", bound)
        if len(values) == 2:
            lo, hi = (dt.datetime.fromisoformat(v).astimezone(dt.UTC) for v in values)
            found.append((name, lo, hi))
    return sorted(found, key=lambda m: m[1])


def ensure_months(cursor, table: str, column: str, first: dt.datetime, last: dt.datetime) -> list:
    """Monthly partitions from the month of `first` to the month of `last`, those missing
    created. Rows the default partition holds for a new month move into it in the same
    transaction. Returns the names created."""
    have = {name for name, _lo, _hi in months(cursor, table)}
    created = []
    start = month_start(first)
    while start <= last:
        end = next_month(start)
        name = month_partition(table, start)
        if name not in have:
            _create_month(cursor, table, column, name, start, end)
            created.append(name)
        start = end
    return created


def _create_month(cursor, table, column, name, start, end) -> None:
    default = f"{table}_default"
    bounds = f"FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {_q(default)} WHERE {_q(column)} >= %s AND "  # noqa: S608
        f"{_q(column)} < %s)",
        [start, end],
    )
    if not cursor.fetchone()[0]:
        cursor.execute(f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} FOR VALUES {bounds}")
        return
    # Rows arrived before their month existed: the month is filled as a plain table from the
    # default partition, then attached (PostgreSQL refuses a new partition whose rows the
    # default partition still holds).
    cursor.execute(
        f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE)"
    )
    cursor.execute(
        f"WITH moved AS (DELETE FROM {_q(default)} WHERE {_q(column)} >= %s "  # noqa: S608
        f"AND {_q(column)} < %s RETURNING *) INSERT INTO {_q(name)} SELECT * FROM moved",
        [start, end],
    )
    cursor.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES {bounds}")


def ensure_ahead(cursor, *, now: dt.datetime, ahead: int = MONTHS_AHEAD) -> list:
    """The current month and `ahead` months after it, for every partitioned table."""
    last = month_start(now)
    for _ in range(ahead):
        last = next_month(last)
    created = []
    for table, column in partitioned_tables(cursor).items():
        created += ensure_months(cursor, table, column, now, last)
    return created


def detach_before(cursor, cutoff: dt.datetime, *, tables=None) -> list[str]:
    """Detach every month partition that ends on or before `cutoff` (whole months only). The
    detached tables keep their rows and names, for `pg_dump -t` and DROP."""
    detached = []
    for table in tables or partitioned_tables(cursor):
        for name, _lo, hi in months(cursor, table):
            if hi <= cutoff:
                cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
                detached.append(name)
    return detached


def drop_before(cursor, table: str, cutoff: dt.datetime) -> int:
    """Remove the month partitions of `table` that end on or before `cutoff`; rows removed."""
    removed = 0
    for name in detach_before(cursor, cutoff, tables=[table]):
        cursor.execute(f"SELECT COUNT(*) FROM {_q(name)}")  # noqa: S608
        removed += cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {_q(name)}")
    return removed


def convert(cursor, table: str, column: str, *, now: dt.datetime, drop_unique=()) -> None:
    """Turn a plain table into one partitioned by month of `column`, rows kept (a migration's
    step). The primary key gains the column (PostgreSQL needs the partition key in every
    unique index); unique indexes named in `drop_unique` go (their uniqueness must be kept
    elsewhere); other indexes, checks, foreign keys and the identity sequence carry over."""
    cursor.execute(
        """
        SELECT ci.relname, pg_get_indexdef(i.indexrelid), i.indisprimary, i.indisunique,
               ARRAY(SELECT a.attname FROM unnest(i.indkey) k
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k)
        FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
        """,
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign = cursor.fetchall()
    cursor.execute(
        "SELECT a.attname, pg_get_serial_sequence(%s, a.attname) FROM pg_attribute a "
        "WHERE a.attrelid = %s::regclass AND a.attidentity <> '' AND NOT a.attisdropped",
        [_q(table), table],
    )
    identity = cursor.fetchone()
    old = f"{table}__unpartitioned"
    cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
    cursor.execute(
        f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING IDENTITY "
        f"INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE ({_q(column)})"
    )
    cursor.execute(f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(table)} DEFAULT")
    cursor.execute(f"SELECT MIN({_q(column)}) FROM {_q(old)}")  # noqa: S608
    oldest = cursor.fetchone()[0] or now
    last = month_start(now)
    for _ in range(MONTHS_AHEAD):
        last = next_month(last)
    ensure_months(cursor, table, column, oldest, last)
    cursor.execute(f"INSERT INTO {_q(table)} OVERRIDING SYSTEM VALUE SELECT * FROM {_q(old)}")  # noqa: S608
    cursor.execute(f"DROP TABLE {_q(old)}")
    if identity:
        ident, old_sequence = identity
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_q(table), ident])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old_sequence.split('.')[-1]}")
        cursor.execute(
            f"SELECT setval(%s, COALESCE(MAX({_q(ident)}), 0) + 1, false) FROM {_q(table)}",  # noqa: S608
            [old_sequence],
        )
    pattern = re.compile(r" ON (ONLY )?\S+ USING ")
    for name, definition, primary, unique, columns in indexes:
        if primary:
            cols = ", ".join(_q(c) for c in (columns if column in columns else [*columns, column]))
            cursor.execute(
                f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} PRIMARY KEY ({cols})"
            )
            continue
        if unique and column not in columns:
            if name in drop_unique or set(columns) & set(drop_unique):
                continue
            raise ValueError(f"{name} is unique without {column}: say where it is kept instead")
        cursor.execute(pattern.sub(f" ON {_q(table)} USING ", definition, count=1))
    for name, definition in foreign:
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")

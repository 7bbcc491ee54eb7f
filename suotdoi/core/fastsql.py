"""Plain statements for the few paths where the ORM's own work is the cost (a spend, the
ledger, the audit log: about 0.7 ms of Python for each ORM query against 0.2 ms for a plain
one, measured in bench/funding.py). Values still go through each field's own preparation, so
defaults, `auto_now_add`, JSON and dates are written exactly as the ORM writes them, on
PostgreSQL and SQLite alike (both have INSERT … RETURNING)."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, Model, SmallAutoField

_PLANS: dict = {}


def _plan(model, conn) -> tuple[str, list, str]:
    """The statement's head and the fields it writes, worked out once per model."""
    plan = _PLANS.get((model, conn.alias))
    if plan is None:
        qn = conn.ops.quote_name
        fields = [
            f
            for f in model._meta.concrete_fields
            if not isinstance(f, AutoField | BigAutoField | SmallAutoField)
        ]
        columns = ", ".join(qn(f.column) for f in fields)
        head = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        plan = _PLANS[(model, conn.alias)] = (head, fields, qn(model._meta.pk.column))
    return plan


def insert(objs: list[Model], *, unless_conflict: bool = False) -> list[Model]:
    """Write these new instances of one model in one statement and give them their ids. No
    signals are sent and `save()` is not called: for models whose saving does nothing more
    than store the row. `unless_conflict` (one row): a row a unique constraint already holds
    is left as it is and nothing is returned (ON CONFLICT DO NOTHING; a concurrent insert is
    waited for)."""
    if not objs:
        return objs
    if unless_conflict and len(objs) != 1:
        raise ValueError("unless_conflict takes one row")
    model = type(objs[0])
    alias = router.db_for_write(model)
    conn = connections[alias]
    head, fields, pk = _plan(model, conn)
    params = []
    for obj in objs:
        if type(obj) is not model or obj.pk is not None:
            raise ValueError("insert() takes new rows of one model")
        params += [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with conn.cursor() as cur:
        tail = " ON CONFLICT DO NOTHING" if unless_conflict else ""
        cur.execute(f"{head}{', '.join([row] * len(objs))}{tail} RETURNING {pk}", params)
        ids = cur.fetchall()
    if unless_conflict and not ids:
        return []
    for obj, (pk_value,) in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = alias
    return objs


def moment(model, when):
    """A date and time as a plain statement on `model`'s database takes it (SQLite keeps
    them as text in UTC)."""
    return connections[router.db_for_write(model)].ops.adapt_datetimefield_value(when)


def rows(model, sql: str, params) -> list[tuple]:
    """A plain statement on the database that `model` is written to (inside the caller's
    transaction, where there is one)."""
    with connections[router.db_for_write(model)].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def changed(model, sql: str, params) -> int:
    """A plain UPDATE on `model`'s database; returns how many rows it changed."""
    with connections[router.db_for_write(model)].cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount

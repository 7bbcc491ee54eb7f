"""Monthly partitions of the statement store and the audit log (PostgreSQL), and the statement
id table that keeps ids unique across months and after archive (every database)."""

import datetime as dt
import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from suotdoi.audit.models import AuditEvent
from suotdoi.core import partitions
from suotdoi.core.retention import apply_retention
from suotdoi.records.lrs.models import Statement, StatementActivity, StatementAgent, StatementId
from tests.test_lrs import lrs, stmt  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's"
)
GROWING = ("lrs_statement", "lrs_statementagent", "lrs_statementactivity", "audit_auditevent")


def _partition_of(table: str, where: str, params) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE {where}", params)  # noqa: S608
        return cur.fetchone()[0]


def _move_to(statement_id: str, moment: dt.datetime) -> None:
    """Put a stored statement (its index rows, its id) into another month, as if stored then."""
    seq = Statement.objects.get(statement_id=statement_id).seq
    Statement.objects.filter(seq=seq).update(stored=moment)
    StatementAgent.objects.filter(statement_id=seq).update(stored=moment)
    StatementActivity.objects.filter(statement_id=seq).update(stored=moment)
    StatementId.objects.filter(statement_id=statement_id).update(stored=moment)


# --- every database: ids unique through the id table ----------------------------------------


def test_an_id_is_stored_once_and_a_different_statement_with_it_is_a_conflict(lrs):  # noqa: F811
    sid = str(uuid.uuid4())
    assert lrs.put(f"statements?statementId={sid}", stmt(id=sid)).status_code == 204
    assert lrs.put(f"statements?statementId={sid}", stmt(id=sid)).status_code == 204
    other = stmt(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    assert lrs.put(f"statements?statementId={sid}", other).status_code == 409
    assert Statement.objects.filter(statement_id=sid).count() == 1
    assert StatementId.objects.filter(statement_id=sid).count() == 1
    row = Statement.objects.get(statement_id=sid)
    assert set(row.agents.values_list("stored", flat=True)) == {row.stored}


def test_an_id_whose_statement_left_the_store_is_not_stored_again(lrs):  # noqa: F811
    """A month detached for archive (or a statement erased) keeps its ids: a tool sending one
    again is answered as for a statement already stored, and no second copy is written."""
    sid = str(uuid.uuid4())
    assert lrs.post("statements", stmt(id=sid)).status_code == 200
    Statement.objects.filter(statement_id=sid).delete()  # what an archive or erasure leaves
    assert StatementAgent.objects.count() == 0
    r = lrs.post("statements", [stmt(id=sid), stmt()])
    assert r.status_code == 200
    assert r.json()[0] == sid
    assert not Statement.objects.filter(statement_id=sid).exists()
    assert Statement.objects.count() == 1
    assert lrs.get("statements", {"statementId": sid}).status_code == 404


# --- PostgreSQL: the tables are partitioned by month -----------------------------------------


@on_postgres
def test_the_growing_tables_are_partitioned_by_month_with_months_ahead():
    with connection.cursor() as cur:
        tables = partitions.partitioned_tables(cur)
        assert {t: tables.get(t) for t in GROWING} == {
            "lrs_statement": "stored",
            "lrs_statementagent": "stored",
            "lrs_statementactivity": "stored",
            "audit_auditevent": "at",
        }
        this_month = partitions.month_start(timezone.now())
        for table in GROWING:
            starts = [lo for _name, lo, _hi in partitions.months(cur, table)]
            assert this_month in starts
            assert max(starts) >= this_month + dt.timedelta(days=85)


@on_postgres
def test_a_statement_and_its_index_rows_land_in_their_month(lrs):  # noqa: F811
    sid = str(uuid.uuid4())
    assert lrs.post("statements", stmt(id=sid)).status_code == 200
    month = partitions.month_start(timezone.now())
    seq = Statement.objects.get(statement_id=sid).seq
    for table, where in (
        ("lrs_statement", "seq = %s"),
        ("lrs_statementagent", "statement_id = %s"),
        ("lrs_statementactivity", "statement_id = %s"),
    ):
        assert _partition_of(table, where, [seq]) == partitions.month_partition(table, month)


@on_postgres
def test_a_row_without_its_month_is_kept_and_moved_when_the_month_is_made(lrs):  # noqa: F811
    """A clock far ahead: the row goes to the default partition, nothing is refused; the daily
    command makes the month and the row moves into it."""
    far = timezone.now().replace(microsecond=0) + dt.timedelta(days=400)
    sid = str(uuid.uuid4())
    assert lrs.post("statements", stmt(id=sid)).status_code == 200
    _move_to(sid, far)
    assert _partition_of("lrs_statement", "statement_id = %s", [sid]) == "lrs_statement_default"
    with connection.cursor() as cur:
        created = partitions.ensure_months(cur, "lrs_statement", "stored", far, far)
        partitions.ensure_months(cur, "lrs_statementagent", "stored", far, far)
    name = partitions.month_partition("lrs_statement", partitions.month_start(far))
    assert created == [name]
    assert _partition_of("lrs_statement", "statement_id = %s", [sid]) == name
    r = lrs.get("statements", {"statementId": sid})
    assert r.status_code == 200 and r.json()["id"] == sid
    agent = json.dumps({"mbox": "mailto:hoc.vien@example.vn"})
    assert [s["id"] for s in lrs.get("statements", {"agent": agent}).json()["statements"]] == [sid]


@on_postgres
def test_old_months_detach_for_archive_and_their_ids_stay_taken(lrs):  # noqa: F811
    old, kept = str(uuid.uuid4()), str(uuid.uuid4())
    assert lrs.post("statements", [stmt(id=old), stmt(id=kept)]).status_code == 200
    moment = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
    with connection.cursor() as cur:
        for table, column in partitions.partitioned_tables(cur).items():
            partitions.ensure_months(cur, table, column, moment, moment)
    _move_to(old, moment)
    assert _partition_of("lrs_statement", "statement_id = %s", [old]) == "lrs_statement_p202501"
    out = StringIO()
    call_command("partitions", "--detach-before", "2025-02", stdout=out)
    assert "detached lrs_statement_p202501" in out.getvalue()
    assert "detached lrs_statementagent_p202501" in out.getvalue()
    with connection.cursor() as cur:
        assert "lrs_statement_p202501" not in {
            n for n, *_ in partitions.months(cur, "lrs_statement")
        }
        cur.execute("SELECT COUNT(*) FROM lrs_statement_p202501")
        assert cur.fetchone()[0] == 1  # archived, not lost
    assert lrs.get("statements", {"statementId": old}).status_code == 404
    assert lrs.get("statements", {"statementId": kept}).status_code == 200
    assert lrs.post("statements", stmt(id=old)).status_code == 200
    assert not Statement.objects.filter(statement_id=old).exists()
    event = AuditEvent.objects.filter(verb="partitions.detach").get()
    assert "lrs_statement_p202501" in event.data["tables"]


@on_postgres
def test_only_ended_months_can_be_detached():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("partitions", "--detach-before", "2999-01", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("partitions", "--detach-before", "2025-13", stdout=StringIO())
    assert not AuditEvent.objects.filter(verb="partitions.detach").exists()


@on_postgres
def test_audit_retention_drops_whole_months_past_five_years():
    long_ago = dt.datetime(2015, 3, 10, tzinfo=dt.UTC)
    recent = timezone.now() - dt.timedelta(days=30)
    with connection.cursor() as cur:
        for at in (long_ago, recent):
            cur.execute(
                "INSERT INTO audit_auditevent (at, verb, target_type, target_id, target_repr, "
                "unit_path, data, user_agent) VALUES (%s, 'x.test', '', '', '', '', '{}', '')",
                [at],
            )
        partitions.ensure_months(cur, "audit_auditevent", "at", recent, recent)
        assert partitions.ensure_months(cur, "audit_auditevent", "at", long_ago, long_ago) == [
            "audit_auditevent_p201503"
        ]
    done = apply_retention()
    assert done["audit rows (5 years)"] == 1
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('audit_auditevent_p201503')")
        assert cur.fetchone()[0] is None
    assert AuditEvent.objects.filter(verb="x.test").count() == 1


@on_postgres
def test_the_daily_command_lists_and_creates_ahead():
    out = StringIO()
    call_command("partitions", "--ahead", "6", "--list", stdout=out)
    text = out.getvalue()
    assert "lrs_statement (by month of stored)" in text
    assert "audit_auditevent (by month of at)" in text
    with connection.cursor() as cur:
        months = partitions.months(cur, "lrs_statement")
    assert months[-1][1] >= partitions.month_start(timezone.now()) + dt.timedelta(days=6 * 28)


def test_the_command_says_sqlite_has_nothing_to_partition():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's answer")
    out = StringIO()
    call_command("partitions", stdout=out)
    assert "nothing to do" in out.getvalue()

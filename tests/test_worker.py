"""Task workers hold a lease: a task whose worker died runs again elsewhere, and the task
itself does not write twice (issue #26). The drill (deploy/faults.py) kills a real worker
mid-import under `make prod-local`; here each rule on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from suotdoi.core import worker
from suotdoi.core.models import TaskWorker
from suotdoi.organisations import import_actions
from suotdoi.organisations.models import ImportStatus, MemberImport, Membership
from tests.conftest import xlsx_bytes
from tests.test_member_import import ROWS, run

pytestmark = pytest.mark.django_db


def _running(worker_id: str, *, seconds_ago: int, attempts: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="suotdoi.organisations.tasks.member_import_run",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
        worker_ids=[f"earlier-{i}" for i in range(attempts - 1)] + [worker_id],
    )


def test_a_silent_workers_task_is_queued_again(settings):
    settings.WORKER_LEASE_SECONDS = 30
    now = timezone.now()
    worker.beat("alive", started_at=now)
    kept = _running("alive", seconds_ago=600)  # long, but its worker beats
    young = _running("gone", seconds_ago=5)  # its worker may still be starting to beat
    orphan = _running("gone", seconds_ago=60)
    assert worker.requeue_orphans() == [str(orphan.pk)]
    for t in (kept, young, orphan):
        t.refresh_from_db()
    assert kept.status == young.status == TaskResultStatus.RUNNING
    assert orphan.status == TaskResultStatus.READY and orphan.started_at is None
    assert orphan.worker_ids == ["gone"]  # the next claim makes it attempt 2


def test_a_worker_that_stops_beating_loses_its_lease(settings):
    settings.WORKER_LEASE_SECONDS = 30
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    TaskWorker.objects.create(worker_id="frozen", started_at=long_ago, beat_at=long_ago)
    task = _running("frozen", seconds_ago=120)
    assert worker.requeue_orphans() == [str(task.pk)]


def test_a_task_that_keeps_killing_its_workers_is_failed_not_retried_for_ever(settings):
    settings.WORKER_MAX_ATTEMPTS = 3
    poison = _running("gone", seconds_ago=600, attempts=3)
    worker.requeue_orphans()
    poison.refresh_from_db()
    assert poison.status == TaskResultStatus.FAILED and poison.finished_at is not None


def test_the_heartbeat_thread_beats_and_leaves_when_stopped(settings):
    settings.WORKER_BEAT_SECONDS = 0.05
    hb = worker.Heartbeat("test-worker")
    # The thread has its own connection; inside this test's transaction, beat directly.
    worker.beat(hb.worker_id, started_at=hb.started_at)
    assert TaskWorker.objects.filter(worker_id="test-worker").exists()
    hb.stopped.set()
    hb.stop()
    assert not TaskWorker.objects.filter(worker_id="test-worker").exists()


def _stuck_import(client_for, people, units) -> MemberImport:
    """An import its worker claimed (RUNNING) and died with: the write never committed."""
    _c, imp = run(client_for, people, units, xlsx_bytes(ROWS))
    assert imp.status == ImportStatus.VALIDATED
    MemberImport.objects.filter(pk=imp.pk).update(status=ImportStatus.RUNNING)
    return imp


def test_a_second_attempt_finishes_an_import_whose_worker_died(client_for, people, units):
    imp = _stuck_import(client_for, people, units)
    before = Membership.objects.count()
    # A duplicate first delivery leaves a RUNNING import alone …
    assert import_actions.member_import_execute(import_id=imp.pk).status == ImportStatus.RUNNING
    assert Membership.objects.count() == before
    # … the retry after the lease takes it over and writes every row once.
    done = import_actions.member_import_execute(import_id=imp.pk, retry=True)
    assert done.status == ImportStatus.DONE
    assert Membership.objects.count() == before + len(ROWS)
    # A third run (the dead worker's task came back twice) writes nothing more.
    again = import_actions.member_import_execute(import_id=imp.pk, retry=True)
    assert again.status == ImportStatus.DONE
    assert Membership.objects.count() == before + len(ROWS)


def test_a_worker_outlives_the_database_going_away(settings, monkeypatch):
    """The drill's PostgreSQL restart ended both workers' loops (OperationalError through
    PgBouncer's 'server login has been failing') and the workers exited, so nothing ran the
    queue after it. Now the worker waits and goes on under a new id; the old id's row is gone
    (or goes stale), so its interrupted task is taken back by the lease."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    from suotdoi.core.management.commands import task_worker

    ids, pauses = [], []

    def loop(self, *args, **options):
        ids.append(options["worker_id"])
        if len(ids) < 3:
            raise OperationalError("server login has been failing, try again later")
        return None  # a graceful stop (SIGTERM) ends the command

    monkeypatch.setattr(db_worker.Command, "handle", loop)
    monkeypatch.setattr(task_worker.time, "sleep", pauses.append)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    # (The real worker closes its broken connections; here that would be the test's own.)
    monkeypatch.setattr(task_worker, "connections", type("C", (), {"all": lambda *a, **k: []})())
    task_worker.Command().handle(worker_id="prod-local-1")
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(i.startswith("prod-local-1-") for i in ids)
    assert pauses == [1, 2]
    assert not TaskWorker.objects.filter(worker_id__in=ids).exists()


def test_a_goodbye_without_a_database_does_not_end_the_worker(monkeypatch):
    from django.db import OperationalError

    hb = worker.Heartbeat("leaving")

    def away(*a, **kw):
        raise OperationalError("the connection is lost")

    monkeypatch.setattr(worker.TaskWorker.objects, "filter", away)
    hb.stop()  # logs, does not raise

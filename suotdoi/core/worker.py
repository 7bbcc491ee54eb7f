"""Task workers with leases (issue #26).

django-tasks-db claims a task with a row lock and marks it RUNNING; a worker killed in the
middle (a crash, an OOM kill, a machine gone) leaves the task RUNNING for ever. Each of our
workers (`manage.py task_worker`) beats every WORKER_BEAT_SECONDS from a thread of its own; a
RUNNING task whose worker has not beaten for WORKER_LEASE_SECONDS is put back in the queue for
another worker — at most WORKER_MAX_ATTEMPTS times, then it is marked failed so a task that
kills its workers cannot go round for ever. Our tasks are written to be safe to run again
(each claims its work, or writes in one transaction).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.tasks import TaskResultStatus
from django.utils import timezone

from .models import TaskWorker

log = logging.getLogger(__name__)


def beat(worker_id: str, *, started_at: dt.datetime) -> None:
    now = timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": now, "started_at": started_at}
    )


def requeue_orphans(now: dt.datetime | None = None) -> list[str]:
    """Put back the tasks of workers that stopped beating; returns the ids touched."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    alive = set(TaskWorker.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True))
    touched = []
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale
    ).values_list("id", "worker_ids", "started_at", "task_path")
    for task_id, worker_ids, started_at, path in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        attempts = len(worker_ids or [])
        with transaction.atomic():
            same = DBTaskResult.objects.filter(
                pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
            )
            if attempts >= settings.WORKER_MAX_ATTEMPTS:
                n = same.update(status=TaskResultStatus.FAILED, finished_at=now)
                verb = "failed after %d attempts"
            else:
                n = same.update(status=TaskResultStatus.READY, started_at=None)
                verb = "queued again after %d attempt(s)"
        if n:
            log.warning("task %s (%s) of a silent worker " + verb, task_id, path, attempts)
            touched.append(str(task_id))
    TaskWorker.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return touched


class Heartbeat(threading.Thread):
    """Beats and reaps from its own thread (and database connection) while the worker runs
    its tasks, so a long task keeps its lease."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id, started_at=self.started_at)
                requeue_orphans()
            except Exception:  # noqa: BLE001 - a database hiccup must not stop the beating
                log.exception("heartbeat of %s failed; trying again", self.worker_id)
                connection.close()
            self.stopped.wait(settings.WORKER_BEAT_SECONDS)
        connection.close()

    def stop(self) -> None:
        """Stop beating and say goodbye; with the database away the row simply goes stale."""
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=10)
        try:
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()
        except (OperationalError, InterfaceError):
            log.warning("worker %s left without saying so (database away)", self.worker_id)

"""`manage.py task_worker`: django-tasks-db's worker with a heartbeat and a lease
(suotdoi/core/worker.py). Options are db_worker's; the worker id gets a random suffix, so a
restarted worker is never taken for the one that died.

The database going away (a PostgreSQL restart, a fail-over, PgBouncer refusing logins for a
while) ends django-tasks-db's loop with an OperationalError. The worker does not exit: it
waits (1 s, doubling to 30 s), and goes on under a new id; the task it was running, if any,
belonged to the old id, which no longer beats, so the lease puts it back in the queue."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from suotdoi.core.worker import Heartbeat

log = logging.getLogger(__name__)
MAX_PAUSE = 30


class Command(db_worker.Command):
    help = "Run a task worker that keeps a lease on its tasks (safe to kill)"

    def handle(self, *args, **options):
        given = (options.get("worker_id") or "worker")[:48]
        pause = 1
        while True:
            worker_id = f"{given}-{get_random_string(12)}"
            options["worker_id"] = worker_id
            heartbeat = Heartbeat(worker_id)
            heartbeat.start()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as exc:
                log.warning("worker %s: the database is away (%s); going on in %s s",
                            worker_id, exc, pause)  # fmt: skip
            finally:
                heartbeat.stop()
            for conn in connections.all(initialized_only=True):
                try:
                    conn.close()
                except (OperationalError, InterfaceError):
                    pass
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)

"""`manage.py task_worker`: django-tasks-db's worker with a heartbeat and a lease
(suotdoi/core/worker.py). Options are db_worker's; the worker id gets a random suffix, so a
restarted worker is never taken for the one that died."""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from suotdoi.core.worker import Heartbeat


class Command(db_worker.Command):
    help = "Run a task worker that keeps a lease on its tasks (safe to kill)"

    def handle(self, *args, **options):
        given = options.get("worker_id") or "worker"
        worker_id = f"{given[:48]}-{get_random_string(12)}"
        options["worker_id"] = worker_id
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()

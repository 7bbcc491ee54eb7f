"""Shared set-up for benchmarks: a separate database, migrated, never the developer's own."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_database(kind: str) -> str:
    """Point Django at a fresh benchmark database: 'sqlite' (a temp file) or 'postgres'."""
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="suotdoi-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL")
        if not url:
            raise SystemExit("set BENCH_DATABASE_URL=postgres://… (a database the bench may wipe)")
        os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    if kind != "sqlite":
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

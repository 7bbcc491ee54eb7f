"""Shared set-up for benchmarks: a separate database, migrated, never the developer's own."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
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


BENCH_SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


@contextmanager
def serve_production(
    url: str,
    port: int,
    *,
    static: bool = False,
    cache_dir: str | None = None,
    redis_url: str | None = None,
):
    """The app under granian (production settings; 2 workers of 8 threads, as deploy/systemd
    runs it, unless BENCH_GRANIAN_WORKERS / BENCH_GRANIAN_THREADS say otherwise) on 127.0.0.1:`port`, until the
    block ends. The bench process must use BENCH_SECRET as SECRET_KEY for sessions and LRS
    secrets made in-process to be valid there; `cache_dir`: the file cache it shares with the
    bench process (codes issued in-process), else a new one; `redis_url`: the shared cache
    production uses instead (docs/operations.md). Yields the base URL once /healthz answers."""
    import subprocess
    import time
    import urllib.request

    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SUOTDOI_PUBLIC_URL": "http://127.0.0.1",
        "SUOTDOI_KEY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SUOTDOI_PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
        "SUOTDOI_LOOKUP_KEYS": Fernet.generate_key().decode(),
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_DIR": cache_dir or tempfile.mkdtemp(prefix="suotdoi-bench-cache-"),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    if static:  # production settings serve hashed static files: collect them first
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            os.environ.get("BENCH_GRANIAN_WORKERS", "2"),
            "--blocking-threads",
            os.environ.get("BENCH_GRANIAN_THREADS", "8"),  # as deploy/systemd runs it
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@contextmanager
def redis_server(port: int):
    """A throwaway Redis on 127.0.0.1:`port`, as production's shared cache (no disk), for the
    block; yields its URL, or None where redis-server is not installed."""
    import shutil
    import subprocess
    import time

    exe = shutil.which("redis-server")
    if exe is None:
        yield None
        return
    server = subprocess.Popen(
        [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"redis-server did not answer on 127.0.0.1:{port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)

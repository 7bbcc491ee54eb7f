"""#18.5: back up the demo world, restore into an empty database and folder, and compare the
row counts of every table and the checksum of every upload (SQLite always; PostgreSQL too when
the suite runs on it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIGURES = """
import json, os, django
django.setup()
from django.conf import settings
from suotdoi.core.backups import media_checksums, table_counts
print(json.dumps({"tables": table_counts(), "media": media_checksums(settings.MEDIA_ROOT)}))
"""


def _manage(env: dict, *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, (args, run.stdout[-2000:], run.stderr[-3000:])
    return run.stdout


def _figures(env: dict) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", FIGURES], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def _env(database_url: str, media: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
    )
    return env


def _databases(tmp_path: Path):
    """(source URL, empty target URL, cleanup) for the database the suite runs on."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}", None
    import psycopg

    base, _, _name = url.rpartition("/")
    names = [f"suotdoi_backup_{uuid.uuid4().hex[:8]}_{x}" for x in "ab"]
    with psycopg.connect(url, autocommit=True) as conn:
        for n in names:
            conn.execute(f'CREATE DATABASE "{n}"')

    def cleanup():
        with psycopg.connect(url, autocommit=True) as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}"')

    return f"{base}/{names[0]}", f"{base}/{names[1]}", cleanup


def test_a_backup_of_the_demo_world_restores_exactly(tmp_path):
    source_url, target_url, cleanup = _databases(tmp_path)
    try:
        source = _env(source_url, tmp_path / "media-a")
        _manage(source, "migrate", "-v0")
        _manage(source, "demo_world", "--size", "small")
        before = _figures(source)
        assert before["media"], "the demo world has uploads to carry over"
        assert sum(before["tables"].values()) > 1000
        archive = Path(_manage(source, "backup", "--to", str(tmp_path / "backups")).strip())
        assert archive.exists() and archive.suffix == ".tar"

        target = _env(target_url, tmp_path / "media-b")
        out = _manage(target, "restore", str(archive))
        assert "restored and checked" in out
        after = _figures(target)
        assert after["tables"] == before["tables"]
        assert after["media"] == before["media"]
        # A second restore over data refuses rather than mixing two worlds.
        run = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env=target,
            capture_output=True,
            text=True,
        )
        assert run.returncode != 0 and "not empty" in run.stderr
    finally:
        if cleanup:
            cleanup()

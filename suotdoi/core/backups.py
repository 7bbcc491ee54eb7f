"""Backups that restore: the database and the uploaded files in one archive, with a manifest
(row counts of every table, a SHA-256 of every file) that the restore checks itself against.

- SQLite: the online backup API (a consistent copy while the app keeps serving).
- PostgreSQL: `pg_dump -Fc`, restored with `pg_restore` into an empty database.

The archive is a .tar: manifest.json, db.sqlite3 or db.dump, and media/… . See
docs/operations.md for scheduling and for practising a restore.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone


class BackupError(Exception):
    pass


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): _file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()
    }


def table_counts() -> dict[str, int]:
    """Rows of every table Django knows (ours, auth, allauth, sessions, tasks…)."""
    counts = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names()):
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cur.fetchone()[0]
    return counts


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    args += ["-U", db.get("USER") or "postgres"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup(dest_dir: Path) -> Path:
    """Write one archive into `dest_dir` and return its path."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    db = connection.settings_dict
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = dest_dir / f"suotdoi-{stamp}.tar"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = {
            "format": "suotdoi-backup/1",
            "created": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "tables": table_counts(),
            "media": media_checksums(Path(settings.MEDIA_ROOT)),
        }
        if connection.vendor == "sqlite":
            dump = tmp / "db.sqlite3"
            source = sqlite3.connect(str(db["NAME"]))
            copy = sqlite3.connect(str(dump))
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
        elif connection.vendor == "postgresql":
            dump = tmp / "db.dump"
            args, env = _pg_env(db)
            run = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *args, db["NAME"]],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()[:500]}")
        else:
            raise BackupError(f"no backup for {connection.vendor}")
        manifest["database_file"] = dump.name
        manifest["database_sha256"] = _file_sha256(dump)
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            for rel in manifest["media"]:
                tar.add(media / rel, arcname=f"media/{rel}")
        partial.rename(target)  # a half-written archive never looks like a backup
    return target


def _database_is_empty() -> bool:
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    if not tables:
        return True
    counts = table_counts()
    return all(counts.get(t, 0) == 0 for t in tables)


def restore(archive: Path, *, force: bool = False) -> dict:
    """Restore an archive into the configured database and MEDIA_ROOT, which must be empty
    (unless `force`), then check row counts and file checksums against its manifest.
    Returns {"tables": n, "files": n, "problems": [...]}."""
    archive = Path(archive)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        if manifest.get("format") != "suotdoi-backup/1":
            raise BackupError("not a Suốt Đời backup")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"the backup is of {manifest['vendor']}, this database is {connection.vendor}"
            )
        if not force and not _database_is_empty():
            raise BackupError("the database is not empty; restore into an empty one (or --force)")
        if not force and media.exists() and any(media.rglob("*")):
            raise BackupError(f"{media} is not empty; restore into an empty folder (or --force)")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            members = [m for m in tar.getmembers() if m.isfile()]
            for m in members:  # names are checked: nothing lands outside the folders
                if m.name.startswith("/") or ".." in Path(m.name).parts:
                    raise BackupError(f"refusing a path in the archive: {m.name}")
            tar.extractall(tmp, members=members, filter="data")
            dump = tmp / manifest["database_file"]
            if _file_sha256(dump) != manifest["database_sha256"]:
                raise BackupError("the database file in the archive is damaged")
            _restore_database(dump)
            source_media = tmp / "media"
            media.mkdir(parents=True, exist_ok=True)
            if source_media.exists():
                shutil.copytree(source_media, media, dirs_exist_ok=True)
    problems = []
    counts = table_counts()
    for table, n in manifest["tables"].items():
        if counts.get(table) != n:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup had {n}")
    files = media_checksums(media)
    for rel, digest in manifest["media"].items():
        if files.get(rel) != digest:
            problems.append(f"file {rel}: missing or different")
    return {
        "tables": len(manifest["tables"]),
        "files": len(manifest["media"]),
        "problems": problems,
    }


def _restore_database(dump: Path) -> None:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connections.close_all()
        target = sqlite3.connect(str(db["NAME"]))
        source = sqlite3.connect(str(dump))
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    args, env = _pg_env(db)
    connections.close_all()
    run = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            *args,
            "-d",
            db["NAME"],
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()[:500]}")

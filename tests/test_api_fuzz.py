"""Schemathesis over the whole REST API, against a live server, as an officer and as a plain
member: no input it generates may get a server error (5xx). Runs in CI on SQLite and
PostgreSQL (issue #14)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]


def _session_headers(person) -> list[str]:
    """Cookies and CSRF header of a signed-in session, as the CLI's -H options."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    c = Client()
    c.force_login(person)
    token = _get_new_csrf_string()
    cookie = f"sessionid={c.cookies['sessionid'].value}; csrftoken={token}"
    return ["-H", f"Cookie: {cookie}", "-H", f"X-CSRFToken: {token}"]


@pytest.mark.parametrize("who", ["provincial_officer", "member"])
def test_no_server_error_for_any_generated_request(live_server, world, who, tmp_path):
    from suotdoi.organisations.models import Membership
    from suotdoi.records.models import LearningEntry

    person = world.people[who]
    unit = world.units["grassroots"]
    # Real identifiers, so generated requests reach past the 404 of a random id.
    known = {
        "path.unit_id": unit.pk,
        "path.membership_id": Membership.objects.filter(unit__path__startswith=unit.path)
        .values_list("pk", flat=True)
        .last(),
        "path.entry_id": LearningEntry.objects.filter(person=world.people["member"])
        .values_list("pk", flat=True)
        .first(),
    }
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n" + "".join(f'"{k}" = {v}\n' for k, v in known.items() if v),
        encoding="utf-8",
    )
    st = Path(sys.executable).with_name("st")
    if not st.exists():
        st = Path(shutil.which("st") or "st")
    cmd = [
        str(st),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        os.environ.get("SUOTDOI_FUZZ_EXAMPLES", "25"),
        "--seed",
        "2026",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--report-dir",
        str(tmp_path),
        *_session_headers(person),
    ]
    run = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,  # schemathesis keeps a cache in its working folder: not in the repo
    )
    tail = run.stdout[-6000:]
    print(tail)
    assert run.returncode == 0, tail + run.stderr[-2000:]

"""#19: a client generated from our OpenAPI document (openapi-python-client) works against the
live server with a token: it pushes members in bulk — twice, landing once — and reads figures.
The generated package and its functions have plain ASCII names."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.django_db(transaction=True)


def _generate(url: str, where: Path) -> None:
    cfg = where / "cfg.yaml"
    cfg.write_text("post_hooks: []\n", encoding="utf-8")
    tool = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(
        [str(tool), "generate", "--url", url, "--meta", "none", "--config", str(cfg),
         "--output-path", str(where / "suot_doi_api_client")],
        capture_output=True, text=True, timeout=300, cwd=where, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_a_generated_client_pushes_members_and_reads_figures(live_server, world, tmp_path):
    from suotdoi.api.tokens import token_create
    from suotdoi.organisations.models import Membership

    _generate(f"{live_server.url}/api/v1/openapi.json", tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        client_mod = importlib.import_module("suot_doi_api_client")
        bulk = importlib.import_module("suot_doi_api_client.api.organisations.membership_bulk")
        figures = importlib.import_module("suot_doi_api_client.api.learning_record.unit_figures")
        models = importlib.import_module("suot_doi_api_client.models")
    finally:
        sys.path.remove(str(tmp_path))
    unit = world.units["grassroots"]
    _row, secret = token_create(
        actor=world.people["grassroots_chair"], unit=unit, kind="personal",
        name="generated client", capabilities=["view", "manage_members"], days=1,
    )  # fmt: skip
    api = client_mod.AuthenticatedClient(base_url=live_server.url, token=secret, timeout=60)
    given = ["An", "Bình", "Chi", "Dũng", "Giang"]
    body = models.MemberBulkIn.from_dict(
        {
            "members": [
                {"full_name": f"Trần Thị {given[i % 5]}", "phone": f"0966{i:06d}"}
                for i in range(100)
            ],
            "consent": True,
        }
    )
    before = Membership.objects.filter(unit=unit).count()
    first = bulk.sync(unit.pk, client=api, body=body)
    again = bulk.sync(unit.pk, client=api, body=body)
    assert isinstance(first, models.ImportOut), first
    assert first.memberships_created == 100 and again.memberships_created == 0
    assert Membership.objects.filter(unit=unit).count() == before + 100
    got = figures.sync(unit.pk, client=api)
    assert isinstance(got, models.UnitFiguresOut) and got.unit_id == unit.pk
    # Another tree: the generated client sees a problem, not data.
    foreign = figures.sync_detailed(world.units["foreign_federation"].pk, client=api)
    assert foreign.status_code == 404

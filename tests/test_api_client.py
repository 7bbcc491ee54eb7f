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


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from the document the server serves (read in-process:
    the same bytes /api/v1/openapi.json returns), imported once for the module's tests."""
    import json

    from django.test import Client

    where = tmp_path_factory.mktemp("client")
    doc = Client(HTTP_HOST="127.0.0.1").get("/api/v1/openapi.json")
    assert doc.status_code == 200
    (where / "openapi.json").write_text(json.dumps(doc.json()), encoding="utf-8")
    cfg = where / "cfg.yaml"
    cfg.write_text("post_hooks: []\n", encoding="utf-8")
    tool = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(
        [str(tool), "generate", "--path", str(where / "openapi.json"), "--meta", "none",
         "--config", str(cfg), "--output-path", str(where / "suot_doi_api_client")],
        capture_output=True, text=True, timeout=300, cwd=where, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    sys.path.insert(0, str(where))
    try:
        yield lambda name: importlib.import_module(f"suot_doi_api_client{name}")
    finally:
        sys.path.remove(str(where))


def test_a_generated_client_pushes_members_and_reads_figures(live_server, world, generated):
    from suotdoi.api.tokens import token_create
    from suotdoi.organisations.models import Membership

    client_mod = generated("")
    bulk = generated(".api.organisations.membership_bulk")
    figures = generated(".api.learning_record.unit_figures")
    models = generated(".models")
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


NAMES = ["Lan", "Huệ", "Cúc", "Mai", "Đào", "Sen", "Trúc", "Hồng", "Loan", "Thảo"]


def test_a_provider_runs_a_course_through_the_generated_client(live_server, world, generated):
    """#19's journey: a provider's LMS creates a course and a run, enrols 100 members in bulk
    and posts their completions; each learner's record shows the course once, even when the
    same requests are replayed (with the same Idempotency-Key, and without one)."""
    import datetime as dt

    from django.utils import timezone

    from suotdoi.api.tokens import token_create
    from suotdoi.records.models import LearningEntry

    api_mod, models = generated(""), generated(".models")
    cat = {
        name: generated(f".api.catalogue.{name}")
        for name in (
            "provider_put",
            "course_create",
            "run_add",
            "course_submit",
            "course_publish",
            "enrolment_bulk",
            "completion_bulk",
            "enrolment_list",
        )
    }
    bulk = generated(".api.organisations.membership_bulk")
    unit = world.units["grassroots"]
    _row, secret = token_create(
        actor=world.people["grassroots_chair"],
        unit=unit,
        kind="personal",
        name="LMS",
        capabilities=["view", "view_members", "manage_members", "manage_units"],
        days=1,
    )
    api = api_mod.AuthenticatedClient(base_url=live_server.url, token=secret, timeout=60)
    phones = [f"0933{i:06d}" for i in range(100)]
    pushed = bulk.sync(
        unit.pk,
        client=api,
        body=models.MemberBulkIn.from_dict(
            {
                "members": [
                    {"full_name": f"Đỗ Thị {NAMES[i % 10]}", "phone": p, "external_id": f"HR-{i}"}
                    for i, p in enumerate(phones)
                ],
                "consent": True,
            }
        ),
    )
    assert pushed.memberships_created == 100, pushed.to_dict()
    assert (
        cat["provider_put"].sync(unit.pk, client=api, body=models.ProviderIn()).unit_id == unit.pk
    )
    course = cat["course_create"].sync(
        unit.pk,
        client=api,
        body=models.CourseIn.from_dict(
            {
                "title": "Kỹ năng số cho công nhân",
                "summary": "Dùng điện thoại an toàn.",
                "category": "digital",
                "format": "in_person",
                "hours": "6",
                "credits": "0.5",
            }
        ),
    )
    assert isinstance(course, models.CourseOut), course
    start = timezone.now() + dt.timedelta(days=7)
    run = cat["run_add"].sync(
        course.id,
        client=api,
        body=models.RunIn(
            starts_at=start, ends_at=start + dt.timedelta(hours=6), place="Nhà văn hoá", seats=120
        ),
    )
    assert isinstance(run, models.RunOut), run
    cat["course_submit"].sync(course.id, client=api)
    assert cat["course_publish"].sync(course.id, client=api).status == "published"
    learners = [models.MemberRefIn(phone=p) for p in phones[:50]]
    learners += [models.MemberRefIn(external_id=f"HR-{i}") for i in range(50, 100)]
    enrol = models.EnrolBulkIn(learners=learners, run_id=run.id)
    first = cat["enrolment_bulk"].sync(course.id, client=api, body=enrol)
    assert (first.done, first.unchanged) == (100, 0), first
    again = cat["enrolment_bulk"].sync(course.id, client=api, body=enrol)
    assert (again.done, again.unchanged) == (0, 100)
    done = models.CompletionBulkIn(learners=learners)
    # A client of its own for the keyed calls: with_headers() also changes the headers of the
    # connection the first client already holds.
    keyed = api_mod.AuthenticatedClient(
        base_url=live_server.url,
        token=secret,
        timeout=60,
        headers={"Idempotency-Key": "completions-2026-12-02-1"},
    )
    replays = [
        cat["completion_bulk"].sync_detailed(course.id, client=keyed, body=done) for _ in range(2)
    ]
    assert replays[0].parsed.done == 100
    assert [r.status_code for r in replays] == [200, 200]
    assert replays[0].content == replays[1].content  # the stored answer, replayed
    assert replays[1].headers.get("Idempotent-Replayed") == "true", replays[1].headers
    plain = cat["completion_bulk"].sync(course.id, client=api, body=done)
    assert (plain.done, plain.unchanged) == (0, 100)
    entries = LearningEntry.objects.filter(source_key__startswith=f"catalog:{course.id}:")
    assert entries.count() == 100
    assert entries.values("person").distinct().count() == 100
    page = cat["enrolment_list"].sync(course.id, client=api, page_size=100)
    assert {e.status for e in page.results} == {"completed"} and len(page.results) == 100

"""#19.2, recognition: criteria sets as JSON and an assessment's state through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from suotdoi.api.tokens import token_create

pytestmark = pytest.mark.django_db


def test_criteria_sets_read_as_their_export(people, client_for):
    from suotdoi.recognition import transfer
    from suotdoi.recognition.models import CriteriaSet

    c = client_for(people["member"])
    listed = c.get("/api/v1/recognition/sets").json()
    assert {s["code"] for s in listed["items"]} >= {"cong-dan-hoc-tap"}
    cs = CriteriaSet.objects.get(code="cong-dan-hoc-tap", version=1)
    got = c.get(f"/api/v1/recognition/sets/{cs.pk}").json()
    assert got == transfer.export_set(cs)
    assert c.get("/api/v1/recognition/sets/999999").status_code == 404


def test_an_assessment_state_for_its_subject_and_its_evaluators_only(people, units, client_for):
    from suotdoi.recognition import actions
    from suotdoi.recognition import selectors as rs

    cs = rs.current_set("cong-dan-hoc-tap")
    a = actions.assessment_register(
        actor=people["member"], criteria_set=cs, year=dt.date.today().year
    )
    mine = client_for(people["member"]).get(f"/api/v1/recognition/assessments/{a.pk}")
    assert mine.status_code == 200 and mine.json()["status"] == "registered"
    _row, secret = token_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], kind="personal",
        name="HR", capabilities=["view", "evaluate"], days=1,
    )  # fmt: skip
    officer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert officer.get(f"/api/v1/recognition/assessments/{a.pk}").status_code == 200
    for who in ("foreign_officer", "association_officer"):
        r = client_for(people[who]).get(f"/api/v1/recognition/assessments/{a.pk}")
        assert r.status_code == 404, who

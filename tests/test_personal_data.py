"""#18.4: a person downloads everything held about them; nothing secret goes with it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_my_data_holds_every_table_about_me_and_no_secret(people, units, client_for):
    from django.utils import timezone

    from suotdoi.records.actions import entry_record
    from tests.credentials_helpers import issued
    from tests.test_lrs import Lrs

    mai = people["member"]
    mai.email = "mai@example.vn"
    mai.national_id = "001190012345"
    mai.save()
    entry_record(
        actor=mai,
        person=mai,
        source_key="data:1",
        title="Đọc sách kỹ năng",
        kind="reading",
        start_date=timezone.localdate() - dt.timedelta(days=1),
        hours=Decimal("3"),
        provenance="self_declared",
        unit=units["group"],
    )
    issued(people, units)
    from suotdoi.records.lrs.actions import lrs_client_create

    tool = Lrs(*lrs_client_create(actor=None, unit=units["clc"], name="Khoá học"))
    tool.post(
        "statements",
        {
            "actor": {"mbox": "mailto:mai@example.vn"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://hoc.example.vn/a"},
        },
    )
    r = client_for(mai).get("/profile/data.json")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    data = json.loads(r.content)
    tables = data["tables"]
    names = set(tables)
    for expected in (
        "records.learningentry (person)",
        "organisations.membership (person)",
        "credentials.credential (person)",
        "audit.auditevent (actor)",
    ):
        assert expected in names, sorted(names)
    assert any(e["title"] == "Đọc sách kỹ năng" for e in tables["records.learningentry (person)"])
    assert data["person"]["national_id"] == "001190012345"  # their own, in full
    assert len(data["xapi_statements"]) == 1
    text = r.content.decode()
    assert "pbkdf2" not in text and "argon2" not in text and '"password"' not in text
    assert "secret" not in json.dumps(list(data["person"])).lower()
    # Nobody else's data rides along.
    assert people["group_leader"].full_name not in json.dumps(
        tables.get("records.learningentry (person)")
    )
    assert client_for(None).get("/profile/data.json").status_code in (302, 404)

"""Authorisation matrix: every unit, membership and import page and endpoint × persona.

A person outside the unit's tree (or below it, or in a sibling unit) gets 404 and changes
nothing; the audit log and the data stay exactly as they were.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.audit.models import AuditEvent
from suotdoi.organisations.models import MemberImport, Membership, Unit
from suotdoi.people.models import Person
from tests.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db

ROW = [["Kiều Văn Mạnh", "", "", "0977222001", "", "", "", "", "", ""]]


def _snapshot():
    return (
        Unit.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
        MemberImport.objects.count(),
        AuditEvent.objects.count(),
        tuple(Unit.objects.order_by("pk").values_list("path", "name", "member_count")),
        tuple(Membership.objects.order_by("pk").values_list("end_date", "role")),
    )


@pytest.fixture
def targets(world, django_capture_on_commit_callbacks):
    """Objects inside the grassroots union CDCS-001 that the requests aim at."""
    u = world.units
    from suotdoi.organisations.actions import membership_add

    someone = Person.objects.create_user(
        full_name="Tạ Thị Nhàn", phone="+84915888000", password="x"
    )
    m, _ = membership_add(actor=world.people["admin"], unit=u["sibling_group"], person=someone)
    imp = MemberImport.objects.create(
        unit=u["grassroots"],
        uploaded_by=world.people["admin"],
        file_name="a.xlsx",
        file_sha256="0",
        status="validated",
        valid_rows=1,
        total_rows=1,
        row_errors=[{"row": 2, "errors": ["x"], "raw": ["a"]}],
        header=["Họ và tên"],
    )
    return {
        "g": u["grassroots"].pk,
        "group": u["group"].pk,
        "m": m.pk,
        "imp": imp.pk,
        "fed": u["federation"].pk,
        "sibling": u["sibling_group"].pk,
    }


def pages(t):
    """(method, url, data) for every organisations page and API endpoint."""
    today = dt.date.today().strftime("%d/%m/%Y")
    return [
        ("get", f"/units/{t['g']}/", None),
        ("get", f"/units/{t['g']}/children/", None),
        ("get", f"/units/{t['g']}/members/", None),
        ("get", f"/units/{t['g']}/members/export.xlsx", None),
        ("get", f"/units/{t['g']}/import/", None),
        ("get", f"/units/{t['g']}/import/template.xlsx", None),
        ("get", f"/units/imports/{t['imp']}/", None),
        ("get", f"/units/imports/{t['imp']}/errors.xlsx", None),
        ("post", f"/units/imports/{t['imp']}/confirm/", {}),
        (
            "post",
            f"/units/{t['g']}/members/add/",
            {
                "full_name": "Kiều Văn Mạnh",
                "phone": "0977222002",
                "role": "member",
                "start_date": today,
                "consent": "on",
            },
        ),
        ("post", f"/units/memberships/{t['m']}/end/", {"end_date": today, "reason": "x"}),
        (
            "post",
            f"/units/{t['g']}/import/",
            {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(ROW))},
        ),
        ("post", f"/units/{t['g']}/add/", {"name": "Tổ mới", "code": "TCD-NEW", "unit_type": 8}),
        ("post", f"/units/{t['g']}/edit/", {"name": "Đổi tên", "code": "CDCS-001", "unit_type": 5}),
        (
            "post",
            f"/units/{t['group']}/move/",
            {"new_parent_code": "CDCS-002", "effective_date": today},
        ),
        (
            "post",
            f"/units/{t['group']}/merge/",
            {"target_code": "TCD-001-2", "effective_date": today, "confirm": "on"},
        ),
        ("get", f"/api/v1/units/{t['g']}", None),
        ("get", f"/api/v1/units/{t['g']}/summary", None),
        ("get", f"/api/v1/units/{t['g']}/children", None),
        ("get", f"/api/v1/units/{t['g']}/memberships", None),
        ("get", f"/api/v1/imports/{t['imp']}", None),
        (
            "post",
            f"/api/v1/units/{t['g']}/children",
            {"name": "Tổ API", "code": "TCD-API", "unit_type": "to-cong-doan"},
        ),
        (
            "post",
            f"/api/v1/units/{t['g']}/memberships",
            {"full_name": "Kiều Văn Mạnh", "phone": "0977222003", "consent": True},
        ),
        ("post", f"/api/v1/memberships/{t['m']}/end", {"reason": "x"}),
        ("post", f"/api/v1/imports/{t['imp']}/confirm", {}),
        (
            "post",
            f"/api/v1/units/{t['group']}/move",
            {"new_parent_id": t["sibling"], "effective_date": dt.date.today().isoformat()},
        ),
    ]


def call(client, method, url, data):
    if url.startswith("/api/") and method == "post":
        return client.post(url, data, content_type="application/json")
    return getattr(client, method)(url, data or {})


OUTSIDERS = ["foreign_officer", "association_officer", "commune_officer", "member", "group_leader"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_people_outside_the_unit_get_404_and_change_nothing(persona, people, targets, client_for):
    c = client_for(people[persona])
    for method, url, data in pages(targets):
        before = _snapshot()
        r = call(c, method, url, data)
        # a union-group leader may see their own group's page, but not the grassroots union
        assert r.status_code == 404, (persona, method, url, r.status_code)
        assert _snapshot() == before, (persona, method, url)


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(targets, client_for):
    c = client_for(None)
    for method, url, data in pages(targets):
        before = _snapshot()
        r = call(c, method, url, data)
        assert r.status_code in (302, 401), (url, r.status_code)
        if r.status_code == 302:
            assert r["Location"].startswith("/accounts/login/")
        assert _snapshot() == before


@pytest.mark.parametrize("persona", ["grassroots_chair", "provincial_officer", "admin"])
def test_people_with_a_grant_above_can_use_every_page(persona, people, targets, client_for):
    c = client_for(people[persona])
    for method, url, data in pages(targets):
        r = call(c, method, url, data)
        assert r.status_code in (200, 201, 302), (
            persona,
            method,
            url,
            r.status_code,
            r.content[:300],
        )


def test_group_leader_sees_own_group_not_sibling_or_parent(people, units, client_for):
    c = client_for(people["group_leader"])
    assert c.get(f"/units/{units['group'].pk}/members/").status_code == 200
    assert c.get(f"/units/{units['sibling_group'].pk}/").status_code == 404
    assert c.get(f"/units/{units['grassroots'].pk}/").status_code == 404
    # an officer manages members but not the unit's structure
    assert c.get(f"/units/{units['group'].pk}/edit/").status_code == 404


def test_reporter_reads_but_cannot_write(people, units, client_for):
    from suotdoi.organisations.actions import membership_add

    rep = Person.objects.create_user(full_name="Trịnh Văn Báo", phone="+84915999000", password="x")
    membership_add(actor=people["admin"], unit=units["grassroots"], person=rep, role="reporter")
    c = client_for(rep)
    g = units["grassroots"].pk
    assert c.get(f"/units/{g}/members/").status_code == 200
    assert c.get(f"/units/{g}/members/export.xlsx").status_code == 200
    before = _snapshot()
    assert c.get(f"/units/{g}/import/").status_code == 404
    assert c.post(f"/units/{g}/members/add/", {"full_name": "A B"}).status_code == 404
    assert _snapshot() == before


def test_units_are_listed_only_within_scope(people, client_for):
    c = client_for(people["foreign_officer"])
    html = c.get("/units/").content.decode()
    assert "Cao Bằng" in html and "Ninh Bình" not in html
    data = c.get("/api/v1/units").json()
    assert [u["code"] for u in data] == ["LDLD-CB"]

"""Pages and API of organisations: content, query counts pinned on lists, exports."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suotdoi.organisations.actions import membership_add
from suotdoi.organisations.models import Unit
from suotdoi.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _grow(units, people, n):
    for p in PersonFactory.create_batch(n):
        membership_add(actor=people["admin"], unit=units["group"], person=p)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_member_list_query_count_does_not_grow_with_members(units, people, client_for):
    c = client_for(people["grassroots_chair"])
    url = f"/units/{units['grassroots'].pk}/members/"
    _grow(units, people, 3)
    _queries(c, url)  # warm-up: session and per-process caches
    small = _queries(c, url)
    _grow(units, people, 30)
    assert _queries(c, url) == small
    assert small <= 12


def test_unit_page_query_count_does_not_grow_with_children(units, people, client_for):
    c = client_for(people["provincial_officer"])
    url = f"/units/{units['federation'].pk}/"
    _queries(c, url)
    first = _queries(c, url)
    from suotdoi.organisations.actions import unit_create
    from suotdoi.organisations.models import UnitType

    t = UnitType.objects.get(code="cdct-truc-tiep")
    for i in range(5):
        unit_create(
            actor=people["admin"],
            parent=units["federation"],
            name=f"CĐ {i}",
            code=f"X-{i}",
            unit_type=t,
        )
    assert _queries(c, url) == first


def test_unit_page_shows_subtree_figures(units, people, client_for):
    html = (
        client_for(people["provincial_officer"])
        .get(f"/units/{units['federation'].pk}/")
        .content.decode()
    )
    assert "Công đoàn các Khu công nghiệp tỉnh Ninh Bình" in html
    assert "thành viên của đơn vị và các đơn vị trực thuộc" in html


def test_tree_browser_loads_children_lazily(units, people, client_for):
    c = client_for(people["provincial_officer"])
    html = c.get("/units/").content.decode()
    assert "Liên đoàn Lao động tỉnh Ninh Bình" in html
    assert f'hx-get="/units/{units["federation"].pk}/children/"' in html
    part = c.get(f"/units/{units['federation'].pk}/children/").content.decode()
    assert "Công đoàn phường Hoa Lư" in part and "<html" not in part


def test_export_streams_an_xlsx_with_masked_ids(units, people, client_for):
    from openpyxl import load_workbook

    c = client_for(people["grassroots_chair"])
    r = c.get(f"/units/{units['grassroots'].pk}/members/export.xlsx?q=mai&subtree=on")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(r.streaming_content)
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên"
    assert any(row[0] == "Nguyễn Thị Mai" for row in rows[1:])
    assert all(not row[5] or str(row[5]).startswith("•") for row in rows[1:])


def test_my_memberships_lists_all_trees(people, client_for):
    html = client_for(people["member"]).get("/units/mine/").content.decode()
    for name in ["Tổ công đoàn số 1", "Thôn Đông", "Chi hội khuyến học thôn đông"]:
        assert name in html


def test_add_member_on_behalf_is_recorded_with_consent(units, people, client_for):
    from suotdoi.audit.models import AuditEvent

    c = client_for(people["group_leader"])
    r = c.post(
        f"/units/{units['group'].pk}/members/add/",
        {
            "full_name": "Cụ Nguyễn Văn Thọ",
            "date_of_birth": "12/05/1948",
            "role": "member",
            "start_date": "01/01/2025",
            "consent": "on",
        },
    )
    assert r.status_code == 302
    p = Person.objects.get(full_name="Cụ Nguyễn Văn Thọ")
    assert not p.has_usable_password()
    ev = AuditEvent.objects.get(verb="person.create_on_behalf")
    assert ev.actor == people["group_leader"] and ev.on_behalf_of == p
    # without consent nothing is created
    r = c.post(
        f"/units/{units['group'].pk}/members/add/",
        {
            "full_name": "Bà Lê Thị Tư",
            "date_of_birth": "12/05/1950",
            "role": "member",
            "start_date": "01/01/2025",
        },
    )
    assert r.status_code == 200 and not Person.objects.filter(full_name="Bà Lê Thị Tư").exists()


def test_api_lists_members_with_search_and_paging(units, people, client_for):
    c = client_for(people["provincial_officer"])
    fed = units["federation"].pk
    r = c.get(f"/api/v1/units/{fed}/memberships?q=nguyen%20thi%20mai&page_size=5")
    data = r.json()
    assert r.status_code == 200 and len(data["results"]) >= 1
    assert data["results"][0]["person"]["full_name"] == "Nguyễn Thị Mai"
    r = c.get(f"/api/v1/units/{units['federation'].pk}/summary")
    assert r.json()["members"] == sum(
        Unit.objects.filter(path__startswith=units["federation"].path).values_list(
            "member_count", flat=True
        )
    )


def test_api_validation_errors_are_problem_json(units, people, client_for):
    c = client_for(people["grassroots_chair"])
    r = c.post(
        f"/api/v1/units/{units['grassroots'].pk}/children",
        "{not json",
        content_type="application/json",
    )
    assert r.status_code in (400, 422)
    assert r["Content-Type"] == "application/problem+json"
    r = c.post(
        f"/api/v1/units/{units['grassroots'].pk}/memberships",
        {"full_name": "A B", "phone": "12345", "consent": True},
        content_type="application/json",
    )
    assert r.status_code == 422 and "không phải số điện thoại" in r.json()["title"]


def test_tree_browser_pages_long_lists_of_children(units, people, client_for):
    from suotdoi.organisations.actions import unit_create
    from suotdoi.organisations.models import UnitType

    t = UnitType.objects.get(code="to-cong-doan")
    for i in range(205):
        unit_create(
            actor=people["admin"],
            parent=units["grassroots"],
            name=f"Tổ {i}",
            code=f"TO-{i:03d}",
            unit_type=t,
        )
    c = client_for(people["grassroots_chair"])
    first = c.get(f"/units/{units['grassroots'].pk}/children/").content.decode()
    assert first.count("<li>") == 200 and "?page=2" in first and "208" in first
    second = c.get(f"/units/{units['grassroots'].pk}/children/?page=2").content.decode()
    assert second.count("<li>") == 8 and "<ul>" not in second and "?page=3" not in second

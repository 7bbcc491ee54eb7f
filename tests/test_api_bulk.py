"""#19.2: another system pushes members in bulk with a token: all or none, the same checks as an
Excel import, and sending the same members again changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from suotdoi.api.tokens import token_create
from suotdoi.organisations.models import Membership
from suotdoi.people.models import Person

pytestmark = pytest.mark.django_db


def _api(people, units, caps=("view", "manage_members")):
    _row, secret = token_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], kind="personal",
        name="Phần mềm quản lý đoàn viên", capabilities=list(caps), days=1,
    )  # fmt: skip
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Minh", "Nam"]


def _members(n, start=0):
    return [
        {"full_name": f"Nguyễn Văn Thợ {GIVEN[i % 10]}", "phone": f"0977{i:06d}",
         "gender": "male", "date_of_birth": "1990-05-17"}
        for i in range(start, start + n)
    ]  # fmt: skip


def test_bulk_members_land_once_even_when_sent_twice(people, units):
    api = _api(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}/memberships/bulk"
    body = {"members": _members(300), "consent": True}
    before = Membership.objects.filter(unit=units["grassroots"]).count()
    r = api.post(url, body, content_type="application/json")
    assert r.status_code == 200, r.content[:500]
    got = r.json()
    assert got["people_created"] == 300 and got["memberships_created"] == 300
    r2 = api.post(url, body, content_type="application/json")
    assert r2.status_code == 200
    assert r2.json()["memberships_created"] == 0 and r2.json()["memberships_unchanged"] == 300
    assert Membership.objects.filter(unit=units["grassroots"]).count() == before + 300
    assert Person.objects.filter(full_name__startswith="Nguyễn Văn Thợ").count() == 300


def test_one_bad_member_keeps_the_whole_request_out(people, units):
    api = _api(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}/memberships/bulk"
    members = _members(5)
    members[3]["phone"] = "123"
    members[4]["unit_code"] = "KHONG-CO"
    before = Person.objects.count()
    r = api.post(url, {"members": members, "consent": True}, content_type="application/json")
    assert r.status_code == 422
    items = {e["item"] for e in r.json()["errors"]}
    assert items == {3, 4} and Person.objects.count() == before
    r = api.post(url, {"members": _members(2), "consent": False}, content_type="application/json")
    assert r.status_code == 422 and Person.objects.count() == before
    too_many = {"members": _members(1001), "consent": True}
    assert api.post(url, too_many, content_type="application/json").status_code == 422


def test_without_the_capability_or_outside_the_subtree_nothing_lands(people, units):
    before = Person.objects.count()
    body = {"members": _members(2), "consent": True}
    weak = _api(people, units, caps=("view",))
    r = weak.post(
        f"/api/v1/units/{units['grassroots'].pk}/memberships/bulk", body,
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 404
    strong = _api(people, units)
    r = strong.post(
        f"/api/v1/units/{units['federation'].pk}/memberships/bulk", body,
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 404 and Person.objects.count() == before


def test_external_ids_find_memberships_again_and_never_clash(people, units):
    """An HR system keys its people by its own id: sent again with a new phone, the member is
    found by that id (no second person), the position is updated, the phone stays theirs."""
    api = _api(people, units)
    g = units["grassroots"]
    url = f"/api/v1/units/{g.pk}/memberships/bulk"
    first = [{**m, "external_id": f"HR-{i}"} for i, m in enumerate(_members(3))]
    r = api.post(url, {"members": first, "consent": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["memberships_created"] == 3, r.content
    assert set(
        Membership.objects.filter(unit=g, external_id__startswith="HR-").values_list(
            "external_id", flat=True
        )
    ) == {"HR-0", "HR-1", "HR-2"}
    people_before = Person.objects.count()
    moved = [{**first[0], "phone": "0977999999", "position_title": "Tổ trưởng"}]
    r = api.post(url, {"members": moved, "consent": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["memberships_updated"] == 1 and r.json()["memberships_created"] == 0
    m = Membership.objects.get(unit=g, external_id="HR-0", end_date__isnull=True)
    assert m.position_title == "Tổ trưởng" and m.person.phone == "+84977000000"
    assert Person.objects.count() == people_before
    # An existing member (matched by phone) takes the external id sent with them.
    again = [{**first[1], "external_id": "HR-1b"}]
    r = api.post(url, {"members": again, "consent": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["memberships_unchanged"] == 1
    assert Membership.objects.filter(unit=g, external_id="HR-1b").count() == 1
    # The same id twice in one request: 422, nothing saved.
    twice = [
        {**_members(1, start=50)[0], "external_id": "HR-9"},
        {**_members(1, start=51)[0], "external_id": "HR-9"},
    ]
    n = Membership.objects.count()
    r = api.post(url, {"members": twice, "consent": True}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["item"] == 1
    assert Membership.objects.count() == n
    # Control characters never reach a query.
    bad = [{**_members(1, start=60)[0], "external_id": "HR\x00"}]
    r = api.post(url, {"members": bad, "consent": True}, content_type="application/json")
    assert r.status_code == 422


def test_units_are_upserted_by_code_inside_the_subtree_only(people, units):
    from suotdoi.organisations.models import Unit

    api = _api(people, units, caps=("view", "manage_units"))
    g = units["grassroots"]
    url = f"/api/v1/units/{g.pk}/units/bulk"
    body = {
        "units": [
            {"code": "px-may-1", "name": "Phân xưởng May 1", "unit_type": "cd-bo-phan"},
            {
                "code": "TO-1A",
                "name": "Tổ 1A",
                "unit_type": "to-cong-doan",
                "parent_code": "PX-MAY-1",
            },
        ]
    }
    r = api.post(url, body, content_type="application/json")
    assert r.status_code == 200 and r.json() == {"created": 2, "updated": 0, "unchanged": 0}, (
        r.content
    )
    px = Unit.objects.get(tree_key=g.tree_key, code="PX-MAY-1")
    assert Unit.objects.get(tree_key=g.tree_key, code="TO-1A").path.startswith(px.path)
    again = api.post(url, body, content_type="application/json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    body["units"][1]["name"] = "Tổ 1A (ca đêm)"
    r = api.post(url, body, content_type="application/json")
    assert r.json() == {"created": 0, "updated": 1, "unchanged": 1}
    n = Unit.objects.count()
    fed_code = units["federation"].code
    t = "to-cong-doan"
    for bad in (
        [{"code": fed_code, "name": "Chiếm mã", "unit_type": t}],  # a unit above: refused
        [{"code": "TO-1A", "name": "Tổ 1A", "unit_type": t}],  # a move: refused
        [{"code": "X-1", "name": "Mới", "unit_type": t, "parent_code": fed_code}],
        [{"code": "X-2", "name": "Mới", "unit_type": "nope"}],
        [{"code": "X-3", "name": "Mới", "unit_type": t}] * 2,
        [
            {"code": "X-4", "name": "Mới", "unit_type": t},
            {"code": "X\x00", "name": "M", "unit_type": t},
        ],
    ):
        r = api.post(url, {"units": bad}, content_type="application/json")
        assert r.status_code == 422, (bad, r.content)
    assert Unit.objects.count() == n
    weak = _api(people, units, caps=("view", "manage_members"))
    r = weak.post(url, body, content_type="application/json")
    assert r.status_code == 404


def test_a_null_unit_code_means_this_unit(people, units):
    """A spreadsheet's empty cell often arrives as null: the document says so and it lands in
    the unit the request is for (found by schemathesis in a CI rehearsal)."""
    api = _api(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}/memberships/bulk"
    member = {**_members(1, start=40)[0], "unit_code": None}
    r = api.post(url, {"members": [member], "consent": True}, content_type="application/json")
    assert r.status_code == 200, r.content[:500]
    assert Membership.objects.filter(
        unit=units["grassroots"], person__full_name=member["full_name"]
    ).exists()

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

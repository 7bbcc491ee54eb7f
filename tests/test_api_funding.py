"""#19 for learning accounts (#20): a fund's figures and spends for its unit's systems, credit
granted to named members (once a round), a provider's payments — and nothing for other trees."""

from __future__ import annotations

import pytest
from django.test import Client

from suotdoi.api.tokens import token_create
from suotdoi.funding import actions
from suotdoi.funding.models import LedgerAccount

pytestmark = pytest.mark.django_db


def _token(people, units, who="grassroots_chair", unit="grassroots", caps=None):
    caps = caps or ["view", "view_members", "manage_members"]
    _row, secret = token_create(
        actor=people[who],
        unit=units[unit],
        kind="personal",
        name="Kế toán",
        capabilities=caps,
        days=1,
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_fund_read_granted_and_its_provider_statement(people, units):
    from suotdoi.catalog import actions as catalog
    from tests.funding_world import fund_for, paid_course

    chair, mai = people["grassroots_chair"], people["member"]
    g = units["grassroots"]
    course = paid_course(people, units, price=300_000)
    fund = fund_for(people, units, course, deposit=10_000_000)
    api = _token(people, units)
    body = {"round_label": "2026", "learners": [{"phone": "0912000001"}]}
    r = api.post(f"/api/v1/funds/{fund.pk}/grants", body, content_type="application/json")
    assert r.json() == {"granted": 1, "already": 0}, r.content
    r = api.post(f"/api/v1/funds/{fund.pk}/grants", body, content_type="application/json")
    assert r.json() == {"granted": 0, "already": 1}
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    s = actions._hold(person=mai, fund=fund, course=course, run=None, made_by=mai)
    catalog.complete(actor=chair, enrolment=s.enrolment)
    assert actions.spend_settle(actor=chair, spend=s) == "review"  # completed too fast
    actions.spend_approve(actor=people["provincial_officer"], spend=s)
    got = api.get(f"/api/v1/funds/{fund.pk}").json()
    assert got["figures"]["paid"] == 300_000 and got["reconciled"] is True
    assert api.get(f"/api/v1/units/{g.pk}/funds").json()["results"][0]["id"] == fund.pk
    spends = api.get(f"/api/v1/funds/{fund.pk}/spends?status=paid").json()["results"]
    assert [x["amount"] for x in spends] == [300_000]
    paid = api.get(f"/api/v1/providers/{g.pk}/payments").json()["results"]
    assert paid[0]["provider_unit_id"] == g.pk
    foreign = _token(people, units, who="foreign_officer", unit="foreign_federation")
    reader = _token(people, units, caps=["view"])
    for c in (foreign, reader):
        r = c.post(f"/api/v1/funds/{fund.pk}/grants", body, content_type="application/json")
        assert r.status_code == 404
        assert c.get(f"/api/v1/funds/{fund.pk}/spends").status_code == 404
        assert c.get(f"/api/v1/providers/{g.pk}/payments").status_code == 404
    assert foreign.get(f"/api/v1/funds/{fund.pk}").status_code == 404
    # A stranger named by phone is a 422, with nothing granted.
    r = api.post(
        f"/api/v1/funds/{fund.pk}/grants",
        {"round_label": "2027", "learners": [{"phone": "0912000009"}]},
        content_type="application/json",
    )
    assert r.status_code == 422


def test_a_list_and_the_register_groups_through_the_api(people, units):
    """A system names people on a fund's list (all or none, the same 422 for somebody of
    another tree) and keeps the register's occupation and household groups by external id."""
    from suotdoi.funding.models import FundListEntry
    from suotdoi.organisations.models import Membership
    from tests.funding_world import fund_for, paid_course

    g = units["grassroots"]
    fund = fund_for(people, units, paid_course(people, units), list_only=True)
    api = _token(people, units)
    url = f"/api/v1/funds/{fund.pk}/list"
    outsider = {"national_id": "001099000123"}
    r = api.post(
        url, {"learners": [{"phone": "0912000001"}, outsider]}, content_type="application/json"
    )
    assert r.status_code == 422 and not FundListEntry.objects.exists()
    for expected in ({"added": 1, "listed": 1}, {"added": 0, "listed": 1}):
        r = api.post(url, {"learners": [{"phone": "0912000001"}]}, content_type="application/json")
        assert r.json() == expected, r.content
    assert fund.pk == api.get(f"/api/v1/funds/{fund.pk}").json()["id"]
    assert api.get(f"/api/v1/funds/{fund.pk}").json()["list_only"] is True
    item = {"full_name": "Đặng Văn Lực", "phone": "0977333001", "external_id": "HR-77",
            "occupation_group": "8", "income_group": "near_poor"}  # fmt: skip
    bulk = f"/api/v1/units/{g.pk}/memberships/bulk"
    r = api.post(bulk, {"members": [item], "consent": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    m = Membership.objects.get(external_id="HR-77")
    assert (m.occupation_group, m.income_group) == ("8", "near_poor")
    item |= {"occupation_group": "7", "income_group": "poor"}
    r = api.post(bulk, {"members": [item], "consent": True}, content_type="application/json")
    assert r.json()["memberships_updated"] == 1
    m.refresh_from_db()
    assert (m.occupation_group, m.income_group) == ("7", "poor")
    item["income_group"] = "rich"
    r = api.post(bulk, {"members": [item], "consent": True}, content_type="application/json")
    assert r.status_code == 422
    listed = api.get(f"/api/v1/units/{g.pk}/memberships?page_size=100").json()["results"]
    assert any(x["occupation_group"] == "7" and x["income_group"] == "poor" for x in listed)

"""#19.2: what real API clients rely on — `Idempotency-Key` on writes, ETags on reads, and a
rate limit per token."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from suotdoi.api.tokens import token_create
from suotdoi.organisations.models import Membership
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db


def _token(people, units, caps=("view", "manage_members"), who="grassroots_chair"):
    _row, secret = token_create(
        actor=people[who], unit=units["grassroots"], kind="personal", name="LMS",
        capabilities=list(caps), days=30,
    )  # fmt: skip
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_replayed_write_with_its_key_is_done_once(people, units):
    api = _token(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}/memberships"
    body = {"full_name": "Nguyễn Văn Máy", "phone": "0912 444 555", "consent": True}
    before = Membership.objects.count()
    first = api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == json.loads(first.content)
    assert Membership.objects.count() == before + 1
    # The same key for another body is refused; nothing is written.
    other = api.post(
        url, {**body, "full_name": "Người khác"}, content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )  # fmt: skip
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency_key_reused")
    assert Membership.objects.count() == before + 1
    # Keys belong to a token: another token's "k-1" is its own.
    api2 = _token(people, units)
    r = api2.post(
        url, {**body, "full_name": "Trần Thị Hai", "phone": "0912 444 556"},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1",
    )  # fmt: skip
    assert r.status_code == 201 and "Idempotent-Replayed" not in r


def test_a_failed_write_may_be_retried_with_the_same_key(people, units):
    api = _token(people, units, caps=("view",))
    url = f"/api/v1/units/{units['grassroots'].pk}/memberships"
    body = {"full_name": "Nguyễn Văn Máy", "phone": "0912 444 555", "consent": True}
    r = api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert r.status_code == 404
    assert (
        api.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="").status_code
        == 422
    )
    assert (
        api.post(
            url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x" * 201
        ).status_code
        == 422
    )


def test_self_declared_entries_are_not_doubled_by_a_retry(people, client_for):
    mai = people["member"]
    # A browser session sends no header: the body's own idempotency_key holds for it.
    c = client_for(mai)
    body = {
        "title": "Đọc sách", "kind": "reading", "start_date": "2026-11-20", "hours": "2",
        "idempotency_key": "retry-1",
    }  # fmt: skip
    c.post("/api/v1/record/entries", body, content_type="application/json")
    c.post("/api/v1/record/entries", body, content_type="application/json")
    assert LearningEntry.objects.filter(person=mai, title="Đọc sách").count() == 1


def test_reads_carry_an_etag_and_answer_304_when_unchanged(people, units):
    api = _token(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}"
    r = api.get(url)
    tag = r["ETag"]
    assert r.status_code == 200 and tag.startswith('"')
    r2 = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert r2.status_code == 304 and r2["ETag"] == tag and not r2.content
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@override_settings(API_TOKEN_REQUESTS_PER_MINUTE=3)
def test_each_token_has_its_own_rate_limit(people, units):
    api = _token(people, units)
    url = f"/api/v1/units/{units['grassroots'].pk}"
    codes = [api.get(url).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = api.get(url)
    assert r["Content-Type"] == "application/problem+json"
    assert _token(people, units).get(url).status_code == 200  # another token is not held back


def test_a_dashboard_reads_a_units_figures_with_a_token(people, units):
    import datetime as dt
    from decimal import Decimal

    from suotdoi.records.actions import entry_record, entry_verify

    today = dt.date.today()
    e, _ = entry_record(
        actor=people["member"], person=people["member"], source_key="fig:1", title="Học",
        kind="course", start_date=today, hours=Decimal("6"), provenance="self_declared",
        unit=units["group"],
    )  # fmt: skip
    entry_verify(actor=people["grassroots_chair"], entry=e)
    api = _token(people, units, caps=("view",))
    r = api.get(f"/api/v1/units/{units['grassroots'].pk}/figures")
    body = r.json()
    assert r.status_code == 200 and body["year"] == today.year
    month = next(m for m in body["months"] if m["month"] == today.month)
    assert Decimal(str(month["verified"])) >= 6 and Decimal(str(body["hours"])) >= 6
    assert (
        api.get(f"/api/v1/units/{units['grassroots'].pk}/figures?year=1900").json()["year"]
        == today.year
    )
    assert api.get(f"/api/v1/units/{units['federation'].pk}/figures").status_code == 404


def test_nul_and_control_characters_are_refused_before_any_query(people, units, client_for):
    """PostgreSQL refuses NUL in text: found by schemathesis as a 500 on unit_type."""
    api = _token(people, units, caps=("view", "manage_members", "manage_units"))
    g = units["grassroots"].pk
    cases = [
        (f"/api/v1/units/{g}/children", {"name": "Tổ mới", "code": "TCD-X", "unit_type": "\x00"}),
        (
            f"/api/v1/units/{g}/memberships/bulk",
            {"members": [{"full_name": "Lê Văn A", "unit_code": "A\x00"}], "consent": True},
        ),
        (
            f"/api/v1/units/{g}/memberships/bulk",
            {"members": [{"full_name": "Lê Văn A", "phone": "09\x0012"}], "consent": True},
        ),
        (f"/api/v1/units/{g}/memberships", {"full_name": "Lê Văn A", "role": "m\x00"}),
    ]
    for url, body in cases:
        r = api.post(url, body, content_type="application/json")
        assert r.status_code == 422, (url, r.status_code, r.content[:300])
    member = client_for(people["member"])
    base = {"title": "Đọc sách", "kind": "reading", "start_date": "2026-11-20", "hours": "1"}
    for extra in ({"tags": ["a\x00"]}, {"idempotency_key": "k\x00"},
                  {"evidence_url": "https://a.vn/\x00"}):  # fmt: skip
        r = member.post(
            "/api/v1/record/entries", {**base, **extra}, content_type="application/json"
        )
        assert r.status_code == 422, (extra, r.status_code, r.content[:300])


def test_a_keyed_write_checks_its_token_once(people, units, monkeypatch):
    """The Idempotency-Key middleware and the API's authentication share one token lookup."""
    from suotdoi.api import tokens

    _row, secret = tokens.token_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], kind="personal",
        name="HR", capabilities=["view", "manage_members"], days=1,
    )  # fmt: skip
    calls = []
    real = tokens.authenticate_bearer
    monkeypatch.setattr(tokens, "authenticate_bearer", lambda t: calls.append(t) or real(t))
    c = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    r = c.post(
        f"/api/v1/units/{units['grassroots'].pk}/memberships",
        {"full_name": "Vũ Thị Hoa", "phone": "0912111333", "consent": True},
        content_type="application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    assert r.status_code == 201, r.content
    assert len(calls) == 1

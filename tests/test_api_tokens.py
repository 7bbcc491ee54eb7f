"""#19.1: machine access — personal access tokens and OAuth 2.0 client credentials, each held
to a unit's subtree and named capabilities; stored hashed, shown once, revocable."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from suotdoi.api.models import ApiAccessToken, ApiToken
from suotdoi.audit.models import AuditEvent
from suotdoi.organisations.models import Membership

pytestmark = pytest.mark.django_db


def _make(client_for, people, units, *, kind="personal", caps=("view",), who="grassroots_chair"):
    c = client_for(people[who])
    r = c.post(
        f"/units/{units['grassroots'].pk}/api-access/",
        {"name": "Phần mềm quản lý đoàn viên", "kind": kind, "capabilities": list(caps),
         "days": "90"},
    )  # fmt: skip
    assert r.status_code == 200
    page = r.content.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    return c, ApiToken.objects.latest("pk"), secret


def _bearer(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_personal_token_is_shown_once_stored_hashed_and_held_to_its_subtree(
    people, units, client_for
):
    # A provincial officer makes a token for one grassroots union only.
    officer, row, secret = _make(client_for, people, units, who="provincial_officer")
    assert officer.get(f"/api/v1/units/{units['federation'].pk}").status_code == 200
    assert secret.startswith("sdt_") and secret not in str(ApiToken.objects.values())
    assert (
        secret not in officer.get(f"/units/{units['grassroots'].pk}/api-access/").content.decode()
    )
    api = _bearer(secret)
    assert api.get(f"/api/v1/units/{units['grassroots'].pk}").status_code == 200
    assert api.get(f"/api/v1/units/{units['group'].pk}").status_code == 200  # below it
    # The officer's own powers reach the federation; the token's do not.
    assert api.get(f"/api/v1/units/{units['federation'].pk}").status_code == 404
    assert api.get(f"/api/v1/units/{units['foreign_federation'].pk}").status_code == 404
    # Only what was ticked: no member lists, no writes.
    assert api.get(f"/api/v1/units/{units['grassroots'].pk}/memberships").status_code == 404
    before = Membership.objects.count()
    r = api.post(
        f"/api/v1/units/{units['grassroots'].pk}/memberships",
        {"full_name": "Nguyễn Văn Máy", "phone": "0912 444 555", "consent": True},
        content_type="application/json",
    )
    assert r.status_code == 404 and Membership.objects.count() == before
    row.refresh_from_db()
    assert row.last_used_at is not None
    ev = AuditEvent.objects.get(verb="api.token_create", target_id=str(row.pk))
    assert secret.removeprefix("sdt_") not in str(ev.data)  # the whole secret (it may hold "_")


def test_a_token_with_manage_members_writes_and_the_row_names_its_owner(people, units, client_for):
    _c, _row, secret = _make(client_for, people, units, caps=("view", "manage_members"))
    r = _bearer(secret).post(
        f"/api/v1/units/{units['grassroots'].pk}/memberships",
        {"full_name": "Nguyễn Văn Máy", "phone": "0912 444 555", "consent": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    ev = AuditEvent.objects.filter(verb="membership.add").latest("pk")
    assert ev.actor == people["grassroots_chair"]


def test_client_credentials_give_an_hour_long_token(people, units, client_for):
    _c, row, secret = _make(client_for, people, units, kind="client")
    anon = Client()
    basic = base64.b64encode(f"{row.public_id}:{secret}".encode()).decode()
    r = anon.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert r.status_code == 200 and r["Cache-Control"] == "no-store", r.content
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert (
        _bearer(body["access_token"]).get(f"/api/v1/units/{units['grassroots'].pk}").status_code
        == 200
    )
    # The client secret itself is not a bearer token; a wrong secret gets nothing.
    assert _bearer(secret).get(f"/api/v1/units/{units['grassroots'].pk}").status_code == 401
    r = anon.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", "client_id": row.public_id, "client_secret": "x"},
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = anon.post("/api/v1/oauth/token", {"grant_type": "password"})
    assert r.json()["error"] == "unsupported_grant_type"
    # Expired access tokens stop working.
    ApiAccessToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert (
        _bearer(body["access_token"]).get(f"/api/v1/units/{units['grassroots'].pk}").status_code
        == 401
    )


def test_revoked_tokens_and_tokens_of_people_who_lost_their_role_stop(people, units, client_for):
    officer, row, secret = _make(client_for, people, units)
    api = _bearer(secret)
    url = f"/api/v1/units/{units['grassroots'].pk}"
    assert api.get(url).status_code == 200
    # Outsiders cannot revoke it.
    for who in ("foreign_officer", "member", "group_leader"):
        assert client_for(people[who]).post(f"/api-access/{row.pk}/revoke/").status_code == 404
    assert api.get(url).status_code == 200
    officer.post(f"/api-access/{row.pk}/revoke/")
    assert api.get(url).status_code == 401
    _c, _row, secret2 = _make(client_for, people, units)
    Membership.objects.filter(person=people["grassroots_chair"], unit=units["grassroots"]).update(
        role="member"
    )
    assert _bearer(secret2).get(url).status_code == 404


def test_nobody_gives_a_token_more_than_they_may_do(people, units, client_for):
    c = client_for(people["group_leader"])  # an officer, not an evaluator
    before = ApiToken.objects.count()
    r = c.post(
        f"/units/{units['group'].pk}/api-access/",
        {"name": "x", "kind": "personal", "capabilities": ["evaluate"], "days": "30"},
    )
    assert r.status_code == 200 and ApiToken.objects.count() == before
    r = client_for(people["member"]).get(f"/units/{units['grassroots'].pk}/api-access/")
    assert r.status_code == 404


def test_a_platform_administrators_token_carries_no_platform_power(people, units, client_for):
    from suotdoi.api.tokens import token_create

    admin = people["admin"]
    row, secret = token_create(
        actor=admin, unit=units["grassroots"], kind="personal", name="x",
        capabilities=["view"], days=1,
    )  # fmt: skip
    api = _bearer(secret)
    assert api.get(f"/api/v1/units/{units['grassroots'].pk}").status_code in (200, 404)
    assert api.get(f"/api/v1/units/{units['foreign_federation'].pk}").status_code == 404


def test_the_document_names_both_ways_in_and_an_ascii_title():
    doc = Client().get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Suot Doi API"
    assert "X-CSRFToken" in doc["info"]["description"]
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert any(s.get("in") == "cookie" for s in schemes.values())
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z_]+", i) for i in ids), ids


def test_crafted_ids_and_secrets_get_401_not_an_error(people, units):
    url = f"/api/v1/units/{units['grassroots'].pk}"
    for bad in ("sdt_\x00_x", "sdt_" + "a" * 5000 + "_x", "sdt__", "sda_\x00", "sdt_zz"):
        assert Client(HTTP_AUTHORIZATION=f"Bearer {bad}").get(url).status_code == 401
    for cid in ("\x00", "a" * 500, "ä"):
        r = Client().post(
            "/api/v1/oauth/token",
            {"grant_type": "client_credentials", "client_id": cid, "client_secret": "x"},
        )
        assert r.status_code == 401 and r.json()["error"] == "invalid_client"

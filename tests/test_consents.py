"""#18.4: one register of every consent a person gave, purpose by purpose, each withdrawable
there; nobody else can withdraw (or learn about) someone's consents."""

from __future__ import annotations

import datetime as dt

import pytest

from suotdoi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/profile/consents/"


@pytest.fixture
def agreed(people, units):
    """Mai agreed to one thing under every purpose."""
    from suotdoi.credentials.actions import credential_share_set
    from suotdoi.recognition import emulation
    from suotdoi.records.actions import record_share_create
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.models import LearnerLink, LrsClient
    from suotdoi.records.models import AssistConsent, RecordShare
    from tests.credentials_helpers import issued
    from tests.test_emulation import _movement

    mai = people["member"]
    record_share_create(actor=mai)
    AssistConsent.objects.create(
        person=mai,
        unit=units["group"],
        given_on=dt.date.today(),
        form_photo="consents/x.jpg",
        recorded_by=people["group_leader"],
    )
    movement = _movement(people, units)
    emulation.movement_join(actor=mai, movement=movement)
    credential = issued(people, units)
    credential_share_set(actor=mai, credential=credential, on=True)
    lrs_client_create(actor=None, unit=units["clc"], name="Khoá học kỹ năng số")
    link = LearnerLink.objects.create(
        client=LrsClient.objects.get(name="Khoá học kỹ năng số"),
        home_page="https://hoc.example.vn",
        account_name="mai-01",
        person=mai,
        how="code",
    )
    return {
        "record_share": RecordShare.objects.get(person=mai).pk,
        "assist": AssistConsent.objects.get(person=mai).pk,
        "public_standings": movement.participants.get(person=mai).pk,
        "credential_link": credential.pk,
        "xapi_tool": link.pk,
    }


def test_every_consent_is_listed_and_withdrawn_from_one_page(people, agreed, client_for):
    from suotdoi.credentials.models import Credential
    from suotdoi.recognition.models import Participation
    from suotdoi.records.lrs.models import LearnerLink
    from suotdoi.records.models import AssistConsent, RecordShare

    mai = people["member"]
    c = client_for(mai)
    page = c.get(URL).content.decode()
    for text in (
        "Chia sẻ hồ sơ",
        "Thi đua học tập",
        "Khoá học kỹ năng số",
        "Cán bộ của",
        "Bất kỳ ai có đường liên kết",
    ):
        assert text in page, text
    assert page.count('name="item"') == 5  # a withdraw button for each
    before = AuditEvent.objects.count()
    for key, item in agreed.items():
        r = c.post(URL, {"key": key, "item": item})
        assert r.status_code == 302, key
    assert RecordShare.objects.get(pk=agreed["record_share"]).revoked_at
    assert AssistConsent.objects.get(pk=agreed["assist"]).withdrawn_by == mai
    assert not Participation.objects.get(pk=agreed["public_standings"]).public
    assert Credential.objects.get(pk=agreed["credential_link"]).share_token is None
    assert LearnerLink.objects.get(pk=agreed["xapi_tool"]).revoked_at
    assert AuditEvent.objects.count() - before == 5  # each withdrawal is audited once
    page = c.get(URL).content.decode()
    assert page.count('name="item"') == 0


def test_nobody_else_withdraws_or_sees_them(people, agreed, client_for):
    from suotdoi.records.models import RecordShare

    for who in ("group_leader", "grassroots_chair", "foreign_officer", "admin"):
        c = client_for(people[who])
        assert "Thi đua học tập" not in c.get(URL).content.decode()
        for key, item in agreed.items():
            assert c.post(URL, {"key": key, "item": item}).status_code == 404, (who, key)
    assert RecordShare.objects.get(pk=agreed["record_share"]).revoked_at is None
    mai = client_for(people["member"])
    for bad in ({"key": "nope", "item": 1}, {"key": "record_share", "item": "x"}, {}):
        assert mai.post(URL, bad).status_code == 404
    # A linked sign-in is removed on its own page (allauth checks another way in remains).
    assert mai.post(URL, {"key": "signin_link", "item": 1}).status_code == 404

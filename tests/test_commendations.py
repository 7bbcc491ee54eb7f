# ruff: noqa: E501 - Vietnamese test data
"""Commendations go up the tree with their justification, are approved in bulk by the deciding
level, give a credential, and show in the learner's record."""

import datetime as dt

import pytest

from suotdoi.audit.models import AuditEvent
from suotdoi.recognition.models import Commendation

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


def _propose(client, units, people, person_key="member", kind="giay_khen"):
    return client.post(
        f"/recognition/units/{units['grassroots'].pk}/commendations/propose/",
        {
            "person": people[person_key].pk,
            "kind": kind,
            "deciding_unit": units["federation"].pk,
            "justification": "Tích cực học tập, hoàn thành 3 khóa học và hướng dẫn đồng nghiệp.",
            "year": YEAR,
        },
    )


def test_proposals_go_up_and_are_approved_together(people, units, client_for):
    from suotdoi.credentials.models import Credential

    chair = client_for(people["grassroots_chair"])
    _propose(chair, units, people)
    _propose(chair, units, people, "group_leader")
    _propose(chair, units, people)  # the same achievement twice: refused
    assert Commendation.objects.count() == 2
    c = Commendation.objects.get(person=people["member"])
    assert "hours" in c.record_summary
    officer = client_for(people["provincial_officer"])
    officer.post(
        f"/recognition/units/{units['federation'].pk}/commendations/decide/",
        {
            "commendation": list(Commendation.objects.values_list("pk", flat=True)),
            "number": "88/QĐ-LĐLĐ",
            "date": f"{YEAR}-12-28",
            "signer": "Phạm Văn Bình",
            "signer_title": "Chủ tịch",
        },
    )
    assert Commendation.objects.filter(status="approved", decision_number="88/QĐ-LĐLĐ").count() == 2
    c.refresh_from_db()
    assert Credential.objects.get(pk=c.credential_id).achievement.kind == "commendation"
    record = client_for(people["member"]).get("/record/").content.decode()
    assert "88/QĐ-LĐLĐ" in record and "Giấy khen" in record


@pytest.mark.parametrize("who", ["foreign_officer", "association_officer", "member"])
def test_only_the_unit_proposes_and_only_the_deciding_level_decides(people, units, client_for, who):
    chair = client_for(people["grassroots_chair"])
    _propose(chair, units, people)
    c = client_for(people[who])
    before = (AuditEvent.objects.count(), Commendation.objects.count())
    assert _propose(c, units, people).status_code == 404
    r = c.post(
        f"/recognition/units/{units['federation'].pk}/commendations/decide/",
        {
            "commendation": [Commendation.objects.get().pk],
            "number": "1",
            "date": f"{YEAR}-12-01",
            "signer": "x",
            "signer_title": "y",
        },
    )
    assert r.status_code == 404
    assert (AuditEvent.objects.count(), Commendation.objects.count()) == before
    assert Commendation.objects.get().status == "proposed"


def test_the_proposing_unit_cannot_decide_its_own_proposal(people, units, client_for):
    chair = client_for(people["grassroots_chair"])
    _propose(chair, units, people)
    r = chair.post(
        f"/recognition/units/{units['federation'].pk}/commendations/decide/",
        {
            "commendation": [Commendation.objects.get().pk],
            "number": "1",
            "date": f"{YEAR}-12-01",
            "signer": "x",
            "signer_title": "y",
        },
    )
    assert r.status_code == 404 and Commendation.objects.get().status == "proposed"


def test_revoking_a_commendation_revokes_its_credential(people, units, client_for):
    from suotdoi.credentials.models import Credential

    _propose(client_for(people["grassroots_chair"]), units, people)
    officer = client_for(people["provincial_officer"])
    url = f"/recognition/units/{units['federation'].pk}/commendations/decide/"
    officer.post(
        url,
        {
            "commendation": [Commendation.objects.get().pk],
            "number": "9/QĐ",
            "date": f"{YEAR}-12-01",
            "signer": "A",
            "signer_title": "B",
        },
    )
    c = Commendation.objects.get()
    assert (
        client_for(people["grassroots_chair"])
        .post(url, {"revoke": c.pk, "reason": "Sai thông tin"})
        .status_code
        == 404
    )
    officer.post(url, {"revoke": c.pk, "reason": "Thành tích không đúng thực tế"})
    c.refresh_from_db()
    assert (
        c.status == "revoked" and Credential.objects.get(pk=c.credential_id).revoked_at is not None
    )
    assert "9/QĐ" not in client_for(people["member"]).get("/record/").content.decode()

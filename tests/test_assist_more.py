"""#18.3, the rest: consent by a code the member reads out; an officer checks a member in and
fills their self-assessment, only under consent, every write marked "on behalf of"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.audit.models import AuditEvent
from suotdoi.core.sms import MemoryBackend
from suotdoi.organisations.actions import membership_add
from suotdoi.people.models import Person
from suotdoi.records.models import AssistConsent, LearningEntry

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 200
PHONE = "+84912777001"


@pytest.fixture(autouse=True)
def _outbox():
    MemoryBackend.outbox.clear()
    yield
    MemoryBackend.outbox.clear()


def _elder(units, people, phone=PHONE):
    ba = Person.objects.create_user(full_name="Bùi Thị Ba", phone=phone)
    m, _ = membership_add(actor=people["grassroots_chair"], unit=units["grassroots"], person=ba)
    return ba, m


def _sent_code() -> str:
    texts = [x["text"] for x in MemoryBackend.outbox if x["to"] == PHONE]
    assert texts, MemoryBackend.outbox
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def _with_paper_consent(chair, m):
    r = chair.post(
        f"/record/assist/{m.pk}/",
        {
            "given_on": dt.date.today().isoformat(),
            "form_photo": SimpleUploadedFile("phieu.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    assert r.status_code == 302


def test_consent_by_a_code_the_member_reads_out(units, people, client_for):
    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    page = chair.get(f"/record/assist/{m.pk}/").content.decode()
    assert "0912 777 001" in page
    r = chair.post(f"/record/assist/{m.pk}/", {"action": "send_code"})
    assert r.status_code == 302
    code = _sent_code()
    assert "Lê Thị Hương" in MemoryBackend.outbox[-1]["text"]
    page = chair.get(f"/record/assist/{m.pk}/").content.decode()
    assert 'inputmode="numeric"' in page and code not in page
    # Another officer of the same unit cannot use the code this officer asked for.
    other = client_for(people["admin"])
    other.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": code})
    assert not AssistConsent.objects.filter(person=ba).exists()
    wrong = "000000" if code != "000000" else "111111"
    r = chair.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": wrong})
    assert r.status_code == 200 and not AssistConsent.objects.filter(person=ba).exists()
    r = chair.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": code})
    assert r.status_code == 302
    consent = AssistConsent.objects.get(person=ba)
    assert consent.method == "code" and not consent.form_photo
    ev = AuditEvent.objects.get(verb="assist.consent", target_id=str(consent.pk))
    assert ev.on_behalf_of == ba and ev.data["method"] == "code"
    assert not any(code in str(e.data) for e in AuditEvent.objects.all())
    mine = client_for(ba).get("/record/").content.decode()
    assert "Bạn đã đồng ý bằng cách đọc mã" in mine
    # Spent: the same code does not record a second consent.
    consent.withdrawn_at = consent.created_at
    consent.save()
    chair.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": code})
    assert AssistConsent.objects.filter(person=ba).count() == 1


def test_code_guessing_stops_after_five_tries_and_sends_are_limited(units, people, client_for):
    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    chair.post(f"/record/assist/{m.pk}/", {"action": "send_code"})
    code = _sent_code()
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != code][:5]
    for w in wrong:
        chair.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": w})
    chair.post(f"/record/assist/{m.pk}/", {"action": "confirm_code", "code": code})
    assert not AssistConsent.objects.filter(person=ba).exists()
    for _ in range(3):
        chair.post(f"/record/assist/{m.pk}/", {"action": "send_code"})
    assert len([x for x in MemoryBackend.outbox if x["to"] == PHONE]) == 3
    cache.clear()


def test_no_phone_no_code_and_outsiders_get_404(units, people, client_for):
    ba, m = _elder(units, people, phone=None)
    chair = client_for(people["grassroots_chair"])
    r = chair.post(f"/record/assist/{m.pk}/", {"action": "send_code"})
    assert r.status_code == 200 and not MemoryBackend.outbox
    for outsider in ("foreign_officer", "member", "group_leader"):
        c = client_for(people[outsider])
        assert c.post(f"/record/assist/{m.pk}/", {"action": "send_code"}).status_code == 404


def _session_now(people, units):
    from suotdoi.campaigns.models import Task
    from tests.test_campaigns import launched, session_of

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    return session_of(people, task)


def test_an_officer_checks_a_member_in_only_under_consent(units, people, client_for):
    from suotdoi.campaigns.models import Attendance

    ba, m = _elder(units, people)
    session = _session_now(people, units)
    chair = client_for(people["grassroots_chair"])
    url = f"/campaigns/assist/{m.pk}/sessions/{session.pk}/check-in/"
    assert chair.post(url).status_code == 404
    assert not Attendance.objects.filter(person=ba).exists()
    _with_paper_consent(chair, m)
    page = chair.get(f"/record/assist/{m.pk}/").content.decode()
    assert session.title in page and url in page
    assert chair.post(url).status_code == 302
    att = Attendance.objects.get(person=ba)
    assert att.method == "assisted" and att.settled_at
    entry = LearningEntry.objects.get(person=ba, source_key=f"session:{session.pk}:{ba.pk}")
    assert entry.entered_by == people["grassroots_chair"]
    ev = AuditEvent.objects.get(verb="session.attendance", target_id=str(att.pk))
    assert ev.on_behalf_of == ba and ev.actor == people["grassroots_chair"]
    # Twice is once.
    chair.post(url)
    assert Attendance.objects.filter(person=ba).count() == 1
    # Someone else's member, another tree: 404, nothing written.
    for outsider in ("foreign_officer", "member"):
        assert client_for(people[outsider]).post(url).status_code == 404
    mine = client_for(ba).get("/record/").content.decode()
    assert "Lê Thị Hương" in mine


def test_an_officer_fills_a_members_self_assessment_only_under_consent(units, people, client_for):
    from suotdoi.recognition import selectors as rs
    from suotdoi.recognition.models import Assessment

    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    cs = rs.current_set("cong-dan-hoc-tap")
    register = f"/recognition/assist/{m.pk}/register/"
    assert chair.post(register, {"set": cs.pk}).status_code == 404
    _with_paper_consent(chair, m)
    assert "cong-dan-hoc-tap" in str(cs.code)
    page = chair.get(f"/record/assist/{m.pk}/").content.decode()
    assert register in page
    r = chair.post(register, {"set": cs.pk})
    a = Assessment.objects.get(person=ba)
    assert r.status_code == 302 and r["Location"] == f"/recognition/assessments/{a.pk}/"
    scores = {f"v-{i.code}": "8" for i in cs.indicators.all() if not i.computed}
    r = chair.post(f"/recognition/assessments/{a.pk}/", {"submit": "1", **scores})
    a.refresh_from_db()
    assert a.status == "submitted"
    for verb in ("recognition.register", "recognition.self", "recognition.submit"):
        ev = AuditEvent.objects.get(verb=verb, target_id=str(a.pk))
        assert ev.actor == people["grassroots_chair"] and ev.on_behalf_of == ba
    # Who filled it for the member does not approve it too.
    from suotdoi.core.errors import ApplicationError
    from suotdoi.recognition import actions as ra

    with pytest.raises(ApplicationError) as refused:
        ra.assessment_approve(actor=people["grassroots_chair"], assessment=a)
    assert refused.value.code == "invalid"  # an evaluator here, refused for filling it
    a.refresh_from_db()
    assert a.status == "submitted"
    # Withdrawn: the officer can no longer change it.
    consent = AssistConsent.objects.get(person=ba)
    client_for(ba).post(f"/record/assist/consents/{consent.pk}/withdraw/")
    a.status = "returned"
    a.save()
    r = chair.post(f"/recognition/assessments/{a.pk}/", {**scores})
    assert r.status_code == 404
    # A member of a sibling unit, a foreign officer: nothing.
    for outsider in ("foreign_officer", "member"):
        c = client_for(people[outsider])
        assert c.post(register, {"set": cs.pk}).status_code == 404

"""#18.3: an officer acts for a member without a phone only with their recorded consent; every
such entry is marked, audited "on behalf of", visible to the member; consent withdrawable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.audit.models import AuditEvent
from suotdoi.organisations.actions import membership_add
from suotdoi.people.models import Person
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 200


def _elder(units, people):
    ba = Person.objects.create_user(full_name="Bùi Thị Ba", phone=None)
    m, _ = membership_add(actor=people["grassroots_chair"], unit=units["grassroots"], person=ba)
    return ba, m


def _declare(c, m, title="Đọc báo Nhân Dân"):
    return c.post(
        f"/record/assist/{m.pk}/",
        {
            "key": "self:assist-1",
            "kind": "reading",
            "title": title,
            "start_date": (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "hours": "1",
        },
    )


def test_no_consent_no_entry_then_with_consent_marked_and_audited(units, people, client_for):
    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    page = chair.get(f"/record/assist/{m.pk}/").content.decode()
    assert "Ghi nhận sự đồng ý của thành viên" in page
    _declare(chair, m)
    assert not LearningEntry.objects.filter(person=ba).exists()
    r = chair.post(
        f"/record/assist/{m.pk}/",
        {
            "given_on": dt.date.today().isoformat(),
            "note": "Ký tại nhà văn hoá",
            "form_photo": SimpleUploadedFile("phieu.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    assert r.status_code == 302
    _declare(chair, m)
    e = LearningEntry.objects.get(person=ba)
    assert e.entered_by == people["grassroots_chair"] and e.status == "pending"
    ev = AuditEvent.objects.get(verb="entry.record", target_id=str(e.pk))
    assert ev.actor == people["grassroots_chair"] and ev.on_behalf_of == ba
    mine = client_for(ba).get("/record/").content.decode()
    assert "Do Lê Thị Hương nhập hộ" in mine and "Ai được nhập hộ cho bạn" in mine


def test_a_withdrawn_consent_stops_assistance_and_outsiders_get_404(units, people, client_for):
    from suotdoi.records.models import AssistConsent

    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    chair.post(
        f"/record/assist/{m.pk}/",
        {
            "given_on": dt.date.today().isoformat(),
            "form_photo": SimpleUploadedFile("phieu.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    consent = AssistConsent.objects.get(person=ba)
    for outsider in ("foreign_officer", "member", "group_leader"):
        c = client_for(people[outsider])
        assert c.get(f"/record/assist/{m.pk}/").status_code == 404
        assert c.post(f"/record/assist/consents/{consent.pk}/withdraw/").status_code == 404
    client_for(ba).post(f"/record/assist/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_by == ba
    _declare(chair, m, "Sau khi rút")
    assert not LearningEntry.objects.filter(person=ba, title="Sau khi rút").exists()


def test_a_fake_photo_or_a_future_date_records_no_consent(units, people, client_for):
    from suotdoi.records.models import AssistConsent

    ba, m = _elder(units, people)
    chair = client_for(people["grassroots_chair"])
    chair.post(
        f"/record/assist/{m.pk}/",
        {
            "given_on": dt.date.today().isoformat(),
            "form_photo": SimpleUploadedFile(
                "phieu.jpg", b"MZ not a photo", content_type="image/jpeg"
            ),
        },
    )
    chair.post(
        f"/record/assist/{m.pk}/",
        {
            "given_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "form_photo": SimpleUploadedFile("phieu.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    assert not AssistConsent.objects.filter(person=ba).exists()

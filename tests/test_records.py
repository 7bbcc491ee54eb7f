"""The learning record: one idempotent write path, self-declaration, verification, figures."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.core.errors import ApplicationError
from suotdoi.notifications.models import Notification
from suotdoi.organisations.models import Unit
from suotdoi.records import actions, selectors
from suotdoi.records.models import EntryStatus, LearningEntry, Provenance, UnitFigure

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def record(people, units, **kw):
    args = {
        "actor": people["member"],
        "person": people["member"],
        "source_key": "self:1",
        "title": "Đọc sách “Học tập suốt đời”",
        "kind": "reading",
        "start_date": TODAY,
        "hours": Decimal("3"),
        "provenance": Provenance.SELF_DECLARED,
        "unit": units["group"],
    }
    args.update(kw)
    return actions.entry_record(**args)


def test_the_same_source_event_recorded_twice_yields_one_entry(people, units):
    e1, c1 = record(people, units, source_key="attendance:42", provenance=Provenance.UNIT_VERIFIED)
    e2, c2 = record(
        people,
        units,
        source_key="attendance:42",
        provenance=Provenance.UNIT_VERIFIED,
        hours=Decimal("9"),
    )
    assert (c1, c2) == (True, False) and e1.pk == e2.pk
    assert LearningEntry.objects.filter(source_key="attendance:42").count() == 1
    fig = UnitFigure.objects.get(unit=units["group"])
    assert (fig.entries, fig.hours, fig.verified_hours) == (1, Decimal("3"), Decimal("3"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": Decimal("-1")}, "không được âm"),
        ({"hours": Decimal("25")}, "24 giờ mỗi ngày"),
        ({"start_date": TODAY + dt.timedelta(days=1)}, "ngày trong tương lai"),
        ({"title": "<script>alert(1)</script>"}, "không được chứa"),
        ({"end_date": TODAY - dt.timedelta(days=3)}, "trước ngày bắt đầu"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_stored(people, units, changes, message):
    with pytest.raises(ApplicationError) as exc:
        record(people, units, **changes)
    assert message in str(exc.value.message)
    assert not LearningEntry.objects.exists() and not UnitFigure.objects.exists()


def test_several_days_allow_more_hours(people, units):
    e, _ = record(
        people, units, start_date=TODAY - dt.timedelta(days=2), end_date=TODAY, hours=Decimal("40")
    )
    assert e.hours == 40


def test_verify_moves_it_to_verified_and_tells_the_learner(people, units):
    e, _ = record(people, units)
    assert e.status == EntryStatus.PENDING
    actions.entry_verify(actor=people["group_leader"], entry=e)
    e.refresh_from_db()
    assert (e.status, e.provenance, e.verified_by) == (
        EntryStatus.VERIFIED,
        Provenance.UNIT_VERIFIED,
        people["group_leader"],
    )
    n = Notification.objects.get(recipient=people["member"])
    assert "đã được xác nhận" in n.title
    assert UnitFigure.objects.get(unit=units["group"]).verified_hours == 3
    with pytest.raises(ApplicationError):
        actions.entry_verify(actor=people["group_leader"], entry=e)


def test_reject_takes_it_out_of_the_figures(people, units):
    e, _ = record(people, units)
    actions.entry_reject(actor=people["group_leader"], entry=e, reason="Không có minh chứng")
    fig = UnitFigure.objects.get(unit=units["group"])
    assert (fig.entries, fig.hours) == (0, 0)
    assert "Không có minh chứng" in Notification.objects.get().body


def test_a_correction_supersedes_and_keeps_history(people, units):
    e, _ = record(people, units, provenance=Provenance.UNIT_VERIFIED)
    new = actions.entry_supersede(actor=people["member"], entry=e, hours=Decimal("2"))
    e.refresh_from_db()
    assert e.status == EntryStatus.SUPERSEDED and new.supersedes_id == e.pk
    assert new.status == EntryStatus.PENDING  # the correction is verified again
    fig = UnitFigure.objects.get(unit=units["group"])
    assert (fig.entries, fig.hours, fig.verified_hours) == (1, 2, 0)


def test_province_yearly_hours_is_a_sum_of_unit_rows(people, units):
    record(people, units, source_key="a", provenance=Provenance.UNIT_VERIFIED)
    record(people, units, source_key="b", unit=Unit.objects.get(code="TCD-002-1"))
    record(people, units, source_key="c", unit=units["commune"])
    fig = selectors.unit_year_hours(unit=units["federation"], year=TODAY.year)
    assert fig["hours"] == 6 and fig["verified"] == 3 and fig["entries"] == 2


def test_declare_page_saves_once_even_if_submitted_twice(people, client_for):
    c = client_for(people["member"])
    page = c.get("/record/add/").content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    group = units_group_id(people)
    form = {
        "key": key,
        "kind": "reading",
        "title": "Truyện Kiều",
        "start_date": TODAY.strftime("%d/%m/%Y"),
        "hours": "2.5",
        "unit": group,
    }
    r1 = c.post("/record/add/", form)
    r2 = c.post("/record/add/", form)
    assert r1.status_code == r2.status_code == 302
    entry = LearningEntry.objects.get(person=people["member"])
    assert entry.hours == Decimal("2.5") and entry.status == EntryStatus.PENDING


def units_group_id(people):
    return people["member"].memberships.filter(unit__code="TCD-001-1").first().unit_id


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bang.exe", b"MZ\x90\x00"), "PDF, JPG hoặc PNG"),
        (SimpleUploadedFile("anh.jpg", b"%PDF-1.4 fake"), "PDF, JPG hoặc PNG"),
        (SimpleUploadedFile("to.pdf", b"%PDF" + b"0" * (30 * 1024 * 1024)), "giới hạn là 10 MB"),
    ],
    ids=["wrong-type", "mismatched-content", "30-MB"],
)
def test_bad_evidence_is_refused(people, client_for, upload, message):
    c = client_for(people["member"])
    r = c.post(
        "/record/add/",
        {
            "key": "self:x",
            "kind": "course",
            "title": "Tin học cơ bản",
            "start_date": TODAY.strftime("%d/%m/%Y"),
            "hours": "4",
            "evidence_file": upload,
        },
    )
    assert r.status_code == 200 and message in r.content.decode()
    assert not LearningEntry.objects.exists()


def test_good_evidence_is_kept(people, client_for):
    c = client_for(people["member"])
    pdf = SimpleUploadedFile("chung-chi.pdf", b"%PDF-1.4\n%binh dan hoc vu so\n")
    r = c.post(
        "/record/add/",
        {
            "key": "self:y",
            "kind": "online_elsewhere",
            "title": "Bình dân học vụ số",
            "start_date": TODAY.strftime("%d/%m/%Y"),
            "hours": "6",
            "evidence_file": pdf,
        },
    )
    assert r.status_code == 302
    assert LearningEntry.objects.get().evidence_file.name.endswith(".pdf")


def test_my_record_page_and_json_export(people, units, client_for):
    record(people, units, source_key="a", provenance=Provenance.UNIT_VERIFIED)
    record(people, units, source_key="b")
    c = client_for(people["member"])
    html = c.get("/record/").content.decode()
    assert "Đọc sách" in html and "Chờ xác nhận" in html and "Đã xác nhận" in html
    data = json.loads(c.get("/record/export.json").content)
    assert data["format"] == "suotdoi.learning-record/1" and len(data["entries"]) == 2
    assert {e["provenance"] for e in data["entries"]} == {"unit_verified", "self_declared"}


def test_record_page_query_count_does_not_grow(people, units, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(people["member"])
    record(people, units, source_key="a")
    c.get("/record/")
    with CaptureQueriesContext(connection) as few:
        c.get("/record/")
    for i in range(10):
        record(people, units, source_key=f"more{i}")
    with CaptureQueriesContext(connection) as many:
        c.get("/record/")
    assert len(many) == len(few)


OUTSIDERS = [
    "foreign_officer",
    "association_officer",
    "commune_officer",
    "member",
    "sibling_officer",
]


@pytest.fixture
def sibling_officer(people, units):
    from suotdoi.organisations.actions import membership_add
    from tests.factories import PersonFactory

    officer = PersonFactory()
    membership_add(
        actor=people["admin"], unit=units["sibling_group"], person=officer, role="officer"
    )
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # officers have two-factor
    return officer


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_see_or_verify_an_entry(
    persona, people, units, client_for, sibling_officer
):
    """The foreign officer, officers of other trees or of a sibling group, and another member
    get 404 on every record page and endpoint of someone else's entry; nothing changes."""
    from suotdoi.audit.models import AuditEvent

    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    e, _ = record(
        people,
        units,
        person=people["group_leader"],
        actor=people["group_leader"],
        evidence_file=pdf,
    )
    who = sibling_officer if persona == "sibling_officer" else people[persona]
    c = client_for(who)
    before = (AuditEvent.objects.count(), LearningEntry.objects.count())
    for method, url, data in [
        ("get", f"/record/entries/{e.pk}/", None),
        ("get", f"/record/entries/{e.pk}/evidence/", None),
        ("get", f"/record/entries/{e.pk}/correct/", None),
        (
            "post",
            f"/record/entries/{e.pk}/correct/",
            {"title": "x y", "hours": "1", "start_date": "01/01/2026"},
        ),
        ("get", f"/record/verify/{e.pk}/reject/", None),
        ("post", f"/record/verify/{e.pk}/reject/", {"reason": "không"}),
        ("post", "/record/verify/bulk/", {"entry": [e.pk]}),
        ("get", f"/api/v1/record/entries/{e.pk}", None),
        ("post", f"/api/v1/record/entries/{e.pk}/verify", None),
        ("post", f"/api/v1/record/entries/{e.pk}/reject", {"reason": "không"}),
    ]:
        if url.startswith("/api/") and method == "post":
            r = c.post(url, data or {}, content_type="application/json")
        else:
            r = getattr(c, method)(url, data or {})
        assert r.status_code == 404, (persona, method, url, r.status_code)
    assert e.pk not in [x.pk for x in selectors.verification_queue(actor=who)]
    e.refresh_from_db()
    assert e.status == EntryStatus.PENDING
    assert (AuditEvent.objects.count(), LearningEntry.objects.count()) == before


@pytest.mark.parametrize("persona", ["group_leader", "grassroots_chair", "provincial_officer"])
def test_officers_above_verify_in_bulk(persona, people, units, client_for):
    e, _ = record(people, units)
    c = client_for(people[persona])
    assert "Đọc sách" in c.get("/record/verify/").content.decode()
    r = c.post("/record/verify/bulk/", {"entry": [e.pk]})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.status == EntryStatus.VERIFIED


def test_api_declare_is_idempotent_and_lists_mine(people, units, client_for):
    c = client_for(people["member"])
    body = {
        "title": "Khóa học an toàn lao động",
        "kind": "course",
        "start_date": TODAY.isoformat(),
        "hours": "8",
        "unit_id": units["group"].pk,
        "tags": ["professional"],
        "idempotency_key": "k-1",
    }
    r1 = c.post("/api/v1/record/entries", body, content_type="application/json")
    r2 = c.post("/api/v1/record/entries", body, content_type="application/json")
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert r1.json()["id"] == r2.json()["id"]
    assert len(c.get("/api/v1/record/entries").json()["results"]) == 1
    other = client_for(people["foreign_officer"])
    assert other.get(f"/api/v1/record/entries/{r1.json()['id']}").status_code == 404
    bad = c.post(
        "/api/v1/record/entries",
        {**body, "idempotency_key": None, "hours": "30"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    foreign_unit = c.post(
        "/api/v1/record/entries",
        {**body, "idempotency_key": "k-2", "unit_id": units["foreign_federation"].pk},
        content_type="application/json",
    )
    assert foreign_unit.status_code == 404


def test_venue_qr_visit_once_a_day(people, units, client_for):
    from suotdoi.organisations.models import Unit
    from suotdoi.records.venues import venue_token

    library = Unit.objects.get(code="TV-NB")
    officer = people["commune_officer"]  # the library sits under the commune
    poster = client_for(officer).get(f"/record/venues/{library.pk}/poster/")
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    token = venue_token(library)
    assert f"/record/visit/{token}/" in poster.content.decode()
    c = client_for(people["member"])
    assert "Ghi nhận lần tham quan" in c.get(f"/record/visit/{token}/").content.decode()
    c.post(f"/record/visit/{token}/")
    c.post(f"/record/visit/{token}/")  # scanned twice the same day
    visits = LearningEntry.objects.filter(person=people["member"], kind="visit")
    assert visits.count() == 1
    v = visits.get()
    assert v.status == EntryStatus.VERIFIED and v.provenance == Provenance.UNIT_VERIFIED
    assert v.unit_id == library.pk
    again = client_for(officer).get(f"/record/venues/{library.pk}/poster/").content.decode()
    assert ": 1</li>" in again
    # a forged token or a unit that is not a venue gives 404
    assert c.get("/record/visit/123:forged/").status_code == 404
    group_token = venue_token(units["group"])
    assert c.post(f"/record/visit/{group_token}/").status_code == 404
    # an officer of another tree cannot print this venue's poster
    assert (
        client_for(people["foreign_officer"])
        .get(f"/record/venues/{library.pk}/poster/")
        .status_code
        == 404
    )


def test_pdf_transcript_renders_vietnamese(people, units, client_for):
    import shutil
    import subprocess

    record(
        people,
        units,
        source_key="a",
        provenance=Provenance.UNIT_VERIFIED,
        title="Nghiên cứu bài viết “Học tập suốt đời” của Tổng Bí thư",
    )
    r = client_for(people["member"]).get("/record/transcript.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=r.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())  # table cells wrap
    for words in [
        "HỒ SƠ HỌC TẬP SUỐT ĐỜI",
        "Nguyễn Thị Mai",
        "Học tập suốt đời",
        "Tổng Bí thư",
        "Xác nhận bởi Tổ công",
        "Độc lập - Tự do - Hạnh phúc",
    ]:
        assert words in text, words


def test_evidence_is_shown_to_owner_and_verifier_only(people, units, client_for):
    c = client_for(people["member"])
    pdf = SimpleUploadedFile("chung-chi.pdf", b"%PDF-1.4\n%minh chung\n")
    c.post(
        "/record/add/",
        {
            "key": "self:ev",
            "kind": "course",
            "title": "An toàn lao động",
            "start_date": TODAY.strftime("%d/%m/%Y"),
            "hours": "4",
            "unit": units_group_id(people),
            "evidence_file": pdf,
        },
    )
    e = LearningEntry.objects.get()
    url = f"/record/entries/{e.pk}/evidence/"
    assert b"".join(c.get(url).streaming_content).startswith(b"%PDF")
    assert client_for(people["group_leader"]).get(url).status_code == 200
    for outsider in ["foreign_officer", "commune_officer", "association_officer"]:
        assert client_for(people[outsider]).get(url).status_code == 404


def test_learner_corrects_an_entry_through_the_page(people, units, client_for):
    e, _ = record(people, units, provenance=Provenance.UNIT_VERIFIED)
    c = client_for(people["member"])
    r = c.post(
        f"/record/entries/{e.pk}/correct/",
        {"title": e.title, "start_date": TODAY.strftime("%d/%m/%Y"), "hours": "30"},
    )
    assert r.status_code == 200 and "24 giờ mỗi ngày" in r.content.decode()
    r = c.post(
        f"/record/entries/{e.pk}/correct/",
        {"title": e.title, "start_date": TODAY.strftime("%d/%m/%Y"), "hours": "2"},
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.status == EntryStatus.SUPERSEDED
    assert (
        client_for(people["foreign_officer"]).get(f"/record/entries/{e.pk}/correct/").status_code
        == 404
    )


def test_unit_page_shows_the_subtree_learning_this_year(people, units, client_for):
    record(people, units, source_key="a", provenance=Provenance.UNIT_VERIFIED)
    html = (
        client_for(people["grassroots_chair"])
        .get(f"/units/{units['grassroots'].pk}/")
        .content.decode()
    )
    assert f"Việc học năm {TODAY.year}" in html
    assert "giờ học được ghi nhận ở đơn vị này và các đơn vị trực thuộc" in html


def test_the_learner_shares_a_link_and_can_stop_it(people, units, client_for):
    from django.test import Client

    from suotdoi.records.models import RecordShare

    record(people, units, source_key="a", provenance=Provenance.UNIT_VERIFIED)
    c = client_for(people["member"])
    c.post("/record/share/")
    share = RecordShare.objects.get(person=people["member"])
    anyone = Client()
    page = anyone.get(f"/record/shared/{share.token}/")
    assert page.status_code == 200 and "Nguyễn Thị Mai" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    assert anyone.get("/record/shared/not-a-token/").status_code == 404
    # another person cannot stop my link
    client_for(people["foreign_officer"]).post("/record/share/", {"revoke": share.pk})
    assert anyone.get(f"/record/shared/{share.token}/").status_code == 200
    c.post("/record/share/", {"revoke": share.pk})
    assert anyone.get(f"/record/shared/{share.token}/").status_code == 404


def test_hours_in_a_sentence_are_written_as_the_reader_writes_them():
    """#16.11: "2.00 giờ" in a Vietnamese sentence."""
    from decimal import Decimal

    from django.utils import translation

    from suotdoi.core.vn import hours_text

    with translation.override("vi"):
        assert [hours_text(Decimal(x)) for x in ("2.00", "2.50", "0.25")] == ["2", "2,5", "0,25"]
    with translation.override("en"):
        assert hours_text(Decimal("2.50")) == "2.5"


def test_the_competences_ticked_on_an_entry_are_shown_on_it(people, units, client_for):
    """#16.15: competences ticked on an entry were not shown on it."""
    import datetime as dt
    from decimal import Decimal

    from suotdoi.records.actions import entry_record
    from suotdoi.records.models import CompetenceTag

    tags = list(CompetenceTag.objects.all()[:2])
    entry, _ = entry_record(
        actor=people["member"],
        person=people["member"],
        source_key="tags:shown",
        title="Tự học bảng tính",
        kind="self_study",
        start_date=dt.date.today(),
        hours=Decimal("2"),
        provenance="self_declared",
        tags=tags,
    )
    page = client_for(people["member"]).get(f"/record/entries/{entry.pk}/").content.decode()
    assert all(t.name in page for t in tags)

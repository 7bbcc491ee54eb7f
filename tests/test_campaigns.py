"""Study campaigns: cascade, sessions, rotating-QR check-in, counters, dashboard, access."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from suotdoi.audit.models import AuditEvent
from suotdoi.campaigns import actions, qr, selectors
from suotdoi.campaigns.models import Attendance, Campaign, Task
from suotdoi.core.errors import ApplicationError
from suotdoi.organisations.models import Membership, Unit
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def launched(people, units, **kw):
    fields = {
        "title": "Nghiên cứu, quán triệt bài viết “Học tập suốt đời”",
        "purpose": "Tổ chức học tập bài viết của Tổng Bí thư.",
        "target_type_codes": ["cdcs"],
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=60),
        "report_due": TODAY + dt.timedelta(days=45),
        "min_sessions": 1,
        "min_attendance_pct": 50,
    }
    fields.update(kw)
    c = actions.campaign_create(
        actor=people["provincial_officer"], issuer=units["federation"], **fields
    )
    actions.campaign_launch(actor=people["provincial_officer"], campaign=c)
    return c


def session_of(people, task, **kw):
    return actions.session_create(
        actor=people["grassroots_chair"],
        task=task,
        kind="thematic",
        title="Sinh hoạt chuyên đề “Học tập suốt đời”",
        starts_at=timezone.now(),
        hours=kw.get("hours", 2),
        place="Hội trường công ty",
    )


def test_launch_gives_every_grassroots_union_below_a_task_and_only_once(people, units):
    c = launched(people, units)
    grassroots = Unit.objects.filter(
        path__startswith=units["federation"].path, unit_type__code="cdcs"
    )
    assert set(Task.objects.filter(campaign=c).values_list("unit_id", flat=True)) == set(
        grassroots.values_list("pk", flat=True)
    )
    assert not Task.objects.filter(campaign=c, unit=Unit.objects.get(code="CDCS-CB-001")).exists()
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    assert task.members > 0
    with pytest.raises(ApplicationError):
        actions.campaign_launch(actor=people["provincial_officer"], campaign=c)
    assert [e.verb for e in c.events.all()] == ["create", "launch"]


def test_a_grassroots_union_founded_mid_campaign_gets_the_task(
    people, units, django_capture_on_commit_callbacks
):
    from suotdoi.organisations.actions import unit_create
    from suotdoi.organisations.models import UnitType

    c = launched(people, units)
    with django_capture_on_commit_callbacks(execute=True):
        new = unit_create(
            actor=people["provincial_officer"],
            parent=units["federation"],
            name="Công đoàn cơ sở Công ty mới",
            code="CDCS-NEW",
            unit_type=UnitType.objects.get(code="cdcs"),
        )
    assert Task.objects.filter(campaign=c, unit=new).exists()


def test_qr_check_in_writes_the_record_and_counts_once(
    people, units, django_capture_on_commit_callbacks
):
    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    member = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        session, created = actions.check_in(person=member, token=qr.current_token(s))
    assert created and session == s
    with django_capture_on_commit_callbacks(execute=True):
        again, created2 = actions.check_in(person=member, token=qr.current_token(s))
    assert not created2
    assert Attendance.objects.filter(session=s, person=member).count() == 1
    entry = LearningEntry.objects.get(person=member, source_key=f"session:{s.pk}:{member.pk}")
    assert entry.status == "verified" and entry.unit == units["grassroots"] and entry.hours == 2
    task.refresh_from_db()
    assert (task.sessions_held, task.attendees) == (1, 1)


@pytest.mark.parametrize("case", ["expired", "other_session", "forged", "replayed", "garbage"])
def test_bad_check_in_codes_are_refused_with_a_message_and_record_nothing(people, units, case):
    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    other = session_of(people, task)
    now = time.time()
    token = {
        "expired": qr.current_token(s, now=now - 3600),  # a photo taken an hour ago
        "other_session": qr.current_token(other).replace(f"{other.pk}.", f"{s.pk}.", 1),
        "forged": qr.current_token(s)[:-4] + "abcd",
        "replayed": qr.current_token(s, now=now - 95),  # three steps old
        "garbage": "not-a-code",
    }[case]
    with pytest.raises(ApplicationError) as exc:
        actions.check_in(person=people["member"], token=token)
    assert str(exc.value.message)
    assert not Attendance.objects.exists() and not LearningEntry.objects.exists()


def test_only_members_of_the_holding_unit_can_check_in(people, units):
    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    with pytest.raises(ApplicationError):
        actions.check_in(person=people["foreign_officer"], token=qr.current_token(s))
    assert not Attendance.objects.exists()


def test_manual_and_excused_attendance_and_the_report_make_the_unit_done(people, units):
    c = launched(people, units, min_attendance_pct=1)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    members = list(
        Membership.objects.filter(unit_path__startswith=task.unit_path)
        .values_list("person_id", flat=True)
        .distinct()[:3]
    )
    from suotdoi.people.models import Person

    p1, p2, p3 = (Person.objects.get(pk=x) for x in members)
    actions.attendance_record(
        actor=people["grassroots_chair"], session=s, person=p1, method="manual"
    )
    actions.attendance_record(
        actor=people["grassroots_chair"], session=s, person=p2, method="manual", status="excused"
    )
    task.refresh_from_db()
    assert task.attendees == 1 and not task.done
    actions.task_report_submit(actor=people["grassroots_chair"], task=task, note="Đã tổ chức.")
    task.refresh_from_db()
    assert task.done and task.reported_at
    assert not LearningEntry.objects.filter(person=p2).exists()
    del p3


def test_dashboard_rolls_up_over_the_subtree_in_one_query(
    people, units, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    c = launched(people, units, min_attendance_pct=1)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_in(person=people["member"], token=qr.current_token(s))
    actions.task_report_submit(actor=people["grassroots_chair"], task=task, note="")
    with django_assert_max_num_queries(2):
        rows = selectors.dashboard_rows(campaign=c, focus=units["federation"])
    by_unit = {r["unit"].pk: r for r in rows}
    sup = Unit.objects.get_parent(units["grassroots"])
    assert by_unit[sup.pk]["done"] == 1 and by_unit[sup.pk]["sessions"] == 1
    total = selectors.rollup(campaign=c, focus=units["federation"])
    assert total["done"] == 1 and total["tasks"] == Task.objects.filter(campaign=c).count()


def test_extend_and_close_are_history(people, units):
    c = launched(people, units)
    actions.campaign_extend(
        actor=people["provincial_officer"],
        campaign=c,
        ends_on=TODAY + dt.timedelta(days=90),
        report_due=TODAY + dt.timedelta(days=80),
    )
    actions.campaign_close(actor=people["provincial_officer"], campaign=c)
    c.refresh_from_db()
    assert c.status == "closed"
    assert [e.verb for e in c.events.all()] == ["create", "launch", "extend", "close"]
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    with pytest.raises(ApplicationError):
        session_of(people, task)


# --- pages and authorisation ------------------------------------------------------------------


def test_the_pages_work_for_the_people_they_are_for(people, units, client_for):
    officer = client_for(people["provincial_officer"])
    r = officer.post(
        f"/campaigns/new/{units['federation'].pk}/",
        {
            "title": "Học tập suốt đời",
            "purpose": "Quán triệt bài viết",
            "target_type_codes": ["cdcs"],
            "starts_on": TODAY.strftime("%d/%m/%Y"),
            "ends_on": (TODAY + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
            "report_due": (TODAY + dt.timedelta(days=25)).strftime("%d/%m/%Y"),
            "min_sessions": 1,
            "min_attendance_pct": 50,
        },
    )
    c = Campaign.objects.get()
    assert r.status_code == 302
    officer.post(f"/campaigns/{c.pk}/launch/")
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    chair = client_for(people["grassroots_chair"])
    assert "Học tập suốt đời" in chair.get("/campaigns/").content.decode()
    r = chair.post(
        f"/campaigns/tasks/{task.pk}/",
        {
            "s-kind": "thematic",
            "s-title": "Sinh hoạt chuyên đề",
            "s-starts_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "s-hours": "2",
            "s-place": "Hội trường",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    s = task.sessions.get()
    page = chair.get(f"/campaigns/sessions/{s.pk}/").content.decode()
    assert "data:image/svg+xml" in page
    member = client_for(people["member"])
    token = qr.current_token(s)
    assert member.post(f"/campaigns/checkin/{token}/").status_code == 200
    assert member.post("/campaigns/checkin/1.2.forged/").status_code == 400
    dash = officer.get(f"/campaigns/{c.pk}/").content.decode()
    assert "Học tập suốt đời" in dash and 'id="totals"' in dash
    sup = Unit.objects.get_parent(units["grassroots"])
    drill = officer.get(f"/campaigns/{c.pk}/?focus={sup.pk}&sort=sessions").content.decode()
    assert units["grassroots"].name in drill
    foreign = Unit.objects.get(code="LDLD-CB")
    assert officer.get(f"/campaigns/{c.pk}/?focus={foreign.pk}").status_code == 404


@pytest.mark.parametrize("outsider", ["foreign_officer", "association_officer"])
def test_outsiders_get_404_everywhere_and_change_nothing(people, units, client_for, outsider):
    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    who = client_for(people[outsider])
    before = (AuditEvent.objects.count(), Attendance.objects.count())
    for path in (
        f"/campaigns/{c.pk}/",
        f"/campaigns/tasks/{task.pk}/",
        f"/campaigns/sessions/{s.pk}/",
        f"/campaigns/sessions/{s.pk}/qr/",
        f"/campaigns/new/{units['federation'].pk}/",
    ):
        assert who.get(path).status_code == 404, path
    for path, data in (
        (f"/campaigns/{c.pk}/launch/", {}),
        (f"/campaigns/{c.pk}/close/", {}),
        (f"/campaigns/{c.pk}/remind/", {}),
        (f"/campaigns/tasks/{task.pk}/", {"note": "x"}),
        (f"/campaigns/sessions/{s.pk}/", {"person": people["member"].pk, "status": "present"}),
    ):
        assert who.post(path, data).status_code == 404, path
    assert (AuditEvent.objects.count(), Attendance.objects.count()) == before
    c.refresh_from_db()
    assert c.status == "launched"


def test_the_bulk_member_sum_matches_the_per_unit_counts(units):
    from suotdoi.campaigns.actions import _subtree_members
    from suotdoi.organisations.selectors import unit_subtree_counts

    root = units["federation"]
    below = list(Unit.objects.filter(path__startswith=root.path))
    sums = _subtree_members(root)
    counts = unit_subtree_counts(units=below)
    assert all(sums.get(u.path, 0) == counts[u.pk]["members"] for u in below)


def test_exports_a_sheet_per_level_and_an_official_pdf(people, units, client_for, tmp_path):
    import io
    import subprocess

    from openpyxl import load_workbook

    c = launched(people, units, min_attendance_pct=1)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    actions.attendance_record(
        actor=people["grassroots_chair"], session=s, person=people["member"], method="manual"
    )
    officer = client_for(people["provincial_officer"])
    r = officer.get(f"/campaigns/{c.pk}/export.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert len(wb.sheetnames) == 2  # the unions under the federation, then grassroots unions
    names = [row[0] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert units["grassroots"].name in names
    pdf = officer.get(f"/campaigns/{c.pk}/report.pdf").content
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "III. Kết quả theo đơn vị" in text
    outsider = client_for(people["foreign_officer"])
    assert outsider.get(f"/campaigns/{c.pk}/export.xlsx").status_code == 404
    assert outsider.get(f"/campaigns/{c.pk}/report.pdf").status_code == 404


def test_scheduling_a_session_invites_the_units_members_once(
    people, units, django_capture_on_commit_callbacks
):
    from suotdoi.notifications.models import Notification

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    with django_capture_on_commit_callbacks(execute=True):
        s = session_of(people, task)
    members = set(
        Membership.objects.filter(
            unit_path__startswith=task.unit_path, end_date__isnull=True
        ).values_list("person_id", flat=True)
    )
    invited = set(
        Notification.objects.filter(kind="session.invited").values_list("recipient_id", flat=True)
    )
    assert invited == members and people["member"].pk in invited
    actions.session_announce(session_id=s.pk)  # a replay adds nothing
    assert Notification.objects.filter(kind="session.invited").count() == len(members)


# --- reflections ----------------------------------------------------------------------------

TEXT = "Bài viết giúp tôi hiểu học tập suốt đời là trách nhiệm của mỗi người lao động. " * 2


def test_reflection_is_handed_in_returned_handed_in_again_and_accepted(people, units, client_for):
    from suotdoi.campaigns.models import Reflection

    c = launched(people, units, reflection_required=True)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    member = client_for(people["member"])
    page = f"/campaigns/tasks/{task.pk}/reflection/"
    assert member.post(page, {"text": "ngắn"}).status_code == 200  # too short: form error
    assert not Reflection.objects.exists()
    member.post(page, {"text": TEXT})
    r = Reflection.objects.get()
    assert r.status == "submitted"
    member.post(page, {"text": TEXT + " sửa"})  # locked while waiting
    r.refresh_from_db()
    assert r.text == TEXT.strip()
    chair = client_for(people["grassroots_chair"])
    assert people["member"].full_name in chair.get(f"/campaigns/tasks/{task.pk}/").content.decode()
    review = f"/campaigns/tasks/{task.pk}/reflections/{r.pk}/review/"
    chair.post(review, {"decision": "return", "comment": "Cần nêu việc sẽ làm."})
    r.refresh_from_db()
    assert r.status == "returned" and "Cần nêu" in member.get(page).content.decode()
    member.post(page, {"text": TEXT + " Tôi sẽ học thêm tin học."})
    chair.post(review, {"decision": "accept", "comment": ""})
    r.refresh_from_db()
    task.refresh_from_db()
    assert r.status == "accepted" and task.reflections_accepted == 1
    assert LearningEntry.objects.get(source_key=f"reflection:{r.pk}").status == "verified"


@pytest.mark.parametrize("outsider", ["foreign_officer", "association_officer"])
def test_outsiders_cannot_write_or_review_reflections(people, units, client_for, outsider):
    from suotdoi.campaigns.models import Reflection

    c = launched(people, units, reflection_required=True)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    r = actions.reflection_submit(actor=people["member"], task=task, text=TEXT)
    who = client_for(people[outsider])
    assert who.get(f"/campaigns/tasks/{task.pk}/reflection/").status_code == 404
    assert who.post(f"/campaigns/tasks/{task.pk}/reflection/", {"text": TEXT}).status_code == 404
    assert (
        who.post(
            f"/campaigns/tasks/{task.pk}/reflections/{r.pk}/review/", {"decision": "accept"}
        ).status_code
        == 404
    )
    r.refresh_from_db()
    assert r.status == "submitted" and Reflection.objects.count() == 1


# --- quiz -------------------------------------------------------------------------------------


def test_quiz_written_by_the_issuer_taken_by_members_and_counted(people, units, client_for):
    from suotdoi.campaigns.models import Question, QuizResult

    c = launched(people, units, quiz_pass_pct=50)
    officer = client_for(people["provincial_officer"])
    for text, right in (("Học tập suốt đời là gì?", 1), ("Ai cần học tập suốt đời?", 2)):
        officer.post(
            f"/campaigns/{c.pk}/questions/",
            {
                "text": text,
                "choice0": "Chỉ học ở trường",
                "choice1": "Học mọi lúc mọi nơi",
                "choice2": "Mọi người",
                "choice3": "",
                "correct": right,
            },
        )
    officer.post(
        f"/campaigns/{c.pk}/questions/", {"text": "Thiếu đáp án", "choice0": "x", "correct": 0}
    )
    assert Question.objects.filter(campaign=c).count() == 2
    q1, q2 = Question.objects.filter(campaign=c).order_by("pk")
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    member = client_for(people["member"])
    page = f"/campaigns/tasks/{task.pk}/quiz/"
    assert "Học tập suốt đời là gì?" in member.get(page).content.decode()
    member.post(page, {f"q{q1.pk}": 0, f"q{q2.pk}": 0})  # 0 %
    task.refresh_from_db()
    assert task.quiz_passed == 0 and not QuizResult.objects.get().passed
    html = member.post(page, {f"q{q1.pk}": 1, f"q{q2.pk}": 2}).content.decode()  # 100 %
    assert "100%" in html
    member.post(page, {f"q{q1.pk}": 1, f"q{q2.pk}": 0})  # passing again counts once
    task.refresh_from_db()
    result = QuizResult.objects.get()
    assert task.quiz_passed == 1 and result.passed and result.attempts == 3
    assert result.score_pct == 100
    from suotdoi.campaigns import selectors

    assert selectors.rollup(campaign=c, focus=units["federation"])["quiz_passed"] == 1


@pytest.mark.parametrize("outsider", ["foreign_officer", "association_officer"])
def test_outsiders_cannot_write_or_take_the_quiz(people, units, client_for, outsider):
    from suotdoi.campaigns.models import Question, QuizResult

    c = launched(people, units)
    actions.question_add(
        actor=people["provincial_officer"],
        campaign=c,
        text="Câu hỏi",
        choices=["a", "b"],
        correct=0,
    )
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    who = client_for(people[outsider])
    assert who.get(f"/campaigns/{c.pk}/questions/").status_code == 404
    assert (
        who.post(
            f"/campaigns/{c.pk}/questions/",
            {"text": "x", "choice0": "a", "choice1": "b", "correct": 0},
        ).status_code
        == 404
    )
    assert who.get(f"/campaigns/tasks/{task.pk}/quiz/").status_code == 404
    assert who.post(f"/campaigns/tasks/{task.pk}/quiz/", {}).status_code == 404
    assert Question.objects.count() == 1 and not QuizResult.objects.exists()


def test_minutes_upload_checks_the_file_and_only_staff_download_it(people, units, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    chair = client_for(people["grassroots_chair"])
    page = f"/campaigns/sessions/{s.pk}/"
    fake = SimpleUploadedFile("bien-ban.pdf", b"not really a pdf", content_type="application/pdf")
    chair.post(page, {"minutes": fake})
    s.refresh_from_db()
    assert not s.minutes
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    chair.post(page, {"minutes": pdf})
    s.refresh_from_db()
    assert s.minutes
    r = client_for(people["provincial_officer"]).get(f"/campaigns/sessions/{s.pk}/minutes/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    for who in ("member", "foreign_officer"):
        assert (
            client_for(people[who]).get(f"/campaigns/sessions/{s.pk}/minutes/").status_code == 404
        )


# --- material, joint campaigns, sub-campaigns, invitations, photos, draws, chart -----------


def _pdf(name="tai-lieu.pdf", body=b"%PDF-1.4 noi dung"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_documents_are_versioned_and_read_by_members_only(people, units, client_for):
    from suotdoi.campaigns.models import CampaignDocument

    c = launched(people, units)
    officer = client_for(people["provincial_officer"])
    url = f"/campaigns/{c.pk}/documents/"
    officer.post(url, {"d-title": "Bài viết", "d-file": _pdf(body=b"%PDF-1.4 v1")})
    officer.post(url, {"d-title": "Bài viết", "d-file": _pdf(body=b"%PDF-1.4 v2"), "d-note": "Sửa"})
    officer.post(url, {"d-title": "Giả", "d-file": _pdf("x.pdf", b"MZ not a pdf")})
    officer.post(url, {"d-title": "Trống"})
    officer.post(url, {"d-title": "Hướng dẫn", "d-url": "https://thuvienphapluat.vn/x"})
    docs = CampaignDocument.objects.filter(campaign=c).order_by("title", "version")
    assert [(d.title, d.version) for d in docs] == [
        ("Bài viết", 1),
        ("Bài viết", 2),
        ("Hướng dẫn", 1),
    ]
    v1, v2 = docs[0], docs[1]
    page = officer.get(f"/campaigns/{c.pk}/").content.decode()
    assert "Sửa" in page and f"/campaigns/documents/{v1.pk}/" in page
    member = client_for(people["member"])  # member of a grassroots union with a task
    r = member.get(f"/campaigns/documents/{v2.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 v2"
    assert "Bài viết" in member.get("/campaigns/mine/").content.decode()
    for who in ("foreign_officer", "association_officer"):
        assert client_for(people[who]).get(f"/campaigns/documents/{v1.pk}/").status_code == 404
        assert (
            client_for(people[who]).post(url, {"d-title": "x", "d-url": "https://a.vn"}).status_code
            == 404
        )
    assert CampaignDocument.objects.filter(campaign=c).count() == 3
    assert [e.verb for e in c.events.all()].count("document") == 3


def test_a_joint_campaign_reaches_the_partner_tree_once_it_accepts(people, units, client_for):
    from suotdoi.campaigns.models import CampaignPartner

    c = launched(people, units, target_type_codes=["cdcs", "chi-hoi"])
    before = Task.objects.filter(campaign=c).count()
    officer = client_for(people["provincial_officer"])
    officer.post(f"/campaigns/{c.pk}/partners/", {"p-code": "HKH-NB"})
    p = CampaignPartner.objects.get(campaign=c)
    assert p.accepted_at is None and Task.objects.filter(campaign=c).count() == before
    partner = client_for(people["association_officer"])
    # Before accepting, the partner sees only the invitation, not the dashboard.
    assert partner.get(f"/campaigns/{c.pk}/").status_code == 404
    assert "Hội Khuyến học" in partner.get(f"/campaigns/{c.pk}/partners/{p.pk}/").content.decode()
    # Someone else cannot accept for them.
    assert (
        client_for(people["foreign_officer"])
        .post(f"/campaigns/{c.pk}/partners/{p.pk}/")
        .status_code
        == 404
    )
    partner.post(f"/campaigns/{c.pk}/partners/{p.pk}/")
    branches = Unit.objects.filter(
        path__startswith=units["association"].path, unit_type__code="chi-hoi"
    )
    assert Task.objects.filter(campaign=c, unit__in=branches).count() == branches.count() > 0
    # The issuer sees a row per tree and can drill into the partner's; the partner sees its own
    # tree only.
    page = officer.get(f"/campaigns/{c.pk}/").content.decode()
    assert units["association"].name in page and units["federation"].name in page
    assert officer.get(f"/campaigns/{c.pk}/?focus={units['association'].pk}").status_code == 200
    ppage = partner.get(f"/campaigns/{c.pk}/").content.decode()
    assert ppage.count(units["federation"].name) <= 1  # the header only, no row of the issuer
    assert partner.get(f"/campaigns/{c.pk}/?focus={units['federation'].pk}").status_code == 404
    # The export has the partner tree's own sheets.
    import io

    from openpyxl import load_workbook

    wb = load_workbook(
        io.BytesIO(b"".join(officer.get(f"/campaigns/{c.pk}/export.xlsx").streaming_content))
    )
    assert any(name.startswith("HKH-NB") for name in wb.sheetnames)
    # A unit in the issuer's own tree is not a partner.
    officer.post(f"/campaigns/{c.pk}/partners/", {"p-code": "CDCS-001"})
    assert CampaignPartner.objects.filter(campaign=c).count() == 1


def test_a_unit_carries_the_campaign_further_down_with_a_sub_campaign(people, units, client_for):
    c = launched(people, units, target_type_codes=["cdcs"])
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    chair = client_for(people["grassroots_chair"])
    late = (c.report_due + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    chair.post(
        f"/campaigns/tasks/{task.pk}/sub/",
        {"sub-target_type_codes": ["to-cong-doan"], "sub-report_due": late},
    )
    assert not Campaign.objects.filter(parent=c).exists()
    ok = (c.report_due - dt.timedelta(days=5)).strftime("%d/%m/%Y")
    r = chair.post(
        f"/campaigns/tasks/{task.pk}/sub/",
        {"sub-target_type_codes": ["to-cong-doan"], "sub-report_due": ok},
    )
    sub = Campaign.objects.get(parent=c)
    assert r.status_code == 302 and sub.issuer == units["grassroots"] and sub.status == "draft"
    actions.campaign_launch(actor=people["grassroots_chair"], campaign=sub)
    assert Task.objects.filter(campaign=sub, unit=units["group"]).exists()
    page = client_for(people["provincial_officer"]).get(f"/campaigns/{c.pk}/").content.decode()
    assert f"/campaigns/{sub.pk}/" in page
    assert (
        client_for(people["foreign_officer"])
        .post(
            f"/campaigns/tasks/{task.pk}/sub/",
            {"sub-target_type_codes": ["to-cong-doan"], "sub-report_due": ok},
        )
        .status_code
        == 404
    )


def test_a_session_for_chosen_invitees_only_lets_them_check_in(people, units):
    from suotdoi.campaigns.errors import CheckInRefused

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    others = [
        m.person
        for m in Membership.objects.filter(
            unit_path__startswith=task.unit_path, end_date__isnull=True
        ).exclude(person=people["member"])[:2]
    ]
    with pytest.raises(ApplicationError):
        actions.session_create(
            actor=people["grassroots_chair"],
            task=task,
            kind="talk",
            title="Tọa đàm",
            starts_at=timezone.now(),
            hours=1,
            invite_all=False,
            invitees=[],
        )
    with pytest.raises(ApplicationError):  # a stranger cannot be invited
        actions.session_create(
            actor=people["grassroots_chair"],
            task=task,
            kind="talk",
            title="Tọa đàm",
            starts_at=timezone.now(),
            hours=1,
            invite_all=False,
            invitees=[people["foreign_officer"]],
        )
    s = actions.session_create(
        actor=people["grassroots_chair"],
        task=task,
        kind="talk",
        title="Tọa đàm",
        starts_at=timezone.now(),
        hours=1,
        invite_all=False,
        invitees=others,
    )
    with pytest.raises(CheckInRefused):
        actions.check_in(person=people["member"], token=qr.current_token(s))
    _s, created = actions.check_in(person=others[0], token=qr.current_token(s))
    assert created
    assert actions.session_announce(session_id=s.pk) == len(others)


def test_session_photos_all_or_nothing(people, units, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.campaigns.models import SessionPhoto

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    chair = client_for(people["grassroots_chair"])
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 50
    good = [SimpleUploadedFile(f"anh{i}.png", png, content_type="image/png") for i in range(2)]
    bad = SimpleUploadedFile("anh.png", b"GIF89a", content_type="image/png")
    chair.post(f"/campaigns/sessions/{s.pk}/", {"photos": [*good[:1], bad]})
    assert not SessionPhoto.objects.exists()
    good = [SimpleUploadedFile(f"anh{i}.png", png, content_type="image/png") for i in range(2)]
    chair.post(f"/campaigns/sessions/{s.pk}/", {"photos": good})
    photos = list(SessionPhoto.objects.filter(session=s))
    assert len(photos) == 2
    r = client_for(people["provincial_officer"]).get(
        f"/campaigns/sessions/{s.pk}/photos/{photos[0].pk}/"
    )
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    for who in ("member", "foreign_officer"):
        assert (
            client_for(people[who])
            .get(f"/campaigns/sessions/{s.pk}/photos/{photos[0].pk}/")
            .status_code
            == 404
        )


def test_reflection_as_a_file(people, units, client_for):
    from suotdoi.campaigns.models import Reflection

    c = launched(people, units, reflection_required=True)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    member = client_for(people["member"])
    member.post(f"/campaigns/tasks/{task.pk}/reflection/", {"text": "ngắn"})
    assert not Reflection.objects.exists()
    member.post(
        f"/campaigns/tasks/{task.pk}/reflection/", {"text": "", "file": _pdf("thu-hoach.pdf")}
    )
    r = Reflection.objects.get()
    assert r.file and r.status == "submitted"
    url = f"/campaigns/tasks/{task.pk}/reflections/{r.pk}/file/"
    assert member.get(url).status_code == 200
    assert client_for(people["grassroots_chair"]).get(url).status_code == 200
    assert client_for(people["foreign_officer"]).get(url).status_code == 404


def test_quiz_draws_from_the_bank_and_shuffles_answers_per_attempt(people, units):
    c = launched(people, units, quiz_draw=3, quiz_pass_pct=100)
    for i in range(8):
        actions.question_add(
            actor=people["provincial_officer"],
            campaign=c,
            text=f"Câu {i}",
            choices=["đúng", "sai 1", "sai 2", "sai 3"],
            correct=0,
        )
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    member = people["member"]
    first = selectors.draw_questions(task, member, 0)
    assert len(first) == 3 and first == selectors.draw_questions(task, member, 0)
    draws = {tuple(q.pk for q, _o in selectors.draw_questions(task, member, a)) for a in range(6)}
    assert len(draws) > 1  # a new attempt, a new draw
    orders = {tuple(o) for a in range(6) for _q, o in selectors.draw_questions(task, member, a)}
    assert len(orders) > 1  # answers shuffled
    # Scoring uses the drawn questions: answering them right passes at 100 %.
    score, passed = actions.quiz_submit(
        actor=member, task=task, answers={q.pk: 0 for q, _o in first}
    )
    assert (score, passed) == (100, True)


def test_done_needs_the_quiz_and_reflections_when_the_campaign_asks(people, units):
    from suotdoi.campaigns.models import Reflection

    c = launched(people, units, min_attendance_pct=1, quiz_required=True, reflection_required=True)
    actions.question_add(
        actor=people["provincial_officer"], campaign=c, text="Q", choices=["a", "b"], correct=0
    )
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    actions.attendance_record(
        actor=people["grassroots_chair"], session=s, person=people["member"], method="manual"
    )
    actions.task_report_submit(actor=people["grassroots_chair"], task=task, note="")
    task.refresh_from_db()
    assert not task.done
    row = selectors.dashboard_rows(campaign=c, focus=Unit.objects.get_parent(units["grassroots"]))
    reasons = next(r for r in row if r["unit"] == units["grassroots"])["reasons"]
    assert len(reasons) == 2  # quiz and reflections
    actions.quiz_submit(
        actor=people["member"], task=task, answers={q.pk: 0 for q in c.questions.all()}
    )
    task.refresh_from_db()
    assert not task.done
    r = actions.reflection_submit(actor=people["member"], task=task, text="Bài thu hoạch " * 10)
    actions.reflection_review(
        actor=people["grassroots_chair"], reflection=Reflection.objects.get(pk=r.pk), accept=True
    )
    task.refresh_from_db()
    assert task.done


def test_progress_chart_keeps_a_point_per_day(people, units, client_for):
    from suotdoi.campaigns.models import CampaignDay

    c = launched(people, units)
    CampaignDay.objects.create(
        campaign=c, day=TODAY - dt.timedelta(days=3), tasks=10, done=1, members=100, attendees=10
    )
    officer = client_for(people["provincial_officer"])
    page = officer.get(f"/campaigns/{c.pk}/").content.decode()
    officer.get(f"/campaigns/{c.pk}/")
    assert CampaignDay.objects.filter(campaign=c).count() == 2  # today's point, once
    assert "<polyline" in page and "10%" in page


def test_extend_from_the_page_keeps_the_old_dates_in_the_history(people, units, client_for):
    c = launched(people, units)
    officer = client_for(people["provincial_officer"])
    new_end = (c.ends_on + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    officer.post(f"/campaigns/{c.pk}/extend/", {"e-ends_on": new_end, "e-report_due": "01/01/2000"})
    c.refresh_from_db()
    assert c.ends_on == TODAY + dt.timedelta(days=60)
    due = (c.ends_on + dt.timedelta(days=35)).strftime("%d/%m/%Y")
    officer.post(f"/campaigns/{c.pk}/extend/", {"e-ends_on": new_end, "e-report_due": due})
    c.refresh_from_db()
    assert c.ends_on == TODAY + dt.timedelta(days=90)
    ev = c.events.get(verb="extend")
    assert ev.data["before"]["ends_on"] == (TODAY + dt.timedelta(days=60)).isoformat()
    assert (
        client_for(people["foreign_officer"])
        .post(f"/campaigns/{c.pk}/extend/", {"e-ends_on": new_end, "e-report_due": due})
        .status_code
        == 404
    )


def test_a_halls_check_ins_are_settled_together_once(people, units, settings):
    from suotdoi.audit.models import AuditEvent
    from suotdoi.campaigns.models import Participant

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    hall = [
        m.person
        for m in Membership.objects.filter(
            unit_path__startswith=task.unit_path, end_date__isnull=True
        )
        .select_related("person")
        .order_by("person_id")[:6]
    ]
    for person in hall:  # recorded, not settled yet (as between a check-in and its task)
        Attendance.objects.create(session=s, person=person, method="qr", status="present")
    Participant.objects.create(task=task, person=hall[0])  # came to an earlier session
    before = AuditEvent.objects.filter(verb="session.attendance").count()
    assert actions.session_settle(session_id=s.pk) == 6
    assert actions.session_settle(session_id=s.pk) == 0  # a second run changes nothing
    task.refresh_from_db()
    s.refresh_from_db()
    assert s.held and task.sessions_held == 1 and task.attendees == 5
    assert LearningEntry.objects.filter(source_key__startswith=f"session:{s.pk}:").count() == 6
    assert (
        LearningEntry.objects.filter(
            source_key__startswith=f"session:{s.pk}:", provenance="unit_verified"
        ).count()
        == 6
    )
    rows = AuditEvent.objects.filter(verb="session.attendance")
    assert rows.count() - before == 6
    assert set(rows.values_list("actor_id", flat=True)) >= {p.pk for p in hall}
    assert not Attendance.objects.filter(session=s, settled_at__isnull=True).exists()


def test_with_a_deferring_backend_one_task_per_window_settles_the_hall(people, units, monkeypatch):
    from suotdoi.campaigns import tasks

    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    s = session_of(people, task)
    queued = []

    class Deferring:
        supports_defer = True

    class FakeTask:
        def get_backend(self):
            return Deferring()

        def using(self, **kw):
            assert "run_after" in kw
            return self

        def enqueue(self, sid):
            queued.append(sid)

    monkeypatch.setattr(tasks, "session_settle_task", FakeTask())
    actions._scheduled.clear()
    for _ in range(5):
        actions.schedule_session_settle(s.pk)
    assert 1 <= len(queued) <= 2  # one per 2-second window (two if the window turned)

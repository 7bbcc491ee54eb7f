"""Issue 16, continued: raw codes and stored languages, the invitee search, the learner's
list of what to do next, and the PDFs' metadata — each in Chromium."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_notifications_follow_the_readers_language_and_unit_pages_show_no_codes(
    world, new_page, shot
):
    """#16.11: notifications stayed in the language they were written in; unit pages showed
    raw audit codes such as `recognition.self 1/2026/2`."""
    from django.utils import timezone

    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.recognition import selectors as rs
    from suotdoi.recognition.actions import assessment_register
    from suotdoi.records.actions import entry_record, entry_verify
    from tests.browser.conftest import sign_in

    mai, chair = world.people["member"], world.people["grassroots_chair"]
    assert mai.language == "vi"
    e, _ = entry_record(
        actor=mai,
        person=mai,
        source_key="newcomer:lang",
        title="Lớp tin học văn phòng",
        kind="course",
        start_date=timezone.localdate() - dt.timedelta(days=2),
        hours=Decimal("2.5"),
        provenance="self_declared",
        unit=world.units["group"],
    )
    entry_verify(actor=chair, entry=e)  # written while Mai reads Vietnamese
    assessment_register(
        actor=mai, criteria_set=rs.current_set("cong-dan-hoc-tap"), year=timezone.now().year
    )
    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/notifications/")
    card = page.locator("main .card", has_text="Lớp tin học văn phòng")
    assert "Việc học của bạn đã được xác nhận" in card.inner_text()
    assert "2,5 giờ" in card.inner_text()
    page.locator("header .menu summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    page.goto("/notifications/")
    text = page.locator("main .card", has_text="Lớp tin học văn phòng").inner_text()
    assert "Your learning was verified: Lớp tin học văn phòng" in text, text
    assert "confirmed 2.5 hours" in text, text
    shot(page, "newcomer-notification-english-360")

    officer = new_page(width=360, height=740)
    sign_in(officer, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    officer.goto(f"/units/{world.units['grassroots'].pk}/")
    activity = officer.locator("main h2:has-text('Hoạt động gần đây') + ul").inner_text()
    assert "xác nhận một mục học tập" in activity and "đăng ký danh hiệu" in activity, activity
    assert "recognition." not in activity and "entry.verify" not in activity, activity
    year = str(timezone.now().year)
    assert f"/{year}/" not in activity, activity  # no `1/2026/2` for an assessment
    shot(officer, "newcomer-unit-activity-words-360")


def test_the_chair_finds_invitees_by_search_on_a_short_task_page(world, new_page, shot):
    """#16.13: the task page was 7,500 px tall at 360 px because of an 81-name checklist."""
    from suotdoi.campaigns.models import Session, Task
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser.conftest import sign_in
    from tests.test_campaigns import launched

    camp = launched(world.people, world.units)
    task = Task.objects.get(campaign=camp, unit=world.units["grassroots"])
    page = new_page(width=360, height=740)
    sign_in(page, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"/campaigns/tasks/{task.pk}/")
    assert page.locator("[name=s-invitees]").count() == 0  # no list of every member
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    page.fill("#id_s-title", "Sinh hoạt chuyên đề an toàn lao động")
    page.fill(
        "#id_s-starts_at", (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill("#id_s-hours", "2")
    page.fill("#id_s-invitee_q", "nguyen thi mai")
    page.press("#id_s-invitee_q", "Enter")  # Enter in the search finds, it does not schedule
    page.wait_for_selector("[name=s-invitees]")
    assert Session.objects.filter(task=task).count() == 0
    assert page.input_value("#id_s-title") == "Sinh hoạt chuyên đề an toàn lao động"
    assert page.locator("#id_s-choose_invitees").is_checked()
    page.get_by_label("Nguyễn Thị Mai").check()
    page.fill("#id_s-invitee_q", "zzzz không ai")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_selector("#invitee-status:has-text('Không có thành viên')")
    assert page.get_by_label("Nguyễn Thị Mai").is_checked()  # the chosen stay chosen
    shot(page, "newcomer-invitee-search-360")
    page.select_option("#id_s-kind", "thematic")
    page.get_by_role("button", name="Lên lịch", exact=True).click()
    page.wait_for_url("**/campaigns/sessions/**")
    s = Session.objects.get(task=task)
    assert not s.invite_all
    assert [i.person for i in s.invitees.all()] == [world.people["member"]]


def test_an_invitee_from_outside_the_unit_cannot_be_smuggled_in(world, client_for):
    """A crafted post naming a person of another tree invites nobody from there."""
    from suotdoi.campaigns.models import Session, Task
    from tests.test_campaigns import launched

    camp = launched(world.people, world.units)
    task = Task.objects.get(campaign=camp, unit=world.units["grassroots"])
    stranger = world.people["provincial_officer"]
    c = client_for(world.people["grassroots_chair"])
    r = c.post(
        f"/campaigns/tasks/{task.pk}/",
        {
            "s-kind": "thematic",
            "s-title": "Buổi có người lạ",
            "s-starts_at": (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "s-hours": "2",
            "s-choose_invitees": "on",
            "s-invitees": [str(stranger.pk)],
            "s-schedule": "1",
        },
    )
    assert r.status_code == 200 and Session.objects.filter(task=task).count() == 0
    assert "Hãy chọn người được mời" in r.content.decode() or "invited" in r.content.decode()


def _a_learners_week(world):
    """Mai's week: a session she is invited to, a campaign quiz and reflection, a course in
    progress and a self-assessment due."""
    from django.utils import timezone

    from suotdoi.campaigns import actions as ca
    from suotdoi.campaigns.models import Task
    from suotdoi.catalog.actions import enrol
    from suotdoi.recognition import selectors as rs
    from suotdoi.recognition.actions import assessment_register, round_set
    from tests.catalog_helpers import online_course, provider_of, published
    from tests.test_campaigns import launched

    people, units = world.people, world.units
    camp = launched(people, units, reflection_required=True, quiz_required=True)
    ca.question_add(
        actor=people["provincial_officer"],
        campaign=camp,
        text="Học tập suốt đời là gì?",
        choices=["Học cả đời", "Học đến 18 tuổi"],
        correct=0,
    )
    task = Task.objects.get(campaign=camp, unit=units["grassroots"])
    starts = timezone.now() + dt.timedelta(days=2)
    session = ca.session_create(
        actor=people["grassroots_chair"],
        task=task,
        kind="thematic",
        title="Sinh hoạt chuyên đề tháng này",
        starts_at=starts,
        hours=2,
        place="Hội trường công ty",
    )
    course = published(people, online_course(people, provider_of(people, units)))
    enrol(person=people["member"], course=course)
    year = timezone.localdate().year
    round_set(
        actor=people["provincial_officer"],
        unit=units["federation"],
        title_code="cong-dan-hoc-tap",
        year=year,
        submit_by=timezone.localdate() + dt.timedelta(days=10),
        review_by=timezone.localdate() + dt.timedelta(days=20),
        decide_by=timezone.localdate() + dt.timedelta(days=30),
    )
    assessment_register(
        actor=people["member"], criteria_set=rs.current_set("cong-dan-hoc-tap"), year=year
    )
    return camp, task, session, course


def test_home_lists_what_the_learner_has_to_do_with_dates(world, new_page, shot):
    """#16.14: 'My study campaigns' did not show the member's upcoming session and home had
    no 'what's next'."""
    from django.utils import timezone

    from suotdoi.demo.world import DEMO_PASSWORD
    from tests.browser.conftest import sign_in

    camp, task, session, course = _a_learners_week(world)
    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/")
    todo = page.locator("section[aria-labelledby=todo-h]")
    assert todo.locator("h2").inner_text() == "Việc cần làm"
    cards = todo.locator("li.card").all_inner_texts()
    text = "\n".join(cards)
    when = timezone.localtime(session.starts_at)
    assert "Sinh hoạt chuyên đề tháng này" in cards[0], cards  # the soonest first
    assert when.strftime("%d/%m/%Y") in cards[0] and when.strftime("%H:%M") in cards[0]
    assert "Bài kiểm tra" in text and "Bài thu hoạch" in text and camp.title in text
    assert course.title in text and "Tự đánh giá" in text
    assert camp.ends_on.strftime("%d/%m/%Y") in text
    box = todo.bounding_box()
    assert box["y"] < 740 * 0.35, box  # the list starts on the first screen
    shot(page, "newcomer-home-todo-360")
    todo.get_by_role("link", name="Sinh hoạt chuyên đề tháng này").click()
    page.wait_for_url(f"**/campaigns/mine/#task-{task.pk}")
    card = page.locator(f"#task-{task.pk}")
    assert "Buổi sinh hoạt bạn được mời" in card.inner_text()
    assert when.strftime("%d/%m/%Y") in card.inner_text()
    shot(page, "newcomer-my-campaigns-session-360")


def test_done_things_leave_the_list(world):
    """A session attended and a reflection sent are no longer to do; a person
    of another tree sees none of Mai's."""
    from django.utils import translation

    from suotdoi.campaigns import actions as ca
    from suotdoi.campaigns.models import Attendance
    from suotdoi.web.home import todos_for
    from tests.test_campaigns import session_of

    camp, task, later, course = _a_learners_week(world)
    now = session_of(world.people, task)  # started a moment ago: attendance can be taken
    mai = world.people["member"]
    with translation.override("en"):
        before = [(t.kind, t.title) for t in todos_for(mai)]
        kinds = {k for k, _ in before}
        assert {"Study session", "Quiz", "Reflection", "Course", "Self-assessment"} <= kinds
        assert ("Study session", now.title) in before and ("Study session", later.title) in before
        ca.attendance_record(
            actor=world.people["grassroots_chair"], session=now, person=mai, method="manual"
        )
        assert Attendance.objects.filter(session=now, person=mai).exists()
        ca.reflection_submit(
            actor=mai,
            task=task,
            text="Em học được nhiều điều: học tập suốt đời là học ở mọi nơi, mọi lúc.",
        )
        after = [(t.kind, t.title) for t in todos_for(mai)]
        assert ("Study session", now.title) not in after or now.title == later.title
        assert [k for k, _ in after].count("Study session") == 1, after
        assert "Reflection" not in {k for k, _ in after}, after
        stranger = world.people["provincial_officer"]
        assert all(t.title not in (now.title, later.title) for t in todos_for(stranger))


def _pdf_info(path) -> dict:
    import subprocess

    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    }


def test_every_pdf_downloaded_has_a_title_and_is_tagged(world, new_page, tmp_path):
    """#16.15: PDFs carried no title metadata and were untagged (a screen reader, or a file
    list, showed 'Untitled')."""
    import subprocess

    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser.conftest import sign_in
    from tests.credentials_helpers import issued
    from tests.test_campaigns import launched

    credential = issued(world.people, world.units)
    camp = launched(world.people, world.units)
    mai = new_page(width=360, height=740)
    sign_in(mai, "0912000001", DEMO_PASSWORD)
    officer = new_page(width=1280, height=900)
    sign_in(officer, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    wanted = [
        (mai, "/record/", "/record/transcript.pdf", "Nguyễn Thị Mai"),
        (
            mai,
            f"/credentials/{credential.uid}/",
            f"/credentials/{credential.uid}/certificate.pdf",
            "Nguyễn Thị Mai",
        ),
        (officer, f"/campaigns/{camp.pk}/", f"/campaigns/{camp.pk}/report.pdf", camp.title),
    ]
    for page, at, href, title_words in wanted:
        page.goto(at)
        with page.expect_download() as info:
            page.locator(f"a[href='{href}']").first.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        meta = _pdf_info(path)
        assert title_words in meta.get("Title", ""), (href, meta)
        assert meta.get("Tagged") == "yes", (href, meta)
        assert meta.get("Author"), (href, meta)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert title_words.split()[0] in text.stdout  # still the same readable document

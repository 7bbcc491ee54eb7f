"""#27 with the network switched off: Mai downloads a course, studies it and answers its quiz
without signal, scans the session's code in a hall without signal; back online everything is
sent once and her record shows it. A code scanned 49 hours after it was shown is refused.
The organiser's screen goes on making the server's codes offline and uploads what it showed."""

from __future__ import annotations

import datetime as dt
import time

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _course_and_session(people, units):
    from suotdoi.campaigns.models import Task
    from suotdoi.catalog import actions as catalog
    from tests.catalog_helpers import online_course, provider_of, published
    from tests.test_campaigns import launched, session_of

    course = published(people, online_course(people, provider_of(people, units)))
    catalog.enrol(person=people["member"], course=course)
    task = Task.objects.get(campaign=launched(people, units), unit=units["grassroots"])
    return course, session_of(people, task)


def test_study_answer_and_check_in_without_signal_then_send_once(world, new_page, shot):
    from playwright.sync_api import expect

    from suotdoi.campaigns import actions as campaigns
    from suotdoi.campaigns import qr
    from suotdoi.campaigns.models import Attendance, OfflineScan, Session
    from suotdoi.catalog.models import Enrolment, LessonProgress, QuizAttempt
    from suotdoi.demo.world import DEMO_PASSWORD
    from suotdoi.records.models import LearningEntry
    from tests.browser.conftest import sign_in, wait_for_service_worker

    people, units = world.people, world.units
    course, hall = _course_and_session(people, units)
    mai = people["member"]

    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/")
    wait_for_service_worker(page)  # the app's worker controls the page

    # Online, once: keep the course on the phone.
    page.goto(f"/catalog/courses/{course.pk}/")
    page.get_by_role("button", name="Tải về để học không cần mạng").click()
    expect(page.locator("#offline-result")).to_contain_text("Đã lưu trên điện thoại: 2 bài học")
    shot(page, "offline-course-downloaded-360")

    # In the commune hall: no signal at all.
    page.context.set_offline(True)
    page.goto(f"/catalog/courses/{course.pk}/offline/")
    page.get_by_role("button", name="Mật khẩu mạnh").click()
    expect(page.get_by_text("Dùng mật khẩu dài.")).to_be_visible()
    shot(page, "offline-lesson-360")
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(page.get_by_role("heading", name="Nhận biết lừa đảo")).to_be_visible()
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    page.locator("#reader .button-primary").click()  # the quiz
    page.get_by_label("Ngựa-vằn-ăn-cỏ-2026!").check()
    page.get_by_label("Sai").check()
    shot(page, "offline-quiz-360")
    page.get_by_role("button", name="Gửi bài làm").click()
    expect(page.get_by_role("status").filter(has_text="được lưu trên điện thoại")).to_be_visible()

    # The organiser's screen (online in the office across the yard) showed this code; Mai's
    # phone scans it without signal.
    token = qr.current_token(hall)
    campaigns.display_seen(session=hall, step=qr.session_step_of(token))
    page.goto(f"/campaigns/checkin/{token}/")
    expect(page.locator("#scan-saved")).to_contain_text(
        "Lượt quét của bạn được lưu trên điện thoại"
    )
    shot(page, "offline-scan-saved-360")

    # Nothing reached the server yet.
    e = Enrolment.objects.get(course=course, person=mai)
    assert not LessonProgress.objects.filter(enrolment=e).exists()
    assert not QuizAttempt.objects.filter(enrolment=e).exists()
    assert not Attendance.objects.filter(session=hall).exists()

    # Back in signal: the first page sends everything, in order, once.
    page.context.set_offline(False)
    page.goto("/")
    status = page.locator("#outbox-status")
    expect(status.locator("li")).to_have_count(4)
    items = status.locator("li").all_inner_texts()
    assert "Mật khẩu mạnh" in items[0] and "Nhận biết lừa đảo" in items[1]
    assert "100%" in items[2] and "Bạn đã điểm danh" in items[3], items
    shot(page, "offline-sent-360")
    page.goto("/")  # a second page sends nothing again
    expect(page.locator("#outbox-status")).to_be_hidden()

    e.refresh_from_db()
    assert e.status == Enrolment.COMPLETED and e.attempts == 1 and e.lessons_done == 2
    att = Attendance.objects.get(session=hall, person=mai)
    assert att.method == "qr_offline"
    assert (
        LearningEntry.objects.filter(person=mai, source_key=f"session:{hall.pk}:{mai.pk}").count()
        == 1
    )
    page.goto("/record/")
    expect(page.get_by_text(course.title).first).to_be_visible()
    expect(page.get_by_text(hall.title).first).to_be_visible()

    # A code shown 49 hours ago (a photo kept from another session), "scanned" with the phone's
    # clock set back to then: refused when it arrives, nothing written.
    old = Session.objects.get(pk=hall.pk)
    old.pk = None
    old.starts_at = hall.starts_at - dt.timedelta(hours=50)
    old.qr_secret = "another-secret"
    old.save()
    shown = old.starts_at + dt.timedelta(minutes=30)
    old_token = qr.current_token(old, now=shown.timestamp())
    campaigns.display_seen(session=old, step=qr.session_step_of(old_token))
    page.context.set_offline(True)
    page.clock.set_fixed_time(shown + dt.timedelta(seconds=10))
    page.goto(f"/campaigns/checkin/{old_token}/")
    expect(page.locator("#scan-saved")).to_be_visible()
    page.clock.set_fixed_time(time.time())
    page.context.set_offline(False)
    page.goto("/")
    expect(page.locator("#outbox-status li")).to_have_count(1)
    expect(page.locator("#outbox-status li")).to_contain_text("48 giờ")
    shot(page, "offline-replay-refused-360")
    assert not Attendance.objects.filter(session=old).exists()
    assert not OfflineScan.objects.filter(session=old).exists()


def test_the_organisers_screen_makes_the_servers_codes_offline_and_uploads_them(
    world, new_page, shot
):
    from playwright.sync_api import expect

    from suotdoi.campaigns import qr
    from suotdoi.campaigns.models import SessionDisplay
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser.conftest import sign_in, wait_for_service_worker

    people, units = world.people, world.units
    _course, hall = _course_and_session(people, units)
    page = new_page(width=1024, height=800)
    sign_in(page, "0912000003", DEMO_PASSWORD, DEMO_TOTP_SECRET)
    page.goto(f"/campaigns/sessions/{hall.pk}/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(page.locator("#screen-offline")).to_be_visible()
    box = page.locator("#qr")
    page.wait_for_function("document.getElementById('qr').dataset.offlineUrl !== undefined")
    url = box.get_attribute("data-offline-url")
    token = url.rstrip("/").rsplit("/", 1)[1]
    step = int(token.split(".")[1])
    assert token == qr.current_token(hall, now=step * qr.STEP + 1)  # the server's own code
    first, last = (int(box.get_attribute(f"data-{k}")) for k in ("first", "last"))  # plain digits
    assert first <= step <= last
    assert box.locator("img").get_attribute("src").startswith("data:image/gif")
    shot(page, "offline-organiser-screen")
    page.context.set_offline(False)
    # htmx fetches the next code from the server within 10 s; the list goes up with it
    expect(page.locator("#screen-sent")).to_be_visible(timeout=30000)
    assert SessionDisplay.objects.filter(
        session=hall, source=SessionDisplay.SCREEN, first_step__lte=step, last_step__gte=step
    ).exists()

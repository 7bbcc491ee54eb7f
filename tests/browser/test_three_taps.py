"""#27.5: every key journey of a member reaches its main action in at most three taps from
the home page (or from the phone's camera), with the text at 150 % on a 360 px phone. Typing
is not a tap; choosing from a list is."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


class Taps:
    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator):
        locator.click()
        self.count += 1

    def choose(self, selector, value):
        self.page.select_option(selector, value)
        self.count += 1


def test_each_key_journey_takes_at_most_three_taps_in_large_text(world, new_page, shot):
    from playwright.sync_api import expect

    from suotdoi.campaigns import qr
    from suotdoi.campaigns.models import Attendance, Task
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import LessonProgress
    from suotdoi.demo.world import DEMO_PASSWORD
    from suotdoi.records.models import LearningEntry
    from tests.browser.conftest import sign_in
    from tests.catalog_helpers import online_course, provider_of, published
    from tests.test_campaigns import launched, session_of

    people, units = world.people, world.units
    mai = people["member"]
    course = published(
        people, online_course(people, provider_of(people, units), title="Kỹ năng số cơ bản")
    )
    catalog.enrol(person=mai, course=course)
    hall = session_of(
        people, Task.objects.get(campaign=launched(people, units), unit=units["grassroots"])
    )

    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/")
    page.get_by_role("button", name="Chữ rất lớn").click()  # once, kept on every page
    expect(page.locator("html")).to_have_class("text-larger")
    taps = {}

    # 1. Check in at a session: the camera opens the code's link, one tap.
    t = Taps(page)
    page.goto(f"/campaigns/checkin/{qr.current_token(hall)}/")
    t.tap(page.get_by_role("button", name="Tôi có mặt"))
    expect(page.get_by_role("status")).to_contain_text("Bạn đã điểm danh")
    taps["check in"] = t.count
    assert Attendance.objects.filter(session=hall, person=mai).exists()

    # 2. See my learning record.
    t = Taps(page)
    page.goto("/")
    t.tap(page.get_by_role("link", name="Hồ sơ học tập của bạn").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ học tập của bạn")
    taps["see my record"] = t.count

    # 3. Log something learnt elsewhere.
    t = Taps(page)
    page.goto("/")
    t.tap(page.get_by_role("link", name="Ghi lại việc học").first)
    t.choose("#id_kind", "reading")
    page.fill("#id_title", "Sách “Học tập suốt đời”")
    page.fill("#id_start_date", dt.date.today().strftime("%d/%m/%Y"))
    page.fill("#id_hours", "2")
    t.tap(page.get_by_role("button", name="Lưu"))
    expect(page.get_by_text("Đã lưu vào hồ sơ học tập của bạn.")).to_be_visible()
    shot(page, "taps-log-learning-150")
    taps["log learning"] = t.count
    assert LearningEntry.objects.filter(person=mai, title="Sách “Học tập suốt đời”").exists()

    # 4. Go on with a course from "Việc cần làm": finish the next lesson.
    t = Taps(page)
    page.goto("/")
    t.tap(page.get_by_role("link", name="Kỹ năng số cơ bản").first)
    t.tap(page.get_by_role("link", name="Bắt đầu bài học đầu tiên"))
    t.tap(page.get_by_role("button", name="Tôi đã học xong bài này"))
    expect(page.get_by_role("heading", name="Nhận biết lừa đảo")).to_be_visible()
    shot(page, "taps-next-lesson-150")
    taps["finish a lesson"] = t.count
    assert LessonProgress.objects.filter(enrolment__person=mai).count() == 1

    # 5. Keep the course for studying without signal.
    t = Taps(page)
    page.goto("/")
    t.tap(page.get_by_role("link", name="Kỹ năng số cơ bản").first)
    t.tap(page.get_by_role("button", name="Tải về để học không cần mạng"))
    expect(page.locator("#offline-result")).to_contain_text("Đã lưu trên điện thoại")
    shot(page, "taps-download-150")
    taps["keep a course offline"] = t.count

    # 6. Find a course and enrol.
    other = published(
        people,
        online_course(
            people, provider_of(people, units), title="Sổ tay an toàn lao động", questions=False
        ),
    )
    t = Taps(page)
    page.goto("/")
    t.tap(page.get_by_role("link", name="Tìm khóa học").first)
    page.get_by_role("searchbox").first.fill("an toàn lao động")
    page.get_by_role("searchbox").first.press("Enter")
    t.tap(page.get_by_role("link", name="Sổ tay an toàn lao động").first)
    t.tap(page.get_by_role("button", name="Đăng ký"))
    expect(page.get_by_text("Bạn đã đăng ký học.")).to_be_visible()
    taps["enrol in a course"] = t.count
    assert other.enrolments.filter(person=mai).exists()

    print("taps per journey:", taps)
    assert all(n <= 3 for n in taps.values()), taps

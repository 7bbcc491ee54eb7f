"""Issue 7 journey on a 360 px phone: search "an toan mang" without accents, open the course,
take both lessons, fail the quiz once, pass it, and find the completion in "My record"."""

import pytest

from suotdoi.catalog import actions
from suotdoi.catalog.models import Course, Enrolment
from suotdoi.demo.catalog_seed import _online_safety
from suotdoi.demo.world import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_learn_fail_pass_and_see_it_in_my_record(world, new_page, shot):
    provider = actions.provider_enable(
        actor=world.people["provincial_officer"], unit=world.units["grassroots"]
    )
    _online_safety(world.people["provincial_officer"], provider)
    course = Course.objects.get(title="An toàn trên mạng")

    phone = new_page(width=360, height=780, locale="vi-VN")
    sign_in(phone, "0912000001", DEMO_PASSWORD)
    phone.goto("/catalog/")
    phone.fill("#q", "an toan mang")
    phone.get_by_role("button", name="Tìm kiếm").click()
    phone.wait_for_selector("text=1 kết quả")
    shot(phone, "catalog-search-360")
    phone.get_by_role("link", name="An toàn trên mạng").click()
    phone.get_by_role("button", name="Đăng ký học").click()
    phone.wait_for_selector("text=Bạn đã đăng ký học.")
    phone.get_by_role("link", name="Bắt đầu bài học đầu tiên").click()
    phone.wait_for_selector("h1:has-text('Mật khẩu mạnh')")
    shot(phone, "catalog-lesson-360")
    phone.get_by_role("button", name="Tôi đã học xong bài này").click()
    phone.wait_for_selector("h1:has-text('Nhận biết lừa đảo')")
    phone.get_by_role("button", name="Tôi đã học xong bài này").click()
    phone.wait_for_selector("h1:has-text('Bài kiểm tra')")

    # First attempt: the wrong answers.
    phone.get_by_label("12031960").check()
    phone.get_by_label("Đúng", exact=True).check()
    phone.get_by_role("button", name="Nộp bài").click()
    phone.wait_for_selector("text=Hãy đọc lại bài học và thử lại.")
    shot(phone, "catalog-quiz-failed-360")
    e = Enrolment.objects.get(course=course, person=world.people["member"])
    assert e.attempts == 1 and e.status == "active"

    # Second attempt: the answers are shown in a new order; choose by their text.
    phone.get_by_label("Ngựa-vằn-ăn-cỏ-2026!").check()
    phone.get_by_label("Sai", exact=True).check()
    phone.get_by_role("button", name="Nộp bài").click()
    phone.wait_for_selector("text=Đã hoàn thành khóa học.")
    shot(phone, "catalog-quiz-passed-360")
    e.refresh_from_db()
    assert e.status == "completed"

    phone.get_by_role("link", name="Hồ sơ học tập").first.click()
    phone.wait_for_selector("text=An toàn trên mạng")
    shot(phone, "catalog-my-record-360")
    assert "An toàn trên mạng" in phone.content()

"""Journeys of issue 2: a newcomer in Vietnamese, and an officer made to set up two-factor."""

import pytest

from suotdoi.people.models import Person
from tests.browser.conftest import sign_in, totp_now

pytestmark = pytest.mark.django_db(transaction=True)


def _last_code(phone: str) -> str:
    """The code in the last SMS to `phone` (the test settings keep messages in memory)."""
    import re

    from suotdoi.core.sms import MemoryBackend

    texts = [m["text"] for m in MemoryBackend.outbox if m["to"] == phone]
    assert texts, MemoryBackend.outbox
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def test_newcomer_signs_up_logs_in_and_switches_to_english(new_page, shot):
    for width in (360, 1280):
        page = new_page(width=width)
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Học tập suốt đời, ghi nhận suốt đời"
        )
        shot(page, f"home-vi-{width}")
    page = new_page(width=360)
    page.goto("/")
    page.get_by_role("link", name="Tạo hồ sơ học tập").click()
    page.fill("#id_full_name", "Hồ Thị Xuân")
    page.fill("#id_phone", "0903 456 789")
    page.fill("#id_date_of_birth", "08/03/1962")
    page.select_option("#id_gender", "female")
    page.fill("#id_password1", "Hoc-tap-2026!")
    page.fill("#id_password2", "Hoc-tap-2026!")
    shot(page, "signup-vi-360")
    page.get_by_role("button", name="Đăng ký").click()
    # The number is proved with the code sent to it by SMS (#18).
    page.wait_for_url("**/accounts/phone/verify/**")
    code = _last_code("+84903456789")
    page.get_by_label("Mã").fill(code)
    shot(page, "signup-verify-phone-360")
    page.get_by_role("button", name="Xác minh").click()
    page.wait_for_url("**/")
    assert "Xin chào, Xuân" in page.inner_text("h1")
    assert Person.objects.get(phone="+84903456789").phone_verified
    assert Person.objects.get(phone="+84903456789").full_name == "Hồ Thị Xuân"
    page.locator("summary.menu-toggle").click()  # on a phone the links are behind "Danh mục"
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "0903456789", "Hoc-tap-2026!")
    assert "Xin chào, Xuân" in page.inner_text("h1")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("text=Hello, Xuân")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "home-en-logged-in-360")
    assert Person.objects.get(phone="+84903456789").language == "en"
    for width in (360, 1280):
        anon = new_page(width=width)
        anon.goto("/")
        anon.get_by_role("button", name="English").click()
        anon.wait_for_selector("text=Learning for life, recorded for life")
        shot(anon, f"home-en-{width}")


def test_bad_sign_up_shows_vietnamese_errors_and_keeps_nothing(new_page, shot):
    page = new_page()
    page.goto("/accounts/signup/")
    page.fill("#id_full_name", "Lê Văn Tám")
    page.fill("#id_phone", "12345")
    page.fill("#id_national_id", "0010900123456")
    page.fill("#id_date_of_birth", "01/01/2090")
    page.fill("#id_password1", "Hoc-tap-2026!")
    page.fill("#id_password2", "Hoc-tap-2026!")
    page.get_by_role("button", name="Đăng ký").click()
    text = page.inner_text("main")
    assert "không phải số điện thoại Việt Nam" in text
    assert "đúng 12 chữ số" in text
    assert "Ngày sinh không được ở tương lai" in text
    shot(page, "signup-errors-vi-360")
    assert not Person.objects.filter(full_name="Lê Văn Tám").exists()


def test_officer_is_made_to_set_up_two_factor(world, new_page, shot):
    from suotdoi.organisations.actions import membership_add

    officer = Person.objects.create_user(
        full_name="Đoàn Thị Nga", phone="+84916000222", password="Hoc-tap-2026!"
    )
    membership_add(
        actor=world.people["admin"], unit=world.units["group"], person=officer, role="officer"
    )
    page = new_page()
    sign_in(page, "0916000222", "Hoc-tap-2026!", wait=False)
    # straight after sign-in the officer is sent to set up two-factor (password asked again)
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("#id_password", "Hoc-tap-2026!")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert "hãy bảo vệ tài khoản bằng đăng nhập hai lớp" in page.inner_text("main")
    shot(page, "officer-2fa-required-360")
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#id_code", totp_now(secret))
    page.get_by_role("button", name="Bật").click()
    page.goto("/units/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đơn vị của bạn"
    assert "Tổ công đoàn số 1" in page.inner_text("main")

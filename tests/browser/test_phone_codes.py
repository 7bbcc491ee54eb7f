"""#18.1 in Chromium at 360 px: a member with no email forgets her password and chooses a new
one with a code sent by SMS."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys_foundation import _last_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_forgotten_password_is_reset_with_an_sms_code(world, new_page, shot):
    from suotdoi.core.sms import MemoryBackend
    from tests.browser.conftest import sign_in

    MemoryBackend.outbox.clear()
    mai = world.people["member"]
    mai.email = None  # a member with a phone and no email, like most
    mai.save()
    page = new_page(width=360, height=740)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu? Đăng nhập bằng mã gửi qua SMS").click()
    page.get_by_label("Điện thoại").fill("0912 000 001")
    shot(page, "sms-code-request-360")
    page.get_by_role("button", name="Gửi mã cho tôi").click()
    page.wait_for_url("**/accounts/login/code/confirm/**")
    code = page.get_by_label("Mã")
    assert code.get_attribute("inputmode") == "numeric"
    assert code.get_attribute("autocomplete") == "one-time-code"
    code.fill(_last_code("+84912000001"))
    shot(page, "sms-code-confirm-360")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/profile/new-password/")
    page.fill("#id_new_password1", "Lua-chin-vang-2026")
    page.fill("#id_new_password2", "Lua-chin-vang-2026")
    shot(page, "sms-new-password-360")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Đã lưu mật khẩu mới của bạn.")
    other = new_page(width=360, height=740)
    sign_in(other, "0912000001", "Lua-chin-vang-2026")
    assert "Xin chào, Mai" in other.inner_text("h1")

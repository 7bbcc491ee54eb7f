"""#19.1 in Chromium at 360 px: a union chair makes a token for the member-management software,
copies it once, and the software reads the unit with it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_makes_a_token_and_a_machine_uses_it(world, new_page, shot, live_server):
    import requests

    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser.conftest import sign_in

    unit = world.units["grassroots"]
    page = new_page(width=360, height=780)
    sign_in(page, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"/units/{unit.pk}/")
    page.get_by_role("link", name="Truy cập API cho hệ thống khác").click()
    page.get_by_label("Hệ thống nào sẽ dùng mã?").fill("Phần mềm quản lý đoàn viên")
    page.get_by_label("mã truy cập cá nhân").check()
    page.get_by_label("xem đơn vị và số liệu").check()
    page.get_by_role("button", name="Tạo", exact=True).click()
    secret = page.locator("#token-shown code.secret").inner_text()
    shot(page, "api-token-made-360")
    assert secret.startswith("sdt_")
    r = requests.get(
        f"{live_server.url}/api/v1/units/{unit.pk}",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert r.json()["id"] == unit.pk
    page.reload()
    assert secret not in page.content()
    assert "Dùng lần cuối" in page.inner_text("main")

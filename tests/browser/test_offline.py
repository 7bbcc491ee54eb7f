"""#27.1: the installable app on a phone that loses its connection — the pages opened before
(home with things to do, the learning record) open without one, any other page says so and
lists what is saved, and signing out forgets the saved pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_saved_pages_open_without_a_connection_and_sign_out_forgets_them(world, new_page, shot):
    from playwright.sync_api import expect

    from suotdoi.demo.world import DEMO_PASSWORD
    from tests.browser.conftest import sign_in, wait_for_service_worker

    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/")
    # The worker installs on the first page and takes it over (clients.claim).
    wait_for_service_worker(page)
    page.goto("/record/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ học tập của bạn")
    page.goto("/")
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()

    page.context.set_offline(True)
    page.goto("/record/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ học tập của bạn")
    shot(page, "offline-record-360")
    page.goto("/")
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    page.goto("/catalog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có kết nối")
    expect(page.get_by_role("link", name="Hồ sơ học tập của bạn")).to_be_visible()
    shot(page, "offline-not-saved-360")

    # Back online, signing out empties what the phone kept of her.
    page.context.set_offline(False)
    page.goto("/")
    page.locator(".menu-toggle").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    page.context.set_offline(True)
    page.goto("/record/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có kết nối")
    assert "Nguyễn Thị Mai" not in page.inner_text("body")
    page.context.set_offline(False)

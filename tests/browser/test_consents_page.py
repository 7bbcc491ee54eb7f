"""#18.4 in Chromium at 360 px: Mai finds her consents from her profile and withdraws one."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_withdraws_a_consent_from_the_register(world, new_page, shot):
    from suotdoi.demo.world import DEMO_PASSWORD
    from suotdoi.records.actions import record_share_create
    from suotdoi.records.models import RecordShare
    from tests.browser.conftest import sign_in

    mai = world.people["member"]
    record_share_create(actor=mai)
    page = new_page(width=360, height=780)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/profile/")
    page.get_by_role(
        "link", name="Các sự đồng ý của bạn: những gì bạn đã đồng ý và cách rút lại"
    ).click()
    section = page.locator("section", has_text="Chia sẻ hồ sơ với nơi làm việc")
    shot(page, "consents-360")
    section.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector("text=Đã rút lại.")
    assert RecordShare.objects.get(person=mai).revoked_at is not None
    assert section.get_by_role("button", name="Thu hồi").count() == 0

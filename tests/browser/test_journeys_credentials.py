"""Issue 9 journey: a learner finishes a course, finds the credential, shares the public link;
a stranger checks it; the centre revokes it; the stranger's page then says so."""

import datetime as dt

import pytest

from suotdoi.credentials.models import Credential
from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.organisations.models import Unit
from suotdoi.records.models import LearningEntry
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_course_to_credential_shared_checked_and_revoked(
    world, new_page, shot, settings, live_server
):
    settings.PUBLIC_URL = live_server.url
    centre = Unit.objects.get(code="TTHTCD-HL")

    learner = new_page(width=360)
    sign_in(learner, "0912000001", DEMO_PASSWORD)
    learner.goto("/record/add/")
    learner.select_option("#id_kind", "course")
    learner.fill("#id_title", "Tin học cơ bản cho người lớn tuổi")
    learner.fill("#id_start_date", dt.date.today().strftime("%d/%m/%Y"))
    learner.fill("#id_hours", "24")
    learner.select_option("#id_unit", str(centre.pk))
    learner.get_by_role("button", name="Lưu").click()
    learner.wait_for_selector("text=Đã lưu vào hồ sơ học tập của bạn.")
    entry = LearningEntry.objects.get(person=world.people["member"], unit=centre)

    officer = new_page(width=1280, height=900)
    sign_in(officer, "0912000006", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    officer.goto("/record/verify/")
    officer.check(f"#entry-{entry.pk}")
    officer.get_by_role("button", name="Xác nhận các mục đã chọn").click()
    officer.wait_for_selector("text=Đã xác nhận 1 mục.")
    credential = Credential.objects.get(entry=entry)  # issued on its own: the centre asked so

    learner.goto("/")
    learner.get_by_role("link", name="Chứng nhận của tôi").first.click()
    learner.get_by_role("link", name="Tin học cơ bản cho người lớn tuổi").click()
    assert "Hợp lệ" in learner.inner_text("main")
    learner.get_by_role("button", name="Tạo đường dẫn công khai").click()
    learner.wait_for_selector("text=Đã bật đường dẫn công khai")
    shot(learner, "credential-detail-shared-360")
    link = learner.input_value("#share-url")
    assert link.startswith(live_server.url + "/credentials/s/")
    with learner.expect_download() as dl:
        learner.get_by_role("link", name="Giấy chứng nhận (PDF)").click()
    with open(dl.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"

    stranger = new_page(width=360)
    stranger.goto(link)
    verdict = stranger.locator("[data-state]").first
    assert verdict.get_attribute("data-state") == "valid"
    assert "Nguyễn Thị Mai" in stranger.inner_text("main")
    assert "Trung tâm học tập cộng đồng phường Hoa Lư" in stranger.inner_text("main")
    shot(stranger, "credential-shared-valid-360")

    officer.goto(f"/credentials/unit/{centre.pk}/")
    shot(officer, "credential-unit-1280")
    row = officer.locator("tr", has_text="Tin học cơ bản cho người lớn tuổi")
    row.get_by_text("Thu hồi", exact=True).click()
    row.get_by_label("Lý do").fill("Học viên chưa làm bài kiểm tra cuối khoá")
    row.get_by_role("button", name="Thu hồi chứng nhận này").click()
    officer.wait_for_selector("text=Đã thu hồi chứng nhận")
    credential.refresh_from_db()
    assert credential.revoked_at is not None

    stranger.reload()
    assert stranger.locator("[data-state]").first.get_attribute("data-state") == "revoked"
    assert "Đã thu hồi" in stranger.inner_text("main")
    shot(stranger, "credential-shared-revoked-360")

"""Issue 4 journeys: log a book on a phone, have it verified, download the transcript; a venue
visit by QR."""

import datetime as dt

import pytest

from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.organisations.models import Unit
from suotdoi.records.models import EntryStatus, LearningEntry
from suotdoi.records.venues import venue_token
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_logs_a_book_leader_verifies_worker_downloads_transcript(world, new_page, shot):
    worker = new_page(width=360)
    sign_in(worker, "0912000001", DEMO_PASSWORD)
    worker.get_by_role("link", name="Ghi lại việc học").first.click()
    worker.select_option("#id_kind", "reading")
    worker.fill("#id_title", "Sách “Học tập suốt đời”")
    worker.fill("#id_start_date", dt.date.today().strftime("%d/%m/%Y"))
    worker.fill("#id_hours", "3")
    shot(worker, "record-declare-360")
    worker.get_by_role("button", name="Lưu").click()
    worker.wait_for_selector("text=Đã lưu vào hồ sơ học tập của bạn.")
    assert "Chờ xác nhận" in worker.inner_text("main")
    entry = LearningEntry.objects.get(person=world.people["member"])
    assert entry.status == EntryStatus.PENDING

    leader = new_page(width=1280, height=900)
    sign_in(leader, "0912000002", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    leader.goto("/record/verify/")
    assert "Nguyễn Thị Mai" in leader.inner_text("main")
    shot(leader, "record-verify-queue-1280")
    leader.check(f"#entry-{entry.pk}")
    leader.get_by_role("button", name="Xác nhận các mục đã chọn").click()
    leader.wait_for_selector("text=Đã xác nhận 1 mục.")

    worker.goto("/record/")
    assert "Đã xác nhận: Tổ công đoàn số 1" in worker.inner_text("main")
    shot(worker, "record-mine-verified-360")
    with worker.expect_download() as dl:
        worker.get_by_role("link", name="Bản trích lục (PDF)").click()
    with open(dl.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
    worker.goto("/notifications/")
    assert "Việc học của bạn đã được xác nhận" in worker.inner_text("main")


def test_learner_scans_a_venue_qr_and_sees_the_visit(world, new_page, shot):
    library = Unit.objects.get(code="TV-NB")
    page = new_page(width=360)
    # the QR code's address, opened by the phone's camera, first asks the person to sign in
    page.goto(f"/record/visit/{venue_token(library)}/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_login", "0912000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("text=Ghi nhận lần tham quan")
    shot(page, "venue-visit-360")
    page.get_by_role("button", name="Ghi nhận lần tham quan").click()
    page.wait_for_selector("text=Tham quan Thư viện tỉnh Ninh Bình")
    assert "Đã xác nhận" in page.inner_text("main")
    shot(page, "venue-visit-recorded-360")

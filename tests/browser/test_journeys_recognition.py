# ruff: noqa: E501 - Vietnamese test data
"""Issue 8 journey: a worker self-assesses "Công dân học tập" (record-based indicators filled
in with their sources), adds evidence, submits; the union's evaluator adjusts one indicator
with a reason and approves; the federation issues and publishes the decision; the worker
downloads the certificate and its QR address verifies on the public page; the grassroots
union's "Đơn vị học tập" level moves once enough members are recognised."""

import datetime as dt
import re
import subprocess
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.organisations.models import Membership
from suotdoi.recognition.models import Assessment, Decision, Holding
from suotdoi.records.actions import entry_record
from suotdoi.records.models import CompetenceTag
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = dt.date.today().year


def _record(world):
    chair, mai = world.people["grassroots_chair"], world.people["member"]
    digital = CompetenceTag.objects.get(code="digital")
    for n, title in enumerate(["Tin học văn phòng", "An toàn trên mạng"]):
        e, _ = entry_record(
            actor=chair, person=mai, source_key=f"j:course:{n}", title=title, kind="course",
            start_date=dt.date(YEAR, 1, 5 + n), end_date=dt.date(YEAR, 1, 20 + n),
            hours=Decimal(20), provenance="unit_verified", tags=[digital],
        )  # fmt: skip
    for n in range(4):
        entry_record(
            actor=chair, person=mai, source_key=f"j:session:{n}", title=f"Sinh hoạt chuyên đề {n + 1}",
            kind="session", start_date=dt.date(YEAR, 2 + n, 10), hours=Decimal(2), provenance="unit_verified",
        )  # fmt: skip


def test_self_assessment_to_certificate_and_the_unit_level(world, new_page, shot, live_server):
    _record(world)
    worker = new_page(width=360, locale="vi-VN")
    sign_in(worker, "0912000001", DEMO_PASSWORD)
    worker.goto("/recognition/")
    worker.get_by_role("button", name="Tự đánh giá: Công dân học tập").click()
    worker.wait_for_selector("h1:has-text('Công dân học tập')")
    gio = worker.locator("#ind-gio")
    assert "48 / 40 → 10" in gio.inner_text()  # 2 courses × 20 h + 4 sessions × 2 h, capped
    gio.get_by_text("mục đứng sau con số này").click()
    assert "Tin học văn phòng" in gio.inner_text()
    shot(worker, "recognition-self-sources-360")
    for code in ("kh", "nn", "vd", "cs", "gm"):
        worker.fill(f"#v-{code}", "10")
    worker.get_by_role("button", name="Lưu", exact=True).click()
    worker.wait_for_selector("text=Đã lưu.")
    worker.select_option("#ev-ind", "nn")
    worker.fill("#ev-note", "Chứng chỉ tiếng Anh A2 của công ty")
    worker.set_input_files(
        "#ev-file",
        files=[
            {
                "name": "chung-chi.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 chung chi",
            }
        ],
    )
    worker.get_by_role("button", name="Thêm minh chứng").click()
    worker.wait_for_selector("text=Đã thêm minh chứng.")
    worker.get_by_role("button", name="Gửi đơn vị").click()
    worker.wait_for_selector("text=Tự đánh giá đã gửi")
    a = Assessment.objects.get(person=world.people["member"])
    assert a.status == "submitted" and not a.passed  # the quiz indicator is 0

    chair = new_page(width=1280)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto("/recognition/")
    chair.get_by_role("link", name=re.compile("Nguyễn Thị Mai")).click()
    chair.select_option("#rv-ind", "kt")
    chair.fill("#rv-val", "8")
    chair.fill("#rv-reason", "Đã làm bài kiểm tra trên giấy tại buổi sinh hoạt tháng 3")
    chair.get_by_role("button", name="Đổi điểm").click()
    chair.wait_for_selector("text=Đã đổi điểm")
    shot(chair, "recognition-review-1280")
    chair.get_by_role("button", name="Duyệt", exact=True).click()
    chair.wait_for_selector("text=Đã duyệt")
    a.refresh_from_db()
    assert a.status == "approved" and a.values["kt"]["reason"].startswith("Đã làm bài")

    province = new_page(width=1280)
    sign_in(province, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    province.goto(f"/recognition/units/{world.units['federation'].pk}/")
    province.fill("#d-number", "125/QĐ-LĐLĐ")
    province.fill("#d-signer", "Phạm Văn Bình")
    province.fill("#d-title", "Chủ tịch Liên đoàn Lao động tỉnh")
    province.get_by_role("button", name="Ban hành quyết định").click()
    province.get_by_role("button", name="Công bố và cấp giấy chứng nhận").click()
    province.wait_for_selector("text=Đã công bố")
    shot(province, "recognition-decision-1280")
    h = Holding.objects.get(person=world.people["member"])

    worker.goto("/credentials/")
    worker.get_by_role("link", name=re.compile("Công dân học tập")).first.click()
    with worker.expect_download() as dl:
        worker.get_by_role("link", name="Giấy chứng nhận (PDF)").click()
    text = subprocess.run(
        ["pdftotext", dl.value.path(), "-"], capture_output=True, text=True
    ).stdout
    assert "125/QĐ-LĐLĐ" in text and "Công dân học tập" in text
    from suotdoi.credentials.models import Credential
    from suotdoi.credentials.pdf import check_url

    cred = Credential.objects.get(pk=h.credential_id)
    assert cred.uid.hex in text.replace("\n", "").replace("-", "")  # printed under the QR code
    stranger = new_page(width=360)
    stranger.goto(urlparse(check_url(cred)).path)  # the address the QR code holds
    assert stranger.locator("[data-state]").first.get_attribute("data-state") == "valid"
    shot(stranger, "recognition-certificate-check-360")
    assert h.credential_id

    # The grassroots union: its own conditions self-assessed, then members recognised.
    g = world.units["grassroots"]
    chair.goto(f"/recognition/units/{g.pk}/")
    chair.get_by_role("button", name="Tự đánh giá đơn vị").click()
    chair.wait_for_load_state()
    assert "/recognition/assessments/" in chair.url, (
        chair.url + " " + chair.inner_text("main")[:600]
    )
    assert "Đơn vị học tập cấp tỉnh" in chair.inner_text("h1"), chair.inner_text("main")[:500]
    chair.check("#v-chiase")
    chair.check("#v-ldtt")
    chair.get_by_role("button", name="Lưu", exact=True).click()
    chair.goto(f"/recognition/units/{g.pk}/")
    assert chair.inner_text("#unit-level") == "Không đạt"
    members = sorted(
        set(
            Membership.objects.filter(
                unit_path__startswith=g.path, end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
    )
    d = Decision.objects.get()
    Holding.objects.bulk_create(
        [
            Holding(
                title_code="cong-dan-hoc-tap", year=YEAR, person_id=p, outcome="Đạt", decision=d
            )
            for p in members
            if p != world.people["member"].pk
        ]
    )
    from suotdoi.recognition.actions import rollup_units

    rollup_units(title_code="cong-dan-hoc-tap", year=YEAR, units=[g])
    chair.goto(f"/recognition/units/{g.pk}/")
    assert chair.inner_text("#unit-level") == "Mức 1"
    shot(chair, "recognition-unit-level-1280")

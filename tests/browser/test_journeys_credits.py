"""#21 in Chromium: a worker with learning from three providers picks a college's programme
at 360 px, sees her progress and applies to recognise what she learned at work; the assessor,
at a desktop, grants 20 of the 60 credits with reasons; her account and progress change and her
transcript downloads."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_applies_for_recognition_and_is_granted_credit(world, new_page, shot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.catalog import actions as catalog
    from suotdoi.credits import actions as credits
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.records.models import EntryStatus, LearningEntry, Provenance
    from tests.browser.conftest import sign_in

    people, units = world.people, world.units
    chair_p, mai_p, g = people["grassroots_chair"], people["member"], units["grassroots"]
    provider = catalog.provider_enable(actor=chair_p, unit=g)
    credits.accreditation_grant(
        actor=people["admin"], provider=provider, reference="45/QĐ-SLĐTBXH",
        issued_by="Sở Lao động", document=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 x"),
    )  # fmt: skip
    p = credits.programme_create(
        actor=chair_p, provider=provider, code="DIEN-CD", title="Điện công nghiệp (cao đẳng)",
        vqf_level=5, min_credits=Decimal(60), transfer_cap_pct=50,
    )  # fmt: skip
    for code, title in (("A", "An toàn điện"), ("B", "Lắp đặt điện"), ("C", "Đo lường")):
        credits.module_add(
            actor=chair_p, programme=p, code=code, title=title, area="trades",
            credits=Decimal(20), mandatory=code == "A",
        )  # fmt: skip
    credits.programme_publish(actor=chair_p, programme=p)
    # Learning from three providers in her record, verified.
    for i, (unit, title, hours) in enumerate(
        (
            (g, "Thợ điện tại xưởng", "600"),
            (units["clc"], "Lắp đặt điện dân dụng", "300"),
            (units["federation"], "An toàn điện cho công nhân", "120"),
        )
    ):
        LearningEntry.objects.create(
            person=mai_p, title=title, kind="workplace", start_date=dt.date(2025, 3, 1 + i),
            end_date=dt.date(2025, 9, 1), hours=Decimal(hours), unit=unit, unit_path=unit.path,
            provenance=Provenance.UNIT_VERIFIED, status=EntryStatus.VERIFIED,
            source_key=f"journey:{i}",
        )  # fmt: skip

    mai = new_page(width=360, height=780)
    sign_in(mai, "0912000001", DEMO_PASSWORD)
    mai.goto("/credits/")
    mai.get_by_role("link", name="Tìm chương trình").click()
    mai.get_by_role("link", name=re.compile("Điện công nghiệp")).click()
    expect(mai.locator("#progress-total")).to_have_text("0")
    mai.get_by_role("button", name="Theo chương trình này").click()
    mai.get_by_role("link", name="Đề nghị công nhận kết quả học tập trước").click()
    mai.get_by_label(re.compile("Đề nghị công nhận B Lắp đặt điện")).check()
    section = mai.locator("fieldset.card", has_text="Lắp đặt điện (20")
    section.get_by_label(re.compile("Thợ điện tại xưởng")).check()
    section.get_by_label(re.compile("Lắp đặt điện dân dụng")).check()
    mai.get_by_label(re.compile("Bạn đã học gì")).fill("Năm năm làm thợ điện ở xưởng.")
    shot(mai, "credits-rpl-apply-360")
    mai.get_by_role("button", name="Gửi đề nghị").click()
    expect(mai.locator("#rpl-status")).to_have_text("Đang chờ người thẩm định")
    shot(mai, "credits-rpl-waiting-360")

    chair = new_page(width=1280, height=900)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/units/{g.pk}/")
    chair.get_by_role("link", name="Chương trình tích lũy tín chỉ").click()
    chair.get_by_role("link", name=re.compile("Nguyễn Thị Mai")).click()
    chair.get_by_label(re.compile("Số tín chỉ công nhận cho B")).fill("20")
    chair.get_by_label("Lý do cho B").fill("Đủ minh chứng: 900 giờ thực hành đã xác nhận")
    chair.get_by_label(re.compile("Lý do của quyết định")).fill("Hồ sơ đầy đủ, đạt yêu cầu.")
    chair.get_by_role("button", name="Quyết định và ký").click()
    expect(chair.locator("#rpl-status")).to_contain_text("Đã quyết định")
    shot(chair, "credits-rpl-decided-desktop")

    mai.goto(f"/credits/programmes/{p.pk}/")
    expect(mai.locator("#progress-total")).to_have_text("20")
    mai.goto("/credits/")
    expect(mai.locator("#credit-total")).to_have_text("20")
    shot(mai, "credits-account-360")
    with mai.expect_download() as download:
        mai.get_by_role("link", name="Tải bảng tín chỉ của tôi (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"

"""#23 in Chromium: the provincial federation opens the half-year report for its superior and
grassroots unions; two grassroots unions fill theirs on a phone and submit; the superior union
returns one with a comment, it is corrected and sent again; the superior accepts both, and its
own report — their figures plus its own rows — goes up; the province accepts it and reads its
consolidated report, then downloads the PDF (rendered to an image here and looked at) and the
XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path("test-artifacts/screens")


def _reporter(admin, unit, name, phone):
    from suotdoi.demo.world import DEMO_PASSWORD
    from suotdoi.organisations import actions as org
    from suotdoi.people.models import Person

    person = Person.objects.create_user(full_name=name, phone=phone, password=DEMO_PASSWORD)
    org.membership_add(actor=admin, unit=unit, person=person, role="reporter",
                       position_title="Cán bộ báo cáo")  # fmt: skip
    return person


def _fill_report(page, *, classes: str, budget: str, signer: str):
    page.get_by_label(re.compile("Số lớp bồi dưỡng kỹ năng nghề")).fill(classes)
    page.get_by_label(re.compile("Kinh phí công đoàn chi cho học tập ngoài quỹ")).fill(budget)
    page.get_by_label("Đặc điểm, tình hình của đơn vị trong kỳ").fill("Sản xuất ổn định.")
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_label("Người ký", exact=True).fill(signer)


def test_a_half_year_report_goes_up_the_union_tree(world, new_page, shot):
    from openpyxl import load_workbook

    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.organisations.models import Unit
    from suotdoi.records.models import EntryStatus, LearningEntry, Provenance
    from tests.browser.conftest import sign_in

    people, units = world.people, world.units
    admin = people["admin"]
    g1, g4 = Unit.objects.get(code="CDCS-001"), Unit.objects.get(code="CDCS-004")
    sup = Unit.objects.get(code="CD-KCN")
    _reporter(admin, g4, "Phạm Văn Tâm", "+84912000101")
    _reporter(admin, sup, "Đỗ Thị Lan", "+84912000102")
    today = dt.date.today()
    for i, unit in enumerate((g1, g4)):
        LearningEntry.objects.create(
            person=people["member"], title="Học an toàn lao động", kind="course",
            start_date=dt.date(today.year, 1, 5), hours=Decimal(10 + i), unit=unit,
            unit_path=unit.path, provenance=Provenance.UNIT_VERIFIED,
            status=EntryStatus.VERIFIED, source_key=f"journey-report:{i}",
        )  # fmt: skip

    # The province opens the period.
    prov = new_page(width=1280, height=900)
    sign_in(prov, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    prov.goto(f"/units/{units['federation'].pk}/")
    prov.get_by_role("link", name="Báo cáo định kỳ").click()
    prov.get_by_label("Tên kỳ báo cáo").fill(f"Báo cáo 6 tháng đầu năm {today.year}")
    prov.get_by_label("Từ ngày").fill(f"{today.year}-01-01")
    prov.get_by_label("Đến ngày").fill(today.isoformat())
    prov.get_by_label("Hạn nộp báo cáo").fill((today + dt.timedelta(days=10)).isoformat())
    prov.get_by_label("Công đoàn cấp trên trực tiếp cơ sở").check()
    prov.get_by_label("Công đoàn cơ sở", exact=True).check()
    shot(prov, "reports-open-desktop")
    prov.get_by_role("button", name="Mở kỳ báo cáo").click()
    expect(prov.get_by_role("heading", name="Tình hình nộp báo cáo")).to_be_visible()
    shot(prov, "reports-period-desktop")

    # Two grassroots unions fill and submit theirs, on a phone.
    chair = new_page(width=360, height=780)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto("/")
    chair.get_by_role("link", name=re.compile("Công đoàn cơ sở .* — Báo cáo 6 tháng")).click()
    expect(chair.locator(".freshness")).to_contain_text("số liệu tính đến")
    _fill_report(chair, classes="2", budget="1.500.000", signer="Lê Thị Hương")
    shot(chair, "reports-fill-360")
    chair.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(chair.locator(".status")).to_have_text("đã gửi")

    tam = new_page(width=360, height=780)
    sign_in(tam, "0912000101", DEMO_PASSWORD)
    tam.goto(f"/reports/units/{g4.pk}/")
    tam.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).click()
    _fill_report(tam, classes="abc", budget="0", signer="Phạm Văn Tâm")
    tam.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(tam.locator(".error").first).to_contain_text("Hãy nhập một số từ 0 trở lên")
    tam.get_by_label(re.compile("Số lớp bồi dưỡng kỹ năng nghề")).fill("1")
    tam.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(tam.locator(".status")).to_have_text("đã gửi")

    # The superior union returns one, accepts the other.
    lan = new_page(width=1280, height=900)
    sign_in(lan, "0912000102", DEMO_PASSWORD)
    lan.goto(f"/reports/units/{sup.pk}/")
    lan.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).click()
    lan.get_by_role("link", name=g4.name).click()
    lan.get_by_label("Nội dung cần sửa").fill("Số lớp kỹ năng chưa khớp danh sách lớp")
    lan.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(lan.locator(".status")).to_have_text("bị trả lại để sửa")
    lan.goto(f"/reports/units/{sup.pk}/")
    lan.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).click()
    lan.get_by_role("link", name=g1.name).click()
    lan.get_by_role("button", name="Duyệt, đưa vào báo cáo tổng hợp").click()
    expect(lan.locator(".status")).to_have_text("đã chấp nhận")

    # Corrected and sent again.
    tam.goto("/")
    tam.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).first.click()
    expect(tam.get_by_text("Số lớp kỹ năng chưa khớp danh sách lớp")).to_be_visible()
    tam.get_by_label(re.compile("Số lớp bồi dưỡng kỹ năng nghề")).fill("3")
    tam.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(tam.locator(".status")).to_have_text("đã gửi")

    # The superior accepts it, then sends its own report: both children plus its own rows.
    lan.goto(f"/reports/units/{sup.pk}/")
    lan.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).click()
    lan.get_by_role("link", name=g4.name).click()
    lan.get_by_role("button", name="Duyệt, đưa vào báo cáo tổng hợp").click()
    lan.goto(f"/reports/units/{sup.pk}/")
    lan.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).click()
    expect(lan.locator("table").get_by_role("row", name=re.compile(g4.name))).to_contain_text(
        "đã chấp nhận"
    )
    from suotdoi.reports import selectors
    from suotdoi.reports.models import Report

    sup_report = Report.objects.get(unit=sup)
    assert selectors.consolidation(sup_report)["values"]["skill_classes"] == "5"
    _fill_report(lan, classes="1", budget="0", signer="Đỗ Thị Lan")
    shot(lan, "reports-superior-desktop")
    lan.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(lan.locator(".status")).to_have_text("đã gửi")

    # The province accepts it and reads its consolidated report.
    prov.goto(f"/reports/units/{units['federation'].pk}/")
    prov.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).first.click()
    prov.get_by_role("link", name=sup.name).click()
    prov.get_by_role("button", name="Duyệt, đưa vào báo cáo tổng hợp").click()
    prov.goto(f"/reports/units/{units['federation'].pk}/")
    prov.get_by_role("link", name=re.compile("Báo cáo 6 tháng")).first.click()
    expect(
        prov.get_by_text(re.compile("Tính cả các đơn vị trực thuộc đã duyệt: 6"))
    ).to_be_visible()
    shot(prov, "reports-province-desktop")
    with prov.expect_download() as download:
        prov.get_by_role("link", name="Excel (XLSX)").click()
    wb = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert wb.sheetnames[:1] == ["Tổng hợp"] and len(wb.sheetnames) == 3
    pdf = prov.request.get(prov.url + "report.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "reports-province.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO" in text
    assert sup.name in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path),
                    str(ARTIFACTS / "reports-province-pdf")], check=False)  # fmt: skip

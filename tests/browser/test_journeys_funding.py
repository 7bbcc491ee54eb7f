"""#20 in Chromium at 360 px: a union funds its members on the page; a member pays for a
course with the code sent to her phone and attends, and the provider is paid; another member
cancels and gets the credit back; a payment completed too fast waits for a second officer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _code(phone: str) -> str:
    from suotdoi.core.sms import MemoryBackend

    texts = [m["text"] for m in MemoryBackend.outbox if m["to"] == phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def test_a_union_funds_members_who_pay_for_courses_with_a_code(world, new_page, shot):
    from django.utils import timezone

    from suotdoi.catalog import actions as catalog
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.funding.models import Spend
    from suotdoi.organisations import actions as org
    from suotdoi.people.models import Person
    from tests.browser.conftest import sign_in

    g, people = world.units["grassroots"], world.people
    chair_p = people["grassroots_chair"]
    provider = catalog.provider_enable(actor=chair_p, unit=g)
    now = timezone.now()

    def course(title, starts):
        c = catalog.course_create(
            actor=chair_p,
            provider=provider,
            title=title,
            summary="Cho công nhân",
            category="digital",
            format="in_person",
            hours=Decimal("8"),
            price=500_000,
        )
        catalog.run_add(
            actor=chair_p,
            course=c,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
            place="Hội trường",
            seats=20,
        )
        return catalog.course_publish(actor=chair_p, course=c)

    done_course = course("Tin học văn phòng", now - dt.timedelta(days=1))
    later_course = course("An toàn điện", now + dt.timedelta(days=5))
    lan = Person.objects.create_user(
        full_name="Đỗ Thị Lan", phone="+84912000077", password=DEMO_PASSWORD
    )
    org.membership_add(
        actor=chair_p, unit=world.units["group"], person=lan, start_date=dt.date(2025, 7, 1)
    )

    # The chair creates the fund on the page, puts money in and credits every member.
    chair = new_page(width=360, height=780)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/units/{g.pk}/")
    chair.get_by_role("link", name="Quỹ học tập").click()
    chair.get_by_role("textbox", name=re.compile("^Tên")).fill("Quỹ học tập công đoàn 2026")
    chair.get_by_label("mức cấp cho mỗi người (đồng)").fill("1000000")
    chair.get_by_label(g.name).check()
    chair.get_by_role("button", name="Lập", exact=True).click()
    chair.get_by_label("Số tiền (đồng)").fill("50000000")
    chair.get_by_label("Nguồn tiền").fill("Quyết định 12/QĐ-CĐ")
    chair.get_by_role("button", name="Thêm", exact=True).click()
    chair.get_by_label("Đợt cấp").fill("2026")
    chair.get_by_role("button", name="Cấp tiền").click()
    expect(chair.locator("#granting")).to_contain_text("2026")
    shot(chair, "funding-fund-360")
    fund_url = chair.url

    # Mai pays for a course with the code sent to her phone.
    mai = new_page(width=360, height=780)
    sign_in(mai, "0912000001", DEMO_PASSWORD)
    mai.goto("/funding/")
    expect(mai.locator(".balance")).to_contain_text("1.000.000 đ")
    mai.get_by_role("link", name="Tin học văn phòng").click()
    mai.get_by_label(re.compile("Hội trường")).check()
    mai.get_by_role("button", name="Gửi mã cho tôi").click()
    mai.get_by_label("Mã gửi tới điện thoại của bạn").fill(_code("+84912000001"))
    shot(mai, "funding-spend-code-360")
    mai.get_by_role("button", name="Xác nhận và trả").click()
    expect(mai.locator(".balance")).to_contain_text("500.000 đ")
    shot(mai, "funding-mine-360")

    # Lan pays, then cancels: the credit comes back.
    lan_page = new_page(width=360, height=780)
    sign_in(lan_page, "0912000077", DEMO_PASSWORD)
    lan_page.goto("/funding/")
    lan_page.get_by_role("link", name="Tin học văn phòng").click()
    lan_page.get_by_label(re.compile("Hội trường")).check()
    lan_page.get_by_role("button", name="Gửi mã cho tôi").click()
    lan_page.get_by_label("Mã gửi tới điện thoại của bạn").fill(_code("+84912000077"))
    lan_page.get_by_role("button", name="Xác nhận và trả").click()
    expect(lan_page.locator(".balance")).to_contain_text("500.000 đ")
    lan_page.get_by_role("button", name="Hủy và nhận lại tiền").click()
    expect(lan_page.locator(".balance")).to_contain_text("1.000.000 đ")

    # Mai attended (the provider completes her in the record); the sweep pays the provider.
    spend = Spend.objects.get(person=people["member"], course=done_course)
    catalog.complete(actor=chair_p, enrolment=spend.enrolment)
    chair.goto(fund_url)
    chair.get_by_role("button", name=re.compile("Thanh toán khóa đã hoàn thành")).click()
    spend.refresh_from_db()
    assert spend.status == "paid"

    # A second course, completed before its run even started: held for a second officer.
    mai.goto("/funding/")
    mai.get_by_role("link", name="An toàn điện").click()
    mai.get_by_label(re.compile("Hội trường")).check()
    mai.get_by_role("button", name="Gửi mã cho tôi").click()
    mai.get_by_label("Mã gửi tới điện thoại của bạn").fill(_code("+84912000001"))
    mai.get_by_role("button", name="Xác nhận và trả").click()
    fast = Spend.objects.get(person=people["member"], course=later_course)
    catalog.complete(actor=chair_p, enrolment=fast.enrolment)
    chair.goto(fund_url)
    chair.get_by_role("button", name=re.compile("Thanh toán khóa đã hoàn thành")).click()
    fast.refresh_from_db()
    assert fast.status == "review" and fast.flags == ["too_fast"]
    province = new_page(width=360, height=780)
    sign_in(province, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    province.goto(fund_url)
    expect(province.locator(".spend-review")).to_contain_text("hoàn thành nhanh hơn")
    shot(province, "funding-review-360")
    province.locator(".spend-review").get_by_role("button", name="Duyệt (cán bộ thứ hai)").click()
    fast.refresh_from_db()
    assert fast.status == "paid" and fast.approved_by_id == people["provincial_officer"].pk
    expect(province.locator("#reconciled")).to_be_visible()

"""#20 on the pages: a union creates a fund, puts money in and credits its members; a member
pays for a course with the code sent to her phone and cancels; the officers' page shows the
figures and that the books balance."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from suotdoi.core.sms import MemoryBackend
from suotdoi.funding.models import Fund, LedgerAccount, Spend

pytestmark = pytest.mark.django_db


def test_a_union_funds_its_members_and_one_spends_with_a_code(
    people, units, client_for, django_capture_on_commit_callbacks
):
    from suotdoi.catalog import actions as catalog

    chair_p, mai = people["grassroots_chair"], people["member"]
    g = units["grassroots"]
    provider = catalog.provider_enable(actor=chair_p, unit=g)
    course = catalog.course_create(
        actor=chair_p,
        provider=provider,
        title="Kỹ năng số",
        summary="Điện thoại thông minh",
        category="digital",
        format="external",
        hours=Decimal("6"),
        price=400_000,
        external_url="https://hoc.example.vn",
    )
    catalog.course_publish(actor=chair_p, course=course)
    chair = client_for(chair_p)
    assert "funding/units" in chair.get(f"/units/{g.pk}/").content.decode()
    r = chair.post(
        f"/funding/units/{g.pk}/",
        {
            "name": "Quỹ khuyến học công đoàn",
            "per_person": "1000000",
            "per_course_max": "0",
            "copay_pct": "10",
            "credit_days": "365",
            "providers": [provider.pk],
            "categories": ["digital"],
        },
    )
    assert r.status_code == 302
    fund = Fund.objects.get()
    page = chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert "Kỹ năng số" not in page and "reconciled" in page
    r = chair.post(
        f"/funding/funds/{fund.pk}/",
        {"deposit": "1", "d-amount": "20000000", "d-memo": "QĐ 12/2026", "nonce": "a1"},
    )
    assert r.status_code == 302
    bad = chair.post(
        f"/funding/funds/{fund.pk}/",
        {"deposit": "1", "d-amount": "-5", "d-memo": "x", "nonce": "a2"},
    )
    assert bad.status_code == 200  # the form again, with its error
    with django_capture_on_commit_callbacks(execute=True):
        r = chair.post(f"/funding/funds/{fund.pk}/", {"grant": "1", "g-round_label": "2026"})
    assert r.status_code == 302
    assert 'id="granting"' in chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    me = client_for(mai)
    mine = me.get("/funding/").content.decode()
    assert "1.000.000 đ" in mine and "Kỹ năng số" in mine
    url = f"/funding/funds/{fund.pk}/courses/{course.pk}/"
    assert "360.000 đ" in me.get(url).content.decode()
    MemoryBackend.outbox.clear()
    r = me.post(url, {"send": "1"})
    assert r.status_code == 200 and 'autocomplete="one-time-code"' in r.content.decode()
    code = re.search(r"\b(\d{6})\b", MemoryBackend.outbox[-1]["text"]).group(1)
    assert me.post(url, {"confirm": "1", "code": "000000"}).status_code == 200  # wrong code
    assert not Spend.objects.exists()
    r = me.post(url, {"confirm": "1", "code": code})
    assert r.status_code == 302
    spend = Spend.objects.get()
    assert spend.amount == 360_000 and spend.status == "held"
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 640_000
    # Another member cannot cancel it; she can.
    other = client_for(people["group_leader"])
    assert other.post(f"/funding/spends/{spend.pk}/cancel/").status_code == 404
    assert me.post(f"/funding/spends/{spend.pk}/cancel/").status_code == 302
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    page = chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert "Nguyễn Thị Mai" in page and 'id="reconciled"' in page


def test_the_fund_report_and_the_providers_statement(people, units, client_for):
    import io

    from openpyxl import load_workbook

    from suotdoi.catalog import actions as catalog
    from suotdoi.funding import actions
    from tests.funding_world import fund_for, paid_course

    chair_p, mai = people["grassroots_chair"], people["member"]
    g = units["grassroots"]
    course = paid_course(people, units, title='=HYPERLINK("x")')
    fund = fund_for(people, units, course)
    actions.grant(actor=chair_p, fund=fund, person=mai, round_label="2026")
    s = actions._hold(person=mai, fund=fund, course=course, run=None, made_by=mai)
    catalog.complete(actor=chair_p, enrolment=s.enrolment)
    Spend.objects.filter(pk=s.pk).update(status="review")
    second = people["provincial_officer"]
    actions.spend_approve(actor=second, spend=s)
    chair = client_for(chair_p)
    r = chair.get(f"/funding/funds/{fund.pk}/report.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True)}
    assert summary["Đã trả cơ sở đào tạo"] == 400_000 and summary["Đã nhận"] == 5_000_000
    by_unit = list(wb.worksheets[2].iter_rows(values_only=True))
    assert by_unit[1][0] == units["group"].name and by_unit[1][3] == 400_000  # Mai's group
    spends = list(wb.worksheets[3].iter_rows(values_only=True))
    assert spends[1][2] == '=HYPERLINK("x")'  # a text cell, never a formula
    assert wb.worksheets[3].cell(row=2, column=3).data_type == "s"
    page = chair.get(f"/funding/providers/{g.pk}/").content.decode()
    assert "400.000 đ" in page
    assert chair.get(f"/funding/providers/{g.pk}/statement.xlsx").status_code == 200
    for who in ("foreign_officer", "member"):
        c = client_for(people[who])
        assert c.get(f"/funding/funds/{fund.pk}/report.xlsx").status_code == 404
        assert c.get(f"/funding/providers/{g.pk}/").status_code == 404


def test_the_months_report_as_pdf_reconciles_its_books(people, units, client_for):
    """Last month's deposit opens this month's balances; this month's grant, hold and payment
    are its movements, each summing to zero; the closing balances are the accounts' own."""
    import datetime as dt
    import subprocess

    from django.utils import timezone

    from suotdoi.catalog import actions as catalog
    from suotdoi.funding import actions
    from suotdoi.funding.models import LedgerTransaction
    from tests.funding_world import fund_for, paid_course

    chair_p, mai = people["grassroots_chair"], people["member"]
    course = paid_course(people, units, price=300_000)
    fund = fund_for(people, units, course, deposit=7_000_000)
    first = timezone.localdate().replace(day=1)
    LedgerTransaction.objects.filter(fund=fund).update(at=timezone.now() - dt.timedelta(days=40))
    actions.grant(actor=chair_p, fund=fund, person=mai, round_label="2026")
    s = actions._hold(person=mai, fund=fund, course=course, run=None, made_by=mai)
    catalog.complete(actor=chair_p, enrolment=s.enrolment)
    Spend.objects.filter(pk=s.pk).update(status="review")
    actions.spend_approve(actor=people["provincial_officer"], spend=s)
    chair = client_for(chair_p)
    assert "report-month" in chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    r = chair.get(f"/funding/funds/{fund.pk}/month.pdf?month={first:%Y-%m}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=r.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "BÁO CÁO TÌNH HÌNH SỬ DỤNG QUỸ HỌC TẬP" in flat
    assert "Số dư đầu tháng -7.000.000 7.000.000 0 0 0" in flat
    assert "Cấp cho tài khoản học tập 0 -1.000.000 1.000.000 0 0" in flat
    assert "Thanh toán cho cơ sở đào tạo 0 0 0 -300.000 300.000" in flat
    assert "Số dư cuối tháng -7.000.000 6.000.000 700.000 0 300.000" in flat
    assert "Sổ khớp" in flat and "Người lập biểu" in flat
    # Before the fund existed: only last month's deposit, nothing paid, books still balance.
    last = (first - dt.timedelta(days=1)).replace(day=1)
    r = chair.get(f"/funding/funds/{fund.pk}/month.pdf?month={last:%Y-%m}")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Không có thanh toán trong tháng" in text and "Sổ khớp" in text
    for bad in ("2026-13", "abc", "2019-12", f"{first.year + 1}-01", "2026-1-1"):
        r = chair.get(f"/funding/funds/{fund.pk}/month.pdf?month={bad}")
        assert r.status_code == 302, bad
    for who in ("foreign_officer", "member"):
        c = client_for(people[who])
        assert c.get(f"/funding/funds/{fund.pk}/month.pdf").status_code == 404


def test_an_officer_pays_for_a_member_only_with_consent_and_her_code(people, units, client_for):

    from suotdoi.funding import actions
    from suotdoi.organisations.models import Membership
    from suotdoi.records.assist import _consent_create
    from suotdoi.records.models import AssistConsent

    chair_p, mai, leader = people["grassroots_chair"], people["member"], people["group_leader"]
    from tests.funding_world import fund_for, paid_course

    course = paid_course(people, units, title="Sử dụng điện thoại", price=300_000)
    fund = fund_for(people, units, course)
    actions.grant(actor=chair_p, fund=fund, person=mai, round_label="2026")
    m = Membership.objects.get(person=mai, unit=units["group"], end_date__isnull=True)
    officer = client_for(leader)
    url = f"/funding/assist/{m.pk}/funds/{fund.pk}/courses/{course.pk}/"
    assert officer.get(url).status_code == 404  # no consent yet
    _consent_create(actor=leader, membership=m, method=AssistConsent.PAPER, given_on=None)
    assert "Sử dụng điện thoại" in officer.get(f"/record/assist/{m.pk}/").content.decode()
    MemoryBackend.outbox.clear()
    r = officer.post(url, {"send": "1"})
    assert r.status_code == 200 and MemoryBackend.outbox[-1]["to"] == mai.phone
    code = re.search(r"\b(\d{6})\b", MemoryBackend.outbox[-1]["text"]).group(1)
    r = officer.post(url, {"confirm": "1", "code": code})
    assert r.status_code == 302
    s = Spend.objects.get()
    assert s.person_id == mai.pk and s.made_by_id == leader.pk
    from suotdoi.audit.models import AuditEvent

    ev = AuditEvent.objects.filter(verb="funding.hold").latest("pk")
    assert ev.actor_id == leader.pk and ev.on_behalf_of_id == mai.pk
    # An officer of another tree never reaches it.
    assert client_for(people["foreign_officer"]).get(url).status_code == 404


def test_a_course_the_fund_does_not_pay_for_is_refused_on_the_page_with_its_rule(
    people, units, client_for
):
    """The page works the amount out only to show it; a code sent or a confirmation for a
    course the rules refuse is refused by the actions, in the rule's own words, nothing sent
    and nothing held."""
    from suotdoi.core import onetime
    from suotdoi.funding import actions

    from .funding_world import fund_for, paid_course

    chair, mai = people["grassroots_chair"], people["member"]
    course = paid_course(people, units)
    fund = fund_for(people, units, course, categories=["health"])
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    me = client_for(mai)
    url = f"/funding/funds/{fund.pk}/courses/{course.pk}/"
    rule = "Quỹ không hỗ trợ loại khóa học này."
    page = me.get(url).content.decode()
    assert rule in page and 'name="confirm"' not in page
    MemoryBackend.outbox.clear()
    r = me.post(url, {"send": "1"})
    assert r.status_code == 200 and rule in r.content.decode()
    assert MemoryBackend.outbox == []
    # A code that would be right for this course (as if the rule changed after it was sent).
    intent = actions._intent(fund, course, None, 360_000)
    code = onetime.issue(f"spend-code:{mai.pk}", bound={"intent": intent})
    r = me.post(url, {"confirm": "1", "code": code})
    assert r.status_code == 200 and rule in r.content.decode()
    assert not Spend.objects.exists()
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000


def test_a_confirmation_reads_the_spends_figures_once(
    people, units, client_for, django_assert_num_queries
):
    """The request a phone sends with its code: the session, the person, her grants, her
    account and the course, the course's runs, then the hold's one read and its writes (the
    figures are not read again before the code is checked)."""
    from suotdoi.core import onetime
    from suotdoi.funding import actions

    from .funding_world import fund_for, paid_course

    chair, mai = people["grassroots_chair"], people["member"]
    course = paid_course(people, units)
    fund = fund_for(people, units, course)
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    me = client_for(mai)
    url = f"/funding/funds/{fund.pk}/courses/{course.pk}/"
    intent = actions._intent(fund, course, None, 400_000)
    code = onetime.issue(f"spend-code:{mai.pk}", bound={"intent": intent})
    with django_assert_num_queries(16) as ctx:  # with the test's savepoint and its release
        r = me.post(url, {"confirm": "1", "code": code})
    assert r.status_code == 302
    reads = [q for q in ctx.captured_queries if "funding_fund_providers" in q["sql"]]
    assert len(reads) == 1
    assert Spend.objects.get().amount == 400_000

"""Demo learning accounts and credit: the grassroots union's fund credits its members; its
training department, accredited for elementary vocational training, publishes a programme
for credit; Mai has earned two credits there and asked to recognise what she learned at work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def _decision_pdf() -> bytes:
    from suotdoi.core.pdf import render_pdf

    html = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        "<title>Quyết định cho phép hoạt động giáo dục nghề nghiệp (bản mẫu)</title></head><body>"
        "<h1>Quyết định số 45/QĐ-SLĐTBXH (bản mẫu cho dữ liệu thử)</h1>"
        "<p>Cho phép đào tạo trình độ sơ cấp nghề May công nghiệp.</p></body></html>"
    )
    return render_pdf(html)


def seed_accounts(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment, Provider
    from suotdoi.credits import actions as credits
    from suotdoi.funding import actions as funding
    from suotdoi.records.models import EntryStatus, LearningEntry

    people, units = world.people, world.units
    admin, chair, mai = people["admin"], people["grassroots_chair"], people["member"]
    provider = Provider.objects.get(unit=units["grassroots"])
    fund = funding.fund_create(
        actor=chair,
        unit=units["grassroots"],
        name="Quỹ khuyến học Công đoàn 2026",
        per_person=1_000_000,
        copay_pct=10,
        credit_days=365,
        providers=list(Provider.objects.filter(unit__in=[units["grassroots"], units["clc"]])),
    )
    funding.fund_deposit(actor=chair, fund=fund, amount=50_000_000, key="demo")
    funding.grant_all(actor=chair, fund=fund, round_label="2026")

    credits.accreditation_grant(
        actor=admin,
        provider=provider,
        reference="45/QĐ-SLĐTBXH",
        issued_by="Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình",
        document=SimpleUploadedFile("quyet-dinh.pdf", _decision_pdf(), "application/pdf"),
    )
    course = catalog.course_create(
        actor=chair,
        provider=provider,
        title="Vận hành máy may công nghiệp (sơ cấp)",
        summary="Thực hành trên máy may một kim, hai kim và máy vắt sổ tại xưởng.",
        category="trades",
        format="external",
        hours=Decimal("100"),
        credits=Decimal("2"),
        external_url="https://daotao.example.vn/may-cong-nghiep",
    )
    course = catalog.course_publish(actor=chair, course=course)
    programme = credits.programme_create(
        actor=chair,
        provider=provider,
        code="MAY-SC1",
        title="May công nghiệp — Sơ cấp I",
        summary="Chương trình sơ cấp cho công nhân đang làm việc; công nhận kết quả học tập "
        "tại nơi làm việc đến 50%.",
        vqf_level=1,
        min_credits=Decimal("6"),
        transfer_cap_pct=50,
        max_result_age_years=5,
    )
    for code, title, area, mandatory, courses in (
        ("M1", "An toàn lao động ngành may", "safety", True, []),
        ("M2", "Vận hành máy may", "trades", True, [course]),
        ("M3", "Hoàn thiện sản phẩm", "trades", False, []),
    ):
        credits.module_add(
            actor=chair,
            programme=programme,
            code=code,
            title=title,
            area=area,
            credits=Decimal("2"),
            mandatory=mandatory,
            courses=courses,
        )
    programme = credits.programme_publish(actor=chair, programme=programme)
    e = catalog.enrol(person=mai, course=course)
    Enrolment.objects.filter(pk=e.pk).update(enrolled_at=timezone.now() - dt.timedelta(days=45))
    e.refresh_from_db()
    catalog.complete(actor=chair, enrolment=e)
    evidence = (
        LearningEntry.objects.filter(person=mai, status=EntryStatus.VERIFIED)
        .order_by("-start_date")
        .first()
    )
    if evidence is not None:
        credits.rpl_submit(
            person=mai,
            programme=programme,
            claims={"M3": {"entries": [evidence.pk]}},
            statement="Tôi làm khâu hoàn thiện sản phẩm ba năm tại xưởng may.",
        )

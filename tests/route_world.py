"""The objects every route of the authorisation matrix is called with: the full demo world
(units, learning, a campaign, the catalogue, recognition) plus a few rows the demo lacks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class RouteWorld:
    people: dict
    units: dict
    ids: dict = field(default_factory=dict)


def build_route_world() -> RouteWorld:
    from suotdoi.campaigns.models import Campaign, CampaignDocument, CampaignPartner, Session, Task
    from suotdoi.catalog.models import Course, Lesson, Resource
    from suotdoi.credentials.models import Achievement, Credential
    from suotdoi.demo.catalog_seed import seed_catalog
    from suotdoi.demo.recognition_seed import seed_recognition
    from suotdoi.demo.world import build_world, seed_campaign, seed_learning
    from suotdoi.organisations.actions import membership_add
    from suotdoi.organisations.invitations import membership_invite
    from suotdoi.organisations.models import MemberImport, Membership, Unit
    from suotdoi.people.models import Person
    from suotdoi.recognition.models import Assessment, CriteriaSet, Decision, Movement
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.models import EntryStatus, LearningEntry

    world = build_world(size="small")
    seed_learning(world)
    seed_campaign(world)
    seed_catalog(world)
    seed_recognition(world)
    p, u = world.people, world.units
    admin = p["admin"]
    today = timezone.localdate()
    # A member of the sibling union group (same grassroots union, another group).
    sibling = Person.objects.create_user(
        full_name="Tạ Thị Nhàn", phone="+84915888000", password="x"
    )
    membership_add(actor=admin, unit=u["sibling_group"], person=sibling)
    p["sibling_member"] = sibling
    # A member of a sibling grassroots union (another union under the same federation).
    other_union_group = Unit.objects.get(code="TCD-002-1")
    p["sibling_union_member"] = Person.objects.create_user(
        full_name="Mùa A Sử", phone="+84915888002", password="x"
    )
    membership_add(actor=admin, unit=other_union_group, person=p["sibling_union_member"])
    p["foreign_member"] = Person.objects.create_user(
        full_name="Nông Văn Dền", phone="+84915888003", password="x"
    )
    membership_add(
        actor=admin, unit=Unit.objects.get(code="CDCS-CB-001"), person=p["foreign_member"]
    )
    # A plain member of Mai's own union group: a peer, not staff.
    p["peer"] = Person.objects.create_user(full_name="Lò Văn Pao", phone="+84915888001")
    other, _ = membership_add(actor=admin, unit=u["group"], person=p["peer"])
    imp = MemberImport.objects.create(
        unit=u["grassroots"],
        uploaded_by=admin,
        file_name="a.xlsx",
        file_sha256="0",
        status="validated",
        valid_rows=1,
        total_rows=1,
        row_errors=[{"row": 2, "errors": ["x"], "raw": ["a"]}],
        header=["Họ và tên"],
    )
    inv, _ = membership_invite(actor=admin, unit=u["grassroots"], person=p["member"])
    client, _secret = lrs_client_create(actor=admin, unit=u["group"], name="Ứng dụng tổ")
    from suotdoi.records.actions import entry_record

    pending, _ = entry_record(
        actor=p["member"],
        person=p["member"],
        source_key="route:pending",
        title="Tự học",
        kind="self_study",
        start_date=today - dt.timedelta(days=2),
        hours=2,
        provenance="self_declared",
        unit=u["group"],
    )
    assert pending.status == EntryStatus.PENDING
    # A tool's report about Mai waiting for her, and a link of a tool account to her record.
    reported = LearningEntry.objects.create(
        person=p["member"],
        title="Báo cáo của công cụ",
        kind="online_elsewhere",
        start_date=today - dt.timedelta(days=3),
        hours=1,
        provenance="issued",
        status=EntryStatus.REPORTED,
        issued_by="Công cụ ngoài",
        source_key="route:reported",
    )
    from suotdoi.organisations.models import CorrectionRequest
    from suotdoi.records.lrs.models import LearnerLink
    from suotdoi.records.models import AssistConsent

    correction = CorrectionRequest.objects.create(
        person=p["member"],
        unit=u["grassroots"],
        message="Ngày sinh của tôi bị sai",
    )
    consent = AssistConsent.objects.create(
        person=p["member"],
        unit=u["group"],
        given_on=today,
        form_photo="consents/route.jpg",
        recorded_by=admin,
    )

    link = LearnerLink.objects.create(
        client=client,
        home_page="https://hoc.example.vn",
        account_name="mai-01",
        person=p["member"],
        how="code",
    )
    campaign = Campaign.objects.filter(issuer=u["federation"]).first()
    from suotdoi.campaigns.actions import partner_invite

    partner_invite(actor=p["provincial_officer"], campaign=campaign, unit=u["association"])
    task = Task.objects.filter(campaign=campaign, unit=u["grassroots"]).first()
    session = Session.objects.filter(task=task).first()
    course = Course.objects.filter(lessons__isnull=False).distinct().first()
    from suotdoi.campaigns.actions import reflection_submit

    if task is not None:
        reflection_submit(actor=p["member"], task=task, text="Bài thu hoạch của tôi " * 20)
    from suotdoi.api.tokens import token_create

    api_token, _secret = token_create(
        actor=p["grassroots_chair"],
        unit=u["grassroots"],
        kind="personal",
        name="Route matrix",
        capabilities=["view"],
        days=30,
    )
    from suotdoi.api.webhooks import subscription_create

    webhook, _secret = subscription_create(
        actor=p["grassroots_chair"],
        unit=u["grassroots"],
        url="http://127.0.0.1:9/hook",
        events=["entry.verified"],
    )
    from decimal import Decimal

    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Provider
    from suotdoi.funding import actions as funding

    chair = p["grassroots_chair"]
    prov = Provider.objects.get(unit=u["grassroots"])
    paid = catalog.course_create(
        actor=chair, provider=prov, title="Khoá có phí", summary="Có học phí", category="digital",
        format="external", hours=Decimal(2), price=200_000, external_url="https://a.vn",
    )  # fmt: skip
    paid = catalog.course_publish(actor=chair, course=paid)
    from suotdoi.packages.actions import package_upload
    from tests.package_helpers import package_zip, upload

    packaged = catalog.course_create(
        actor=chair, provider=prov, title="Khoá gói SCORM", summary="Gói e-learning",
        category="digital", format="online", hours=Decimal(1),
    )  # fmt: skip
    package = package_upload(actor=chair, course=packaged, upload=upload(package_zip("scorm12")))
    catalog.course_submit(actor=chair, course=packaged)
    catalog.course_publish(actor=chair, course=packaged)
    catalog.enrol(person=p["member"], course=packaged)
    fund = funding.fund_create(
        actor=chair, unit=u["grassroots"], name="Quỹ học tập", per_person=500_000,
        providers=[prov],
    )  # fmt: skip
    funding.fund_deposit(actor=chair, fund=fund, amount=10_000_000, key="route")
    funding.grant(actor=chair, fund=fund, person=p["member"], round_label="route")
    spend = funding._hold(person=p["member"], fund=fund, course=paid, run=None, made_by=p["member"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.credits import actions as credits

    accreditation = credits.accreditation_grant(
        actor=admin, provider=prov, reference="1/QĐ-SLĐTBXH", issued_by="Sở LĐTBXH",
        document=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 route"),
    )  # fmt: skip
    programme = credits.programme_create(
        actor=chair, provider=prov, code="DIEN-1", title="Điện dân dụng", vqf_level=1,
        min_credits=Decimal(6), transfer_cap_pct=50,
    )  # fmt: skip
    for code, area in (("M1", "safety"), ("M2", "trades")):
        credits.module_add(
            actor=chair, programme=programme, code=code, title=code, area=area,
            credits=Decimal(3), mandatory=code == "M1",
        )  # fmt: skip
    programme = credits.programme_publish(actor=chair, programme=programme)
    evidence = (
        LearningEntry.objects.filter(person=p["member"], status=EntryStatus.VERIFIED)
        .exclude(pk=pending.pk)
        .first()
    )
    rpl_request = credits.rpl_submit(
        person=p["member"], programme=programme, claims={"M2": {"entries": [evidence.pk]}}
    )
    from suotdoi.contests import actions as contests

    contest = contests.contest_create(
        actor=chair, unit=u["grassroots"], title="Tìm hiểu Luật Công đoàn", rules_text="20 câu",
    )  # fmt: skip
    for i in range(4):
        contests.question_add(
            actor=chair, contest=contest, text=f"Câu {i}?", choices=["A", "B"], correct=0
        )
    now = timezone.now()
    contest_round = contests.round_add(
        actor=chair, contest=contest, opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2), draw={"": 3},
    )  # fmt: skip
    sitting = contests.sitting_start(person=p["member"], round=contest_round)
    from suotdoi.reports import actions as reports
    from suotdoi.reports.models import Report

    today = timezone.localdate()
    report_period = reports.period_open(
        actor=chair, unit=u["grassroots"], form=reports.latest_form("cong-doan-hoc-tap-suot-doi"),
        title="Báo cáo năm", starts_on=today.replace(month=1, day=1), ends_on=today,
        deadline=today + dt.timedelta(days=10), type_codes=["to-cong-doan"],
    )  # fmt: skip
    reports.period_prefill(period=report_period)
    child_report = Report.objects.get(period=report_period, unit=u["group"])
    reports.report_save(
        actor=chair, report=child_report, values={"skill_classes": 0, "own_budget": 0},
        notes={}, texts={}, signer="Trần Văn Hùng",
    )  # fmt: skip
    reports.report_submit(actor=chair, report=child_report)
    from suotdoi.stories import actions as stories

    story = stories.story_nominate(
        actor=chair, unit=u["grassroots"], subject_kind="person", subject=p["member"],
        topic="workplace", title="Chị Mai học sau ca", body="<p>x</p>", short_text="x",
    )  # fmt: skip
    from tests.test_stories import jpeg_with_gps

    story_photo = stories.photo_add(
        actor=chair, story=story, upload=jpeg_with_gps(), caption="Ảnh", alt_text="Ảnh lớp học"
    )
    story = stories.consent_ask(actor=chair, story=story)
    ids = {
        "story": story.pk,
        "story_photo": story_photo.pk,
        "report_period": report_period.pk,
        "report": Report.objects.get(period=report_period, unit=u["grassroots"]).pk,
        "child_report": child_report.pk,
        "contest": contest.pk,
        "contest_round": contest_round.pk,
        "sitting": sitting.pk,
        "accreditation": accreditation.pk,
        "programme": programme.pk,
        "rpl_request": rpl_request.pk,
        "fund": fund.pk,
        "assisted_membership": Membership.objects.get(
            person=p["member"], unit=u["group"], end_date__isnull=True
        ).pk,
        "spend": spend.pk,
        "paid_course": paid.pk,
        "package_course": packaged.pk,
        "package": package.pk,
        "package_lesson": package.lesson_id,
        "webhook": webhook.pk,
        "api_token": api_token.pk,
        "unit": u["grassroots"].pk,
        "group": u["group"].pk,
        "federation": u["federation"].pk,
        "clc": u["clc"].pk,
        "library": u["library"].pk,
        "invitation": inv.pk,
        "membership": other.pk,
        "import": imp.pk,
        "client": client.pk,
        "own_entry": LearningEntry.objects.filter(person=p["member"])
        .exclude(pk=pending.pk)
        .values_list("pk", flat=True)
        .first(),
        "pending_entry": pending.pk,
        "reported_entry": reported.pk,
        "link": link.pk,
        "consent": consent.pk,
        "correction": correction.pk,
        "campaign": campaign.pk,
        "task": task.pk if task else None,
        "session": session.pk if session else None,
        "document": CampaignDocument.objects.filter(campaign=campaign)
        .values_list("pk", flat=True)
        .first(),
        "partner": CampaignPartner.objects.values_list("pk", flat=True).first(),
        "course": course.pk,
        "lesson": Lesson.objects.filter(module__course=course).values_list("pk", flat=True).first(),
        "resource": Resource.objects.values_list("pk", flat=True).first(),
        "assessment": Assessment.objects.values_list("pk", flat=True).first(),
        "decision": Decision.objects.values_list("pk", flat=True).first(),
        "movement": Movement.objects.values_list("pk", flat=True).first(),
        "set": CriteriaSet.objects.values_list("pk", flat=True).first(),
        "credential": Credential.objects.filter(person=p["member"]).first(),
        "achievement": Achievement.objects.values_list("uid", flat=True).first(),
        "members": Membership.objects.count(),
        "units_total": Unit.objects.count(),
    }
    return RouteWorld(people=p, units=u, ids=ids)

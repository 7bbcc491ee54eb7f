"""#21 on the pages: platform staff accredit a college with its document; the college
publishes a programme whose requirements add up; a worker's credit-bearing course lands in her
credit account (hours stay credit-equivalents, apart); she applies to recognise earlier learning,
is refused above the cap, is granted 20 of the 60 credits with reasons, appeals once to a second
assessor; everything is signed, audited and hidden from other trees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suotdoi.credits import actions, selectors
from suotdoi.credits.models import CreditAward, Programme, RplRequest
from suotdoi.records.models import EntryStatus, LearningEntry, Provenance

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% quyet dinh\n"


def _entry(person, title, hours, status=EntryStatus.VERIFIED, **kw):
    return LearningEntry.objects.create(
        person=person, title=title, kind="workplace", start_date=dt.date(2025, 5, 1),
        hours=Decimal(hours), provenance=Provenance.UNIT_VERIFIED, status=status,
        source_key=f"test:{title}", **kw,
    )  # fmt: skip


def _decide(client, url, claim, credits, reason, note):
    data = {"decide": "1", f"credits_{claim.pk}": credits, f"reason_{claim.pk}": reason}
    return client.post(url, {**data, "note": note})


def _enrolled_a_month_ago(person, course):
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment

    e = catalog.enrol(person=person, course=course)
    Enrolment.objects.filter(pk=e.pk).update(enrolled_at=timezone.now() - dt.timedelta(days=30))
    e.refresh_from_db()
    return e


@pytest.fixture
def college(people, units, client_for):
    """The grassroots union's training provider, accredited, with a published level-5
    programme of 60 credits: A (20, mandatory, filled by a 3-credit course), B 20, C 20."""
    from suotdoi.catalog import actions as catalog

    chair_p, g = people["grassroots_chair"], units["grassroots"]
    provider = catalog.provider_enable(actor=chair_p, unit=g)
    course = catalog.course_create(
        actor=chair_p, provider=provider, title="An toàn điện", summary="x", category="safety",
        format="external", hours=Decimal("150"), credits=Decimal("3"),
        external_url="https://hoc.example.vn",
    )  # fmt: skip
    catalog.course_publish(actor=chair_p, course=course)
    staff = client_for(people["admin"])
    r = staff.post(
        "/credits/accreditations/",
        {"grant": "1", "provider": provider.pk, "reference": "45/QĐ-SLĐTBXH",
         "issued_by": "Sở Lao động", "valid_until": "",
         "document": SimpleUploadedFile("qd.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    chair = client_for(chair_p)
    r = chair.post(
        f"/credits/providers/{g.pk}/",
        {"code": "dien-cd", "title": "Điện công nghiệp", "summary": "", "vqf_level": "5",
         "min_credits": "60", "transfer_cap_pct": "50", "max_result_age_years": "",
         "yearly_cap": ""},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Programme.objects.get(code="DIEN-CD")
    url = f"/credits/manage/{p.pk}/"
    for code, credits, mandatory, courses in (
        ("A", "20", "on", [course.pk]),
        ("B", "20", "", []),
        ("C", "20", "", []),
    ):
        data = {"add": "1", "code": code, "title": f"Học phần {code}", "area": "trades",
                "credits": credits, "courses": courses}  # fmt: skip
        if mandatory:
            data["mandatory"] = mandatory
        assert chair.post(url, data).status_code == 302
    assert chair.post(url, {"publish": "1"}).status_code == 302
    p.refresh_from_db()
    assert p.status == Programme.PUBLISHED
    return p, course


def test_a_programme_that_does_not_add_up_is_not_published(people, units, client_for, college):
    chair = client_for(people["grassroots_chair"])
    g = units["grassroots"]
    chair.post(
        f"/credits/providers/{g.pk}/",
        {"code": "NGAN", "title": "Quá ngắn", "vqf_level": "5", "min_credits": "30",
         "transfer_cap_pct": "50"},
    )  # fmt: skip
    p = Programme.objects.get(code="NGAN")
    chair.post(f"/credits/manage/{p.pk}/", {"add": "1", "code": "X", "title": "X",
                                            "area": "trades", "credits": "10"})  # fmt: skip
    page = chair.get(f"/credits/manage/{p.pk}/").content.decode()
    assert 'id="problems"' in page and "ít nhất 60 tín chỉ" in page
    chair.post(f"/credits/manage/{p.pk}/", {"publish": "1"})
    p.refresh_from_db()
    assert p.status == Programme.DRAFT
    # A transfer cap above the legal half is refused by the form.
    r = chair.post(
        f"/credits/providers/{g.pk}/",
        {"code": "NUA", "title": "x", "vqf_level": "1", "min_credits": "5",
         "transfer_cap_pct": "60"},
    )  # fmt: skip
    assert r.status_code == 200 and not Programme.objects.filter(code="NUA").exists()


def test_a_worker_earns_applies_is_granted_and_appeals(people, units, client_for, college):
    from suotdoi.audit.models import AuditEvent
    from suotdoi.catalog import actions as catalog
    from suotdoi.credentials.actions import credential_revoke
    from suotdoi.credentials.models import Credential

    p, course = college
    mai_p, chair_p = people["member"], people["grassroots_chair"]
    mai = client_for(mai_p)
    # A credit-bearing course completed at the college: 3 recognised credits in module A.
    e = _enrolled_a_month_ago(mai_p, course)
    catalog.complete(actor=chair_p, enrolment=e)
    award = CreditAward.objects.get(person=mai_p)
    assert (award.kind, award.credits, award.vqf_level) == ("course", Decimal(3), 5)
    # Hours elsewhere are credit-equivalents, shown apart, never recognised credit.
    weld = _entry(mai_p, "Hàn điện tại xưởng", "500")
    page = mai.get("/credits/").content.decode()
    assert 'id="credit-total">3<' in page
    assert selectors.account(mai_p)["total"] == Decimal(3)
    assert selectors.account(mai_p)["equivalent"] >= Decimal(10)  # 500 h + the course's 150 h
    r = mai.post(f"/credits/programmes/{p.pk}/")
    assert r.status_code == 302
    page = mai.get(f"/credits/programmes/{p.pk}/").content.decode()
    assert 'id="progress-total">3<' in page and "30" in page  # cap left: 30 credits
    # Above the cap (B and C: 40 > 30): refused with the reason, nothing saved.
    url = f"/credits/programmes/{p.pk}/rpl/"
    b, c = p.modules.get(code="B"), p.modules.get(code="C")
    r = mai.post(url, {f"claim_{b.pk}": "on", f"entries_{b.pk}": [weld.pk],
                       f"claim_{c.pk}": "on", f"entries_{c.pk}": [weld.pk]})  # fmt: skip
    assert r.status_code == 200 and "nhiều hơn 30" in r.content.decode()
    assert not RplRequest.objects.exists()
    # Somebody else's entry, or a revoked credential, is no evidence.
    theirs = _entry(people["group_leader"], "Của người khác", "100")
    r = mai.post(url, {f"claim_{b.pk}": "on", f"entries_{b.pk}": [theirs.pk]})
    assert r.status_code == 200 and not RplRequest.objects.exists()
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.credentials.actions import achievement_ensure, credential_issue
    from suotdoi.credentials.models import Issuer

    issuer = Issuer.objects.get(unit=units["grassroots"])
    badge = achievement_ensure(issuer=issuer, key="t", kind="completion", name="Đo lường")
    cred, _new = credential_issue(actor=chair_p, person=mai_p, achievement=badge, source_key="t")
    credential_revoke(actor=chair_p, credential=cred, reason="sai")
    with pytest.raises(ValidationFailed):
        actions.rpl_submit(person=mai_p, programme=p, claims={"B": {"credentials": [cred.pk]}})
    assert not RplRequest.objects.exists()
    assert Credential.objects.filter(pk=cred.pk, revoked_at__isnull=False).exists()
    r = mai.post(url, {f"claim_{b.pk}": "on", f"entries_{b.pk}": [weld.pk],
                       "statement": "5 năm thợ hàn"})  # fmt: skip
    assert r.status_code == 302
    req = RplRequest.objects.get()
    rurl = f"/credits/rpl/{req.pk}/"
    # Outsiders see nothing; the learner cannot decide her own.
    for who in ("foreign_officer", "group_leader", "sibling_member"):
        if who in people:
            assert client_for(people[who]).get(rurl).status_code == 404
    claim = req.claims.get()
    assert _decide(mai, rurl, claim, "20", "x", "x").status_code == 200  # no form for her
    req.refresh_from_db()
    assert req.status == RplRequest.SUBMITTED
    # The assessor (the chair: admin of the college's unit) grants 15 with reasons.
    chair = client_for(chair_p)
    queue = chair.get(f"/credits/providers/{units['grassroots'].pk}/").content.decode()
    assert rurl in queue and mai_p.full_name in queue
    r = _decide(chair, rurl, claim, "25", "Đủ minh chứng", "Xem xét hồ sơ")
    assert r.status_code == 200  # above the module's 20: refused
    r = _decide(chair, rurl, claim, "15", "Thiếu phần đo lường", "Xem xét hồ sơ")
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == RplRequest.DECIDED
    rpl_award = CreditAward.objects.get(kind="rpl")
    assert rpl_award.credits == 15 and rpl_award.credential.achievement.issuer.unit_id == (
        units["grassroots"].pk
    )
    assert selectors.progress_of(mai_p, p).total == 18
    # She appeals once; the same assessor cannot decide it; a second one raises it to 20.
    assert mai.post(rurl, {"appeal": "1", "text": "Tôi có chứng chỉ đo lường"}).status_code == 302
    assert mai.post(rurl, {"appeal": "1", "text": "lần hai"}).status_code == 200  # once
    r = _decide(chair, rurl, claim, "20", "ok", "Phúc khảo")
    assert r.status_code == 200
    second = client_for(people["provincial_officer"])
    r = _decide(second, rurl, claim, "10", "ít hơn", "Phúc khảo")
    assert r.status_code == 200  # an appeal does not take away
    r = _decide(second, rurl, claim, "20", "Đủ", "Phúc khảo")
    assert r.status_code == 302, r.content.decode()[:2000]
    req.refresh_from_db()
    assert req.status == RplRequest.FINAL
    live = CreditAward.objects.filter(kind="rpl", revoked_at__isnull=True)
    assert [a.credits for a in live] == [Decimal(20)]
    rpl_award.credential.refresh_from_db()
    assert rpl_award.credential.revoked_at is not None  # replaced by the appeal's credential
    prog = selectors.progress_of(mai_p, p)
    assert prog.total == 23 and prog.transfer_used == 20
    page = mai.get("/credits/").content.decode()
    assert 'id="credit-total">23<' in page
    # Her transcript lists both credits; the college's report counts them and the request.
    import subprocess

    r = mai.get("/credits/transcript.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "An toàn điện" in text and "B Học phần B" in text and "23" in text
    report = chair.get(f"/credits/units/{units['grassroots'].pk}/report/").content.decode()
    assert '<dd class="fig-course">3</dd>' in report and '<dd class="fig-rpl">20</dd>' in report
    assert '<dd class="fig-requests">1</dd>' in report
    assert "credits/units/" in chair.get(f"/units/{units['grassroots'].pk}/").content.decode()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"credits.accredit", "credits.programme_publish", "credits.award",
            "credits.rpl_submit", "credits.rpl_decide", "credits.rpl_appeal",
            "credits.rpl_appeal_decide"} <= verbs  # fmt: skip


def test_credit_outside_an_accredited_provider_is_only_hours(people, units):
    from suotdoi.catalog import actions as catalog

    chair_p = people["grassroots_chair"]
    provider = catalog.provider_enable(actor=chair_p, unit=units["grassroots"])
    course = catalog.course_create(
        actor=chair_p, provider=provider, title="Không công nhận", summary="x",
        category="digital", format="external", hours=Decimal("50"), credits=Decimal("1"),
        external_url="https://hoc.example.vn",
    )  # fmt: skip
    catalog.course_publish(actor=chair_p, course=course)
    e = _enrolled_a_month_ago(people["member"], course)
    catalog.complete(actor=chair_p, enrolment=e)
    assert not CreditAward.objects.exists()
    assert selectors.account(people["member"])["total"] == 0


def test_list_pages_cost_the_same_with_one_line_or_forty(
    people, units, client_for, college, django_assert_max_num_queries
):
    """The credit account, a programme's progress, the provider's queue and the report do a
    fixed number of queries whatever the number of awards and requests."""
    from suotdoi.catalog.models import Provider
    from suotdoi.credits.models import RplClaim

    p, _course = college
    mai_p = people["member"]
    provider = Provider.objects.get(unit=units["grassroots"])
    module = p.modules.get(code="B")
    client = client_for(mai_p)
    chair = client_for(people["grassroots_chair"])
    g = units["grassroots"]
    pages = [
        (client, "/credits/"),
        (client, f"/credits/programmes/{p.pk}/"),
        (chair, f"/credits/providers/{g.pk}/"),
        (chair, f"/credits/units/{g.pk}/report/"),
    ]
    from suotdoi.credits.models import Following

    Following.objects.create(person=mai_p, programme=p)
    for c, url in pages:  # warm: the first request of a session loads its grants
        c.get(url)
    counts = {}
    for n in (1, 40):
        CreditAward.objects.bulk_create(
            [
                CreditAward(
                    person=mai_p,
                    provider=provider,
                    kind="course",
                    title=f"Khóa {n}-{i}",
                    credits=Decimal(1),
                    area="trades",
                    awarded_on=dt.date(2026, 1, 1),
                    source_key=f"q:{n}:{i}",
                    module=module,
                    programme=p,
                )  # fmt: skip
                for i in range(n)
            ]
        )
        from suotdoi.people.models import Person

        for i in range(n):
            learner = Person.objects.create_user(
                full_name=f"Học viên {n}-{i}", phone=f"+8491399{n:02d}{i:03d}", password="x"
            )
            req = RplRequest.objects.create(person=learner, programme=p)
            RplClaim.objects.create(request=req, module=module)
        for c, url in pages:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx.captured_queries))
    for url, (few, many) in counts.items():
        assert many == few, (url, few, many)
    with django_assert_max_num_queries(20):
        client.get("/credits/")


def test_a_withdrawn_accreditation_stops_new_credit(people, units, college):
    """Staff withdraw the college's accreditation: no credit for a completion, no new request,
    no decision on a waiting one."""
    from suotdoi.catalog import actions as catalog
    from suotdoi.core.errors import PermissionDenied
    from suotdoi.credits.models import Accreditation

    p, course = college
    mai_p, chair_p = people["member"], people["grassroots_chair"]
    weld = _entry(mai_p, "Hàn điện", "500")
    req = actions.rpl_submit(person=mai_p, programme=p, claims={"B": {"entries": [weld.pk]}})
    acc = Accreditation.objects.get()
    actions.accreditation_revoke(actor=people["admin"], accreditation=acc, reason="Hết hạn")
    with pytest.raises(PermissionDenied):
        actions.rpl_decide(
            actor=chair_p, request=req, grants={req.claims.get().pk: ("10", "ok")}, note="x"
        )
    e = _enrolled_a_month_ago(mai_p, course)
    catalog.complete(actor=chair_p, enrolment=e)
    assert not CreditAward.objects.exists()
    req.refresh_from_db()
    assert req.status == RplRequest.SUBMITTED
    from suotdoi.core.errors import NotFound

    with pytest.raises(NotFound):  # only platform staff accredit and withdraw
        actions.accreditation_revoke(actor=chair_p, accreditation=acc, reason="x")


def test_the_api_gives_the_account_progress_programmes_and_report(
    people, units, college, client_for
):
    from django.test import Client

    from suotdoi.api.tokens import token_create
    from suotdoi.catalog import actions as catalog

    p, course = college
    mai_p = people["member"]
    catalog.complete(
        actor=people["grassroots_chair"], enrolment=_enrolled_a_month_ago(mai_p, course)
    )
    api = client_for(mai_p)  # her session: the API answers her as the pages do
    me = api.get("/api/v1/me/credits").json()
    assert Decimal(me["total"]) == 3 and me["lines"][0]["kind"] == "course"
    listed = api.get("/api/v1/programmes?q=Điện").json()["results"]
    assert [x["code"] for x in listed] == ["DIEN-CD"] and len(listed[0]["modules"]) == 3
    prog = api.get(f"/api/v1/programmes/{p.pk}/progress").json()
    assert Decimal(prog["total"]) == 3 and prog["missing_mandatory"] == ["A"]
    assert Decimal(prog["transfer_left"]) == 30
    assert api.get("/api/v1/programmes/999999/progress").status_code == 404
    chair_row, chair_secret = token_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], kind="personal",
        name="Báo cáo", capabilities=["view", "view_members"], days=1,
    )  # fmt: skip
    chair = Client(HTTP_AUTHORIZATION=f"Bearer {chair_secret}")
    report = chair.get(f"/api/v1/units/{units['grassroots'].pk}/credit-report?year=2026").json()
    assert Decimal(report["credits_from_courses"]) == 3 and report["requests"] == 0
    assert (
        chair.get(f"/api/v1/units/{units['grassroots'].pk}/credit-report?year=1999").status_code
        == 422
    )

"""WCAG 2.2 A/AA checks with axe-core on the main pages, on a 360 px phone, in both languages.

axe-core comes from the npm registry (tests/browser/a11y, installed by `make test`); the page
under test keeps its CSP, only the test's context may inject the checker.
"""

from pathlib import Path

import pytest

from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.recognition import selectors as recognition_selectors
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser/a11y)")
    contexts = []

    def make(width=360):
        ctx = browser.new_context(
            viewport={"width": width, "height": 780}, base_url=live_server.url, bypass_csp=True
        )
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


def check(page, url):
    page.goto(url)
    found = violations(page)
    assert not found, f"{url}: " + "; ".join(found)


def test_public_pages_pass_axe(world, axe_page):
    page = axe_page()
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/khong-co/"]:
        check(page, url)
    page.goto("/")
    page.get_by_role("button", name="English").click()
    check(page, "/")
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()  # the page with every error shown
    assert not violations(page)


def test_learner_pages_pass_axe(world, axe_page):
    page = axe_page()
    sign_in(page, "0912000001", DEMO_PASSWORD)
    for url in [
        "/",
        "/record/",
        "/record/add/",
        "/record/share/",
        "/units/mine/",
        "/notifications/",
        "/profile/",
    ]:
        check(page, url)


def test_officer_pages_pass_axe(world, axe_page):
    page = axe_page(width=1280)
    sign_in(page, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    g = world.units["grassroots"].pk
    for url in [
        "/units/",
        f"/units/{g}/",
        f"/units/{g}/members/",
        f"/units/{g}/import/",
        f"/units/{g}/members/add/",
        "/record/verify/",
    ]:
        check(page, url)


def test_credential_pages_pass_axe(world, axe_page):
    from suotdoi.credentials import actions
    from tests.credentials_helpers import issued

    c = issued(world.people, world.units)
    actions.credential_share_set(actor=world.people["member"], credential=c, on=True)
    page = axe_page()
    for url in [
        "/credentials/verify/",
        f"/credentials/s/{c.share_token}/",
        f"/credentials/c/{c.uid}/{c.digest[:32]}/",
        f"/credentials/achievements/{c.achievement.uid}/",
    ]:
        check(page, url)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    for url in ["/credentials/", f"/credentials/{c.uid}/"]:
        check(page, url)
    officer = axe_page(width=1280)
    sign_in(officer, "0912000006", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for url in [
        f"/credentials/unit/{world.units['clc'].pk}/",
        f"/credentials/unit/{world.units['commune'].pk}/endorse/",
    ]:
        check(officer, url)


def test_catalogue_and_campaign_pages_pass_axe(world, axe_page):
    from suotdoi.catalog import actions as cat
    from suotdoi.catalog.models import Course
    from suotdoi.demo.catalog_seed import _online_safety

    provider = cat.provider_enable(
        actor=world.people["provincial_officer"], unit=world.units["grassroots"]
    )
    _online_safety(world.people["provincial_officer"], provider)
    course = Course.objects.get()
    e = cat.enrol(person=world.people["member"], course=course)
    lesson = course.lessons.first()
    page = axe_page()
    for url in ["/catalog/", "/catalog/?q=an+toan+mang", f"/catalog/courses/{course.pk}/"]:
        check(page, url)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    assert e.pk
    for url in [
        "/catalog/?q=an+toan&price=free",
        f"/catalog/courses/{course.pk}/",
        f"/catalog/courses/{course.pk}/lessons/{lesson.pk}/",
        f"/catalog/courses/{course.pk}/quiz/",
        f"/catalog/providers/{world.units['grassroots'].pk}/",
        "/campaigns/mine/",
        "/campaigns/scan-saved/",
    ]:
        check(page, url)
    # the offline copy of the course, drawn by reader.js: its lesson list, a lesson, the quiz
    page.goto(f"/catalog/courses/{course.pk}/offline/")
    page.wait_for_selector("#reader ol")
    assert not violations(page)
    page.locator("#reader .offline-lesson").first.click()
    page.wait_for_selector("#reader article")
    assert not violations(page)
    page.goto(f"/catalog/courses/{course.pk}/offline/")
    page.locator("#reader .button-primary").click()
    page.wait_for_selector("#reader form")
    assert not violations(page)
    officer = axe_page(width=1280)
    sign_in(officer, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for url in [
        f"/catalog/manage/{world.units['grassroots'].pk}/",
        f"/catalog/manage/courses/{course.pk}/",
    ]:
        check(officer, url)


def test_recognition_pages_pass_axe(world, axe_page):
    from suotdoi.recognition import actions, emulation

    cs = recognition_selectors.current_set("cong-dan-hoc-tap")
    a = actions.assessment_register(actor=world.people["member"], criteria_set=cs, year=2026)
    m = emulation.movement_create(
        actor=world.people["provincial_officer"],
        unit=world.units["federation"],
        title="Thi đua học tập",
        subjects="persons",
        metric="hours",
        starts_on=__import__("datetime").date(2026, 1, 1),
        ends_on=__import__("datetime").date(2026, 12, 31),
    )
    emulation.movement_join(actor=world.people["member"], movement=m)
    emulation.movement_compute(movement=m)
    page = axe_page()
    sign_in(page, "0912000001", DEMO_PASSWORD)
    for url in [
        "/recognition/",
        f"/recognition/assessments/{a.pk}/",
        f"/recognition/movements/{m.pk}/",
        "/recognition/sets/",
        f"/recognition/sets/{cs.pk}/",
        "/record/",
    ]:
        check(page, url)
    officer = axe_page(width=1280)
    sign_in(officer, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for url in [
        f"/recognition/units/{world.units['federation'].pk}/",
        f"/recognition/units/{world.units['federation'].pk}/movements/new/",
        f"/recognition/movements/{m.pk}/",
    ]:
        check(officer, url)


def test_accounts_credits_and_contests_pages_pass_axe(world, axe_page):
    """The learning account, credit and contest pages (#20–#22), at 360 px for the learner and
    on a desktop for the officer."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from suotdoi.catalog import actions as catalog
    from suotdoi.contests import actions as contests
    from suotdoi.credits import actions as credits
    from suotdoi.funding import actions as funding

    people, g = world.people, world.units["grassroots"]
    chair = people["grassroots_chair"]
    provider = catalog.provider_enable(actor=chair, unit=g)
    fund = funding.fund_create(
        actor=chair, unit=g, name="Quỹ học tập", per_person=1_000_000, providers=[provider]
    )
    funding.fund_deposit(actor=chair, fund=fund, amount=5_000_000, key="a11y")
    funding.grant(actor=chair, fund=fund, person=people["member"], round_label="2026")
    credits.accreditation_grant(
        actor=people["admin"],
        provider=provider,
        reference="1/QĐ",
        issued_by="Sở",
        document=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 a11y"),
    )
    programme = credits.programme_create(
        actor=chair,
        provider=provider,
        code="MAY-1",
        title="May công nghiệp",
        vqf_level=1,
        min_credits=Decimal(6),
        transfer_cap_pct=50,
    )
    for code in ("M1", "M2", "M3"):
        credits.module_add(
            actor=chair,
            programme=programme,
            code=code,
            title=f"Học phần {code}",
            area="trades",
            credits=Decimal(2),
            mandatory=code == "M1",
        )
    credits.programme_publish(actor=chair, programme=programme)
    contest = contests.contest_create(
        actor=chair, unit=g, title="Tìm hiểu Luật Công đoàn", rules_text="5 câu, 1 câu dự đoán"
    )
    for i in range(5):
        contests.question_add(
            actor=chair,
            contest=contest,
            text=f"Câu hỏi {i + 1}?",
            choices=["Có", "Không"],
            correct=0,
        )
    now = timezone.now()
    rnd = contests.round_add(
        actor=chair,
        contest=contest,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        draw={"": 5},
    )
    sitting = contests.sitting_start(person=people["member"], round=rnd)

    page = axe_page()
    sign_in(page, "0912000001", DEMO_PASSWORD)
    for url in [
        "/funding/",
        "/credits/",
        "/credits/programmes/",
        f"/credits/programmes/{programme.pk}/",
        f"/credits/programmes/{programme.pk}/rpl/",
        "/contests/",
        f"/contests/{contest.pk}/",
        f"/contests/sittings/{sitting.pk}/",
        f"/contests/sittings/{sitting.pk}/?q=5",
        f"/contests/{contest.pk}/units/",
    ]:
        check(page, url)
    officer = axe_page(width=1280)
    sign_in(officer, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for url in [
        f"/funding/units/{g.pk}/",
        f"/funding/funds/{fund.pk}/",
        f"/credits/providers/{g.pk}/",
        f"/credits/manage/{programme.pk}/",
        f"/credits/units/{g.pk}/report/",
        f"/contests/units/{g.pk}/",
        f"/contests/{contest.pk}/manage/",
        f"/contests/rounds/{rnd.pk}/",
    ]:
        check(officer, url)


def test_report_and_dashboard_pages_pass_axe(world, axe_page):
    """A grassroots union's periodic report (editable, then sent), the period's status, the
    forms, and the dashboards of a federation and a grassroots union, at 360 px and desktop."""
    import datetime as dt

    from django.utils import timezone

    from suotdoi.reports import actions
    from suotdoi.reports.models import Report

    people, units = world.people, world.units
    fed, g = units["federation"], units["grassroots"]
    today = timezone.localdate()
    period = actions.period_open(
        actor=people["provincial_officer"],
        unit=fed,
        form=actions.latest_form("cong-doan-hoc-tap-suot-doi"),
        title="Báo cáo năm",
        starts_on=dt.date(today.year, 1, 1),
        ends_on=today,
        deadline=today,
        type_codes=["cdct-truc-tiep", "cdcs"],
    )
    actions.period_prefill(period=period)
    actions.snapshot_year(root=fed, year=today.year)
    mine = Report.objects.get(period=period, unit=g)
    top = Report.objects.get(period=period, unit=fed)
    page = axe_page(width=360)
    sign_in(page, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for width in (360, 1280):  # one sign-in: a one-time code is spent once
        page.set_viewport_size({"width": width, "height": 780})
        for url in [
            f"/reports/{mine.pk}/",
            f"/reports/units/{g.pk}/",
            f"/reports/units/{g.pk}/dashboard/",
            "/reports/forms/",
            f"/reports/forms/{period.form_id}/",
        ]:
            check(page, url)
    officer = axe_page(width=360)
    sign_in(officer, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for url in [
        f"/reports/{top.pk}/",
        f"/reports/periods/{period.pk}/",
        f"/reports/units/{fed.pk}/",
        f"/reports/units/{fed.pk}/dashboard/",
    ]:
        check(officer, url)


def test_story_pages_pass_axe(world, axe_page):
    """The public stories (list, a story, a unit's page, the 410 note), the consent page and
    the officer's page, at 360 px."""
    from suotdoi.stories import actions
    from suotdoi.stories.models import Story
    from tests.test_stories import jpeg_with_gps, nominated

    people, units = world.people, world.units
    chair, mai = people["grassroots_chair"], people["member"]
    s = nominated(people, units)
    photo = actions.photo_add(
        actor=chair,
        story=s,
        upload=jpeg_with_gps(),
        caption="Ở lớp",
        alt_text="Một phụ nữ ngồi trước máy tính",
    )
    s = actions.consent_ask(actor=chair, story=s)
    page = axe_page(width=360)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    check(page, f"/stories/{s.pk}/consent/")
    actions.consent_give(person=mai, story=s, photos=[photo.pk], facts=["name"])
    s = actions.story_approve(actor=chair, story=Story.objects.get(pk=s.pk))
    visitor = axe_page(width=360)
    for url in [
        "/stories/",
        f"/stories/s/{s.public_id}/",
        f"/stories/units/{units['grassroots'].pk}/",
    ]:
        check(visitor, url)
    officer = axe_page(width=360)
    sign_in(officer, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    check(officer, f"/stories/{s.pk}/")
    check(officer, f"/stories/units/{units['grassroots'].pk}/manage/?q=mai")
    actions.consent_withdraw(person=mai, story=s)
    visitor.goto(f"/stories/s/{s.public_id}/")
    assert not violations(visitor)

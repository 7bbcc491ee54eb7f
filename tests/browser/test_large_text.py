"""#27.5: larger text (150 %) and high contrast on a 360 px phone — set from the footer's
buttons in the browser, kept on every page, and no page scrolls sideways or clips a button."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# What overflows the page's width, or which buttons and links styled as buttons cut their text.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const seen = el => el.checkVisibility({visibilityProperty: true});
  const right = el => el.getBoundingClientRect().right;
  const wide = document.documentElement.scrollWidth > width + 1;
  const clipped = [...document.querySelectorAll('button, .button, input[type=submit]')]
    .filter(seen)
    .filter(el => el.scrollWidth > el.clientWidth + 1 || right(el) > width + 1)
    .map(el => el.outerHTML.slice(0, 120));
  const wideThings = [...document.querySelectorAll('body *')]
    .filter(el => right(el) > width + 1 && seen(el))
    .map(el => el.tagName + '.' + el.className + ':' + Math.round(right(el))).slice(0, 12);
  return {wide, scrollWidth: document.documentElement.scrollWidth, width, clipped, wideThings};
}"""


def _check(page, shot, name: str) -> None:
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "text-larger contrast-high", name
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert size == "27px", (name, size)  # 150 % of the usual 18 px
    found = page.evaluate(OVERFLOW)
    shot(page, f"large-text-150-{name}")
    assert not found["wide"], f"{name}: {found}"
    assert not found["clipped"], f"{name}: {found}"


def test_larger_text_and_high_contrast_keep_every_key_page_usable_at_360px(
    world, new_page, shot, settings, live_server
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from suotdoi.campaigns import actions, qr
    from suotdoi.campaigns.models import Task
    from suotdoi.catalog.models import Course
    from suotdoi.credentials import actions as credential_actions
    from suotdoi.demo.world import DEMO_PASSWORD
    from tests.browser.conftest import sign_in
    from tests.credentials_helpers import issued
    from tests.test_campaigns import launched

    settings.PUBLIC_URL = live_server.url
    mai = world.people["member"]
    credential = issued(world.people, world.units)
    credential_actions.credential_share_set(actor=mai, credential=credential, on=True)
    camp = launched(world.people, world.units)
    task = Task.objects.get(campaign=camp, unit=world.units["grassroots"])
    session = actions.session_create(
        actor=world.people["grassroots_chair"],
        task=task,
        kind="thematic",
        title="Sinh hoạt chuyên đề về an toàn lao động trong nhà máy",
        starts_at=timezone.now() - dt.timedelta(minutes=10),
        hours=2,
        place="Hội trường",
    )
    course = Course.objects.filter(status="published").order_by("pk").first()

    page = new_page(width=360, height=740)
    page.goto("/")
    # From the footer, as a visitor would: the larger size, then high contrast.
    page.locator("footer").get_by_role("button", name="Chữ rất lớn").click()
    page.wait_for_load_state()
    page.locator("footer").get_by_role("button", name="Tương phản cao").click()
    page.wait_for_load_state()
    assert (
        page.locator("footer")
        .get_by_role("button", name="Tương phản cao")
        .get_attribute("aria-pressed")
        == "true"
    )
    for name, url in (
        ("home-visitor", "/"),
        ("sign-in", "/accounts/login/"),
        ("catalog", "/catalog/"),
        ("public-credential", f"/credentials/s/{credential.share_token}/"),
    ):
        page.goto(url)
        _check(page, shot, name)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    pages = [
        ("home", "/"),
        ("record", "/record/"),
        ("campaigns", "/campaigns/mine/"),
        ("check-in", f"/campaigns/checkin/{qr.current_token(session)}/"),
        ("profile", "/profile/"),
        ("notifications", "/notifications/"),
        ("contests", "/contests/"),
    ]
    if course is not None:
        pages.append(("course", f"/catalog/courses/{course.pk}/"))
    for name, url in pages:
        page.goto(url)
        _check(page, shot, name)
    # The menu opened at this size: every link and the sign-out button fit.
    page.goto("/")
    page.locator(".menu-toggle").click()
    expect(page.locator(".main-nav")).to_be_visible()
    found = page.evaluate(OVERFLOW)
    shot(page, "large-text-150-menu-open")
    assert not found["wide"] and not found["clipped"], found
    # The main action of the check-in is one tap away at this size too.
    page.goto(f"/campaigns/checkin/{qr.current_token(session)}/")
    button = page.get_by_role("button", name="Tôi có mặt")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Back to the usual size: the setting is the reader's to undo.
    page.goto("/record/")
    page.locator("footer").get_by_role("button", name="Chữ vừa").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "text-normal contrast-high"

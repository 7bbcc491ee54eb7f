"""Public sample packages played end to end (issue 25's "run, not committed" part).

Skipped unless SUOTDOI_PUBLIC_PACKAGES names a folder of zips (for instance ADL's CATAPULT cmi5
samples, or an authoring tool's SCORM export found in a public repository). For each zip: the
upload's checks, then a learner at 360 × 740 plays it — the CATAPULT samples are driven through
their own buttons (read a page, pass the quiz, exit); anything else is opened, left to talk to
the runtime, closed, and opened again on a second context to see that it resumes. What the
server recorded is printed (run with -s) and the basic promises asserted: the package was
accepted, the runtime or the AU reached the server, a finished attempt made one entry.

    DATABASE_URL=postgres://… SUOTDOI_PUBLIC_PACKAGES=/tmp/public-packages \\
        .venv/bin/pytest -s -p no:cacheprovider tests/browser/test_public_packages.py -n 0

On PostgreSQL: the SQLite test database lives in memory, and Django's live server then shares
one connection between its threads, which an AU's parallel xAPI requests trip over.
"""

from __future__ import annotations

import os
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from suotdoi.catalog import actions as catalog
from suotdoi.demo.world import DEMO_PASSWORD
from suotdoi.packages import actions
from suotdoi.packages.models import Attempt, ItemState, Launch
from suotdoi.records.lrs.models import Statement
from suotdoi.records.models import LearningEntry
from tests.browser.conftest import sign_in
from tests.package_helpers import upload

FOLDER = os.environ.get("SUOTDOI_PUBLIC_PACKAGES", "")
ZIPS = sorted(Path(FOLDER).glob("*.zip")) if FOLDER else []

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ZIPS, reason="SUOTDOI_PUBLIC_PACKAGES names no folder of zips"),
]


def until(condition, what: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    print(f"  (gave up waiting for {what})")
    return False


def content_frame(page, package):
    """The package's own page: the AU itself (cmi5) or the SCO inside the runtime page."""
    outer = page.frame_locator(".package-frame iframe")
    return outer if package.standard == "cmi5" else outer.frame_locator("#content")


def summary(package, learner) -> str:
    attempt = Attempt.objects.filter(package=package, person=learner).first()
    if attempt is None:
        return "no attempt"
    states = list(ItemState.objects.filter(attempt=attempt))
    verbs = sorted(
        v.rsplit("/", 1)[-1]
        for v in set(
            Statement.objects.filter(registration=attempt.registration).values_list(
                "verb_id", flat=True
            )
        )
    )
    entries = LearningEntry.objects.filter(person=learner, title=package.lesson.course.title)
    parts = [
        f"attempt {attempt.status}, score {attempt.score}, {attempt.seconds} s tracked",
        "items: "
        + "; ".join(
            f"{s.ident}: completion={s.completion or '-'} success={s.success or '-'} "
            f"location={s.location[:30] or '-'} commits={s.commits} "
            f"suspend_data={len(str(s.cmi.get('suspend_data', '') or ''))} chars"
            for s in states
        ),
        f"statements: {', '.join(verbs) or '-'}",
        f"entries: {entries.count()}",
    ]
    return "\n  ".join(parts)


@pytest.mark.parametrize("path", ZIPS, ids=[p.stem for p in ZIPS])
def test_a_public_package_plays(world, new_page, shot, path):
    people = world.people
    officer = people["grassroots_chair"]
    provider = catalog.provider_enable(actor=officer, unit=world.units["grassroots"])
    course = catalog.course_create(
        actor=officer, provider=provider, title=f"Gói mẫu: {path.stem}",
        summary="Gói e-learning công khai.", category="digital", format="online",
        hours=Decimal("1"),
    )  # fmt: skip
    started = time.monotonic()
    package = actions.package_upload(
        actor=officer, course=course, upload=upload(path.read_bytes(), path.name)
    )
    print(
        f"\n{path.name}: accepted as {package.standard} {package.edition}, "
        f"{package.files} files, {package.size:,} bytes, {len(package.items)} launchable "
        f"item(s), checked and stored in {time.monotonic() - started:.1f} s"
    )
    catalog.course_submit(actor=officer, course=course)
    catalog.course_publish(actor=officer, course=course)
    learner = people["member"]

    phone = new_page(width=360, height=740, locale="vi-VN")
    sign_in(phone, "0912000001", DEMO_PASSWORD)
    phone.goto(f"/catalog/courses/{course.pk}/")
    phone.get_by_role("button", name="Đăng ký học").click()
    refused = []

    def note_error(r):
        if r.status >= 400:
            refused.append(
                f"{r.request.method} {r.url.split('?')[0]} → {r.status} {r.text()[:200]}"
            )

    phone.on("response", note_error)
    phone.goto(f"/packages/lessons/{package.lesson_id}/")
    frame = content_frame(phone, package)
    reached = until(
        lambda: (
            Launch.objects.filter(
                attempt__package=package, attempt__person=learner, initialized_at__isnull=False
            ).exists()
            or ItemState.objects.filter(
                attempt__package=package, attempt__person=learner, commits__gt=0
            ).exists()
        ),
        "the content to reach the runtime",
    )
    au = phone.locator(".package-frame iframe").element_handle().content_frame()
    catapult = package.standard == "cmi5" and au.evaluate(
        "() => typeof course === 'object' && typeof course.gotoPage === 'function'"
    )
    shot(phone, f"public-{path.stem}-opened-360")
    print("  answered with an error:", *refused, sep="\n    ")
    if catapult:
        # CATAPULT's sample: read page after page ("Next Section"), pass the quiz with its own
        # buttons, then exit.
        pages = au.evaluate("() => course.pageList.length")
        for _ in range(pages):
            if frame.get_by_role("button", name="Submit Answers").count():
                break
            if frame.locator(".footerbar").count():
                frame.locator(".footerbar").first.click()
            else:  # the framed style: its menu's last entry
                au.evaluate("() => course.gotoPage(course.pageList.length - 1)")
        if frame.get_by_role("button", name="Submit Answers").count():
            frame.get_by_role("button", name="(Select correct answers) ✓").first.click()
            frame.get_by_role("button", name="Submit Answers").first.click()
            until(
                lambda: ItemState.objects.filter(
                    attempt__package=package, attempt__person=learner, satisfied=True
                ).exists(),
                "the AU's moveOn to be met",
            )
        shot(phone, f"public-{path.stem}-submitted-360")
        score_panel = frame.locator("#score-panel.full-overlay-visible .exit-button")
        exit_button = score_panel if score_panel.count() else frame.locator(".exit-button:visible")
        exit_button.first.click()
        until(
            lambda: Launch.objects.filter(
                attempt__package=package, attempt__person=learner, terminated_at__isnull=False
            ).exists(),
            "terminated",
        )
    elif package.standard != "cmi5":
        # An authoring tool's player: press its Start / Next buttons a few times, as a reader.
        for _ in range(4):
            button = frame.get_by_role("button", name=re.compile(r"^(start|next)", re.I))
            if not button.count():
                break
            button.first.press("Enter")  # as a keyboard user: its accessible button
            until(
                lambda: ItemState.objects.filter(
                    attempt__package=package, attempt__person=learner, commits__gt=1
                ).exists(),
                "a commit after moving on",
                timeout=10,
            )
        shot(phone, f"public-{path.stem}-moved-on-360")
    print("  after the first sitting:\n  " + summary(package, learner))
    phone.context.close()

    other = new_page(width=360, height=740, locale="vi-VN")
    sign_in(other, "0912000001", DEMO_PASSWORD)
    other.goto(f"/packages/lessons/{package.lesson_id}/")
    other.locator(".package-frame iframe").wait_for()
    until(
        lambda: (
            Launch.objects.filter(attempt__package=package, attempt__person=learner).count() >= 2
        ),
        "the second launch",
    )
    shot(other, f"public-{path.stem}-second-context-360")
    print("  after the second context opened it:\n  " + summary(package, learner))

    assert reached, "the package never spoke to the runtime"
    attempt = Attempt.objects.get(package=package, person=learner, number=1)
    if attempt.done:
        assert LearningEntry.objects.filter(person=learner, title=course.title).count() == 1

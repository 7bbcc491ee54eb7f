"""Lighthouse on the pages a learner opens on a cheap phone (#27): home with things to do, the
learning record, a lesson, the check-in and a public credential page — mobile emulation and
Lighthouse's slow-4G throttling (its defaults), the app under granian with production settings
on the demo world (SQLite). Prints performance, accessibility and best-practice scores, the
bytes of the first load (compressed, as sent) and of a second load with the browser's cache
and the service worker kept.

    (cd bench/lighthouse && npm ci) && .venv/bin/python bench/lighthouse.py

Lighthouse 12.2.3 (later versions want Node 22), Debian's Chromium; talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import BENCH_SECRET, ROOT, serve_production, use_database  # noqa: E402

CLI = ROOT / "bench" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run "
    "--host-resolver-rules='MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost'"
)


def pages_and_cookie() -> tuple[dict[str, str], str]:
    """The five pages of the demo world, and a signed-in session for Mai."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from suotdoi.campaigns import qr
    from suotdoi.campaigns.models import Session
    from suotdoi.catalog.models import Lesson
    from suotdoi.credentials.actions import credential_share_set
    from suotdoi.credentials.models import Credential
    from suotdoi.people.models import Person

    settings.SECRET_KEY = BENCH_SECRET
    call_command("demo_world", size="small", verbosity=0)
    mai = Person.objects.get(phone="+84912000001")
    credential = Credential.objects.filter(person=mai).order_by("pk").first()
    credential_share_set(actor=mai, credential=credential, on=True)
    credential.refresh_from_db()
    from suotdoi.catalog.models import Enrolment

    enrolled = Enrolment.objects.filter(person=mai).values("course_id")
    lesson = Lesson.objects.filter(course_id__in=enrolled, kind="text").order_by("pk").first()
    if lesson is None:  # a course of text lessons she may take, then enrolled as she would be
        from suotdoi.catalog.actions.learning import enrol

        for candidate in Lesson.objects.filter(course__status="published", kind="text"):
            try:
                enrol(person=mai, course=candidate.course)
            except Exception:  # noqa: BLE001, S112 - not open to her: try the next
                continue
            lesson = candidate
            break
    session = Session.objects.order_by("-pk").first()
    client = Client()
    client.force_login(mai)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return (
        {
            "home": "/",
            "record": "/record/",
            "lesson": f"/catalog/courses/{lesson.course_id}/lessons/{lesson.pk}/",
            "check-in": f"/campaigns/checkin/{qr.current_token(session)}/",
            "credential": f"/credentials/s/{credential.share_token}/",
        },
        cookie,
    )


def lighthouse(url: str, cookie: str, profile: str, *, keep_cache: bool) -> dict:
    out = Path(tempfile.mkdtemp(prefix="suotdoi-lh-")) / "report.json"
    cmd = [
        "node",
        str(CLI),
        url,
        "--chrome-path=/usr/bin/chromium",
        f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
        "--only-categories=performance,accessibility,best-practices",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    if keep_cache:
        cmd.append("--disable-storage-reset")
    for attempt in (1, 2):  # Lighthouse itself asks to be run again after a lost trace
        done = subprocess.run(cmd, timeout=300, cwd=ROOT)
        if done.returncode == 0:
            break
        if attempt == 2:
            raise SystemExit(f"Lighthouse failed twice on {url}")
    report = json.loads(out.read_text())
    cats = report["categories"]
    return {
        "performance": round(cats["performance"]["score"] * 100),
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "best-practices": round(cats["best-practices"]["score"] * 100),
        "bytes": report["audits"]["total-byte-weight"]["numericValue"],
        "failed": [
            a["id"]
            for c in ("accessibility", "best-practices")
            for ref in cats[c]["auditRefs"]
            if ref["weight"] > 0
            and (a := report["audits"][ref["id"]])["score"] is not None
            and a["score"] < 1
        ],
        "lcp": report["audits"]["largest-contentful-paint"]["numericValue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--only", nargs="*", help="page names (home record lesson …)")
    args = parser.parse_args()
    if not CLI.exists():
        sys.exit("install Lighthouse first: (cd bench/lighthouse && npm ci)")
    url = use_database("sqlite")
    pages, cookie = pages_and_cookie()
    os.environ["BENCH_GRANIAN_WORKERS"] = "1"
    with serve_production(url, args.port, static=True) as base:
        print(
            f"{'page':<12}{'perf':>6}{'a11y':>6}{'best':>6}{'LCP s':>7}"
            f"{'first KB':>10}{'repeat KB':>11}  failed audits"
        )
        for name, path in pages.items():
            if args.only and name not in args.only:
                continue
            profile = tempfile.mkdtemp(prefix="suotdoi-lh-profile-")
            first = lighthouse(base + path, cookie, profile, keep_cache=False)
            repeat = lighthouse(base + path, cookie, profile, keep_cache=True)
            print(
                f"{name:<12}{first['performance']:>6}{first['accessibility']:>6}"
                f"{first['best-practices']:>6}{first['lcp'] / 1000:>7.1f}"
                f"{first['bytes'] / 1024:>10.1f}{repeat['bytes'] / 1024:>11.1f}  "
                f"{', '.join(first['failed']) or '-'}",
                flush=True,
            )


if __name__ == "__main__":
    main()

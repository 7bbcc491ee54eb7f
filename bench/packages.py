"""E-learning package tracking under load (#25): 200 learners' SCORM players committing at
once to the content host (granian with production settings, PostgreSQL, 127.0.0.1 only).

Seeds a course with the SCORM 2004 demo package, 200 enrolled learners each with an attempt
and a launch token, then wrk keeps 200 connections committing for a bounded time — one
learner per connection, each commit a full data model (suspend data, interactions) as
scorm-again sends it; each learner commits every --interval ms (600: 200 learners offer ~330
commits/s; 0: back to back, which measures saturation, where latency is queueing). Prints
commits/s, p50/p95/p99 and errors, then counts the commits the database holds (every
acknowledged commit must be there). Target: ≥ 300 commits/s, p95 ≤ 100 ms.

    BENCH_DATABASE_URL=postgres://…/scratch python bench/packages.py [--learners 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from _setup import BENCH_SECRET, serve_production, use_database

LUA = """
local tokens = {}
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local f = io.open("%(body)s", "rb")
local body = f:read("*a")
f:close()
local per = math.floor(#tokens / %(threads)d)
local next_thread = 0
function setup(thread)
  thread:set("first", next_thread * per)
  next_thread = next_thread + 1
end
local i = 0
function delay()
  -- A learner's player commits every %(interval)d ms on average (answers, autocommit), each
  -- learner at their own pace: half to one and a half times the interval.
  if %(interval)d == 0 then return 0 end
  return math.random(math.floor(%(interval)d / 2), math.floor(%(interval)d * 3 / 2))
end
function request()
  -- Each connection of a thread cycles over its own slice of learners.
  local token = tokens[first + (i %% per) + 1]
  i = i + 1
  return wrk.format("POST", "/pkg/l/" .. token .. "/commit", {
    ["Host"] = "%(host)s", ["Content-Type"] = "application/json;charset=UTF-8"}, body)
end
local shown = false
function response(status, headers, b)
  if status ~= 200 and not shown then
    shown = true
    io.write("first refusal: " .. status .. " " .. string.sub(b or "", 1, 200) .. "\\n")
  end
end
function done(summary, latency, requests)
  io.write(string.format("wrk: %%d requests, %%d non-2xx+socket errors, p50 %%.1f ms, p95 %%.1f ms, p99 %%.1f ms\\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def commit_body() -> bytes:
    """A SCORM 2004 commit as scorm-again sends it mid-course: ~4 KB."""
    interactions = {
        str(i): {
            "id": f"q{i + 1}",
            "type": "choice",
            "learner_response": f"c{i % 3}",
            "result": "correct" if i % 2 else "incorrect",
            "timestamp": "2026-12-03T19:00:00",
            "correct_responses": {"0": {"pattern": "c1"}},
            "weighting": "1",
            "latency": "PT12S",
        }  # fmt: skip
        for i in range(12)
    }
    cmi = {
        "completion_status": "incomplete", "success_status": "unknown", "location": "12",
        "progress_measure": "0.6", "exit": "suspend", "session_time": "PT4M30S",
        "suspend_data": json.dumps({"answers": [i % 3 for i in range(12)], "at": 12, "slides": list(range(40))}) * 4,
        "score": {"scaled": "", "raw": "", "min": "", "max": ""}, "interactions": interactions,
        "objectives": {}, "learner_preference": {"audio_level": "1", "language": "vi", "delivery_speed": "1", "audio_captioning": "0"},
    }  # fmt: skip
    return json.dumps({"cmi": cmi}).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8796)
    parser.add_argument(
        "--interval", type=int, default=600,
        help="ms each learner waits between commits (0: back to back, the saturation figure)",
    )  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    host = f"localhost:{args.port}"
    # 200 learners' connections wait in granian's queue for a bounded pool of threads (each
    # thread holds a database connection; PostgreSQL allows 100), as behind PgBouncer.
    os.environ.setdefault("BENCH_GRANIAN_THREADS", "8")
    os.environ["SUOTDOI_PACKAGE_ORIGIN"] = f"http://{host}"
    url = use_database("postgres")
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from suotdoi.catalog import actions as catalog
    from suotdoi.demo.packages_seed import package_zip
    from suotdoi.organisations.models import Unit, UnitType
    from suotdoi.packages import actions
    from suotdoi.packages.models import ItemState
    from suotdoi.people.models import Person

    t0 = time.perf_counter()
    officer = Person.objects.create_user(
        full_name="Cán bộ đào tạo", password=None, is_superuser=True
    )
    unit_type = UnitType.objects.order_by("pk").first()
    unit = Unit.objects.add_root(
        {"name": "Trung tâm học tập cộng đồng", "code": "TTHTCD-BENCH", "unit_type": unit_type}
    )
    provider = catalog.provider_enable(actor=officer, unit=unit)
    course = catalog.course_create(
        actor=officer, provider=provider, title="Gói SCORM 2004", summary="Bench",
        category="digital", format="online", hours=Decimal(1),
    )  # fmt: skip
    package = actions.package_upload(
        actor=officer, course=course,
        upload=SimpleUploadedFile("p.zip", package_zip("scorm2004"), content_type="application/zip"),
    )  # fmt: skip
    catalog.course_submit(actor=officer, course=course)
    catalog.course_publish(actor=officer, course=course)
    tokens = []
    for i in range(args.learners):
        p = Person.objects.create_user(full_name=f"Học viên {i:03d}", password=None)
        catalog.enrol(person=p, course=course)
        attempt = actions.current_attempt(person=p, package=package)
        _launch, token = actions.launch_create(
            person=p, attempt=attempt, ident=package.items[0]["ident"],
            origin=f"http://{host}", parent_origin="http://127.0.0.1",
        )  # fmt: skip
        tokens.append(token)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"seeded {len(tokens)} learners with a launch each in {time.perf_counter() - t0:.1f} s")
    work = tempfile.mkdtemp(prefix="suotdoi-bench-pkg-")
    with open(f"{work}/tokens", "w") as fh:
        fh.write("\n".join(tokens) + "\n")
    with open(f"{work}/body.json", "wb") as fh:
        fh.write(commit_body())
    with open(f"{work}/commit.lua", "w") as fh:
        fh.write(
            LUA
            % {
                "tokens": f"{work}/tokens",
                "body": f"{work}/body.json",
                "threads": args.threads,
                "host": host,
                "interval": args.interval,
            }
        )
    with serve_production(url, args.port, static=True) as base:
        import urllib.error
        import urllib.request

        probe = urllib.request.Request(
            f"{base}/pkg/l/{tokens[0]}/commit", data=commit_body(), method="POST",
            headers={"Host": host, "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            answer = urllib.request.urlopen(probe, timeout=30).read()
        except urllib.error.HTTPError as exc:
            sys.exit(f"a commit was refused: {exc.code} {exc.read()[:300]!r}")
        print(f"one commit answered {answer!r}")
        # Each learner's first commit starts the attempt (a locked write and the attempted
        # statement): made before the timed part, 200 at once, and timed on its own.
        from concurrent.futures import ThreadPoolExecutor

        def first(token):
            req = urllib.request.Request(
                f"{base}/pkg/l/{token}/commit", data=commit_body(), method="POST",
                headers={"Host": host, "Content-Type": "application/json"},
            )  # fmt: skip
            t = time.perf_counter()
            urllib.request.urlopen(req, timeout=60).read()
            return (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        with ThreadPoolExecutor(args.learners) as pool:
            firsts = sorted(pool.map(first, tokens[1:]))
        print(
            f"first commits (attempts start): {len(firsts)} at once in "
            f"{time.perf_counter() - t:.1f} s, p95 {firsts[int(len(firsts) * 0.95)]:.0f} ms"
        )
        began = time.perf_counter()
        out = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.learners}", f"-d{args.seconds}s", "--timeout", "10s",
             "-s", f"{work}/commit.lua", base],
            capture_output=True, text=True, timeout=args.seconds + 60,
        )  # fmt: skip
        took = time.perf_counter() - began
    print(out.stdout.strip())
    if out.returncode or out.stderr.strip():
        print(out.stderr.strip())
    line = next((x for x in out.stdout.splitlines() if x.startswith("wrk: ")), "")
    done = int(line.split()[1]) if line else 0
    held = sum(ItemState.objects.filter(attempt__package=package).values_list("commits", flat=True))
    print(
        f"commits: {done} in {args.seconds} s = {done / args.seconds:.0f}/s "
        f"({args.learners} connections, one learner each, a commit every {args.interval} ms; "
        f"wall {took:.1f} s); "
        f"the database holds {held} commits"
    )


if __name__ == "__main__":
    main()

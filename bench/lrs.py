"""Benchmark: xAPI statement writes over HTTP, load generator and server on one 2-core machine.

Starts the app under granian (2 workers) on a fresh benchmark database, creates an LRS client,
then drives POST /xapi/statements with wrk (Debian package) for a bounded time:

  - batches of 50 statements per request (target ≥ 2,000 statements/s on PostgreSQL);
  - single statements (target ≥ 400/s).

Statements name a learner of the demo world by email and say "completed", so each one also
goes through the learning-record rules (a person lookup and a learning entry).

    python bench/lrs.py [--db sqlite|postgres] [--seconds 60] [--connections 4]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from _setup import BENCH_SECRET, serve_production, use_database

LUA = """
local f = io.open("%s", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Experience-API-Version"] = "2.0.0"
wrk.headers["Authorization"] = "%s"
local shown = false
function response(status, headers, body)
  if status >= 300 and not shown then
    shown = true
    io.stderr:write("first refusal: " .. status .. " " .. string.sub(body, 1, 300) .. "\\n")
  end
end
"""


KNOWN = 1.0  # share of statements about people on the platform (they become entries)


def statement(i: int) -> dict:
    known = (i % 100) < KNOWN * 100
    domain = "example.vn" if known else "ngoai-nen-tang.example"
    return {
        "actor": {"objectType": "Agent", "mbox": f"mailto:nguoi.hoc{i % 500}@{domain}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"vi": "hoàn thành"}},
        "object": {
            "id": f"http://suotdoi.example/khoa-hoc/{i % 40}",
            "definition": {"name": {"vi": f"Bài học số {i % 40}"}},
        },
        "result": {"duration": "PT25M", "completion": True},
        "context": {
            "contextActivities": {"parent": [{"id": "http://suotdoi.example/chuong-trinh"}]}
        },
    }


def run_wrk(url: str, body: str, auth: str, seconds: int, connections: int) -> tuple[float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as b:
        b.write(body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % (b.name, auth))
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    out = done.stdout
    if done.stderr.strip():
        print("    " + done.stderr.strip().splitlines()[0][:300])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"99%\s+(\S+)", out)
    print(f"    wrk: {rps:.0f} requests/s, p99 {latency.group(1) if latency else '?'}")
    return rps, int(bad.group(1)) if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument(
        "--known",
        type=float,
        default=1.0,
        help="share of statements about people on the platform (each becomes a learning entry)",
    )
    args = parser.parse_args()
    global KNOWN
    KNOWN = args.known
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    url = use_database(args.db)
    from django.conf import settings

    settings.DEBUG = False
    settings.SECRET_KEY = BENCH_SECRET  # the server below runs production settings with it
    from suotdoi.demo.world import build_world
    from suotdoi.people.models import Person
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.models import Statement

    world = build_world(size="small")
    learners = []
    for i in range(500):
        p = Person(full_name=f"Người Học {i}", email=f"nguoi.hoc{i}@example.vn")
        p.set_unusable_password()
        p.fill_derived()
        learners.append(p)
    Person.objects.bulk_create(learners)
    client, secret = lrs_client_create(actor=None, unit=world.units["clc"], name="bench")
    import base64

    auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    with serve_production(url, args.port) as base:
        print(f"statements about people on the platform: {KNOWN:.0%}")
        batch = json.dumps([statement(i) for i in range(50)], ensure_ascii=False)
        single = json.dumps(statement(7), ensure_ascii=False)
        probe = urllib.request.Request(
            f"{base}/xapi/statements",
            data=batch.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Experience-API-Version": "2.0.0",
                "Authorization": auth,
            },
        )
        try:
            with urllib.request.urlopen(probe, timeout=30) as r:  # noqa: S310 - loopback
                assert r.status == 200
        except urllib.error.HTTPError as exc:
            sys.exit(f"the server refused a batch: {exc.code} {exc.read()[:300]!r}")
        started = time.perf_counter()
        for _ in range(10):
            with urllib.request.urlopen(probe, timeout=30):  # noqa: S310 - loopback
                pass
        print(f"one batch, alone: {(time.perf_counter() - started) * 100:.0f} ms per request")
        run_wrk(f"{base}/xapi/statements", batch, auth, 5, args.connections)  # warm-up
        before = Statement.objects.count()
        print(f"batch POST, 50 statements per request, {args.seconds} s:")
        rps, bad = run_wrk(f"{base}/xapi/statements", batch, auth, args.seconds, args.connections)
        stored = Statement.objects.count() - before
        print(f"  {rps * 50:,.0f} statements/s (stored {stored:,}, non-2xx {bad})")
        before = Statement.objects.count()
        secs = max(10, args.seconds // 2)
        print(f"single-statement POST, {secs} s:")
        rps, bad = run_wrk(f"{base}/xapi/statements", single, auth, secs, args.connections)
        stored = Statement.objects.count() - before
        print(f"  {rps:,.0f} statements/s (stored {stored:,}, non-2xx {bad})")
        from suotdoi.records.models import LearningEntry

        print(f"learning entries made from statements: {LearningEntry.objects.count():,}")


if __name__ == "__main__":
    main()

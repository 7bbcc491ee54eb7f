"""Benchmark: GET /xapi/statements with agent + verb + since over millions of statements.

Fills a PostgreSQL database (BENCH_DATABASE_URL; reused by later runs, --regenerate to redo)
with N statements by SQL — 200,000 learners, 5 verbs, 5,000 activities, stored over the last
~60 days — with their agent and activity index rows, then serves the app with granian and times
sequential requests for random learners, over HTTP on 127.0.0.1.

    BENCH_DATABASE_URL=postgres://…/scratch python bench/lrs_query.py [--statements 5000000]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import BENCH_SECRET, serve_production  # noqa: E402

VERBS = [
    "http://adlnet.gov/expapi/verbs/experienced",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/passed",
]
LEARNERS = 200_000


def setup():
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        sys.exit("set BENCH_DATABASE_URL=postgres://… (a database the bench may fill)")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.SECRET_KEY = BENCH_SECRET
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def generate(n: int, client) -> None:
    from django.db import connection

    chunk = 500_000
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        done = 0
        while done < n:
            size = min(chunk, n - done)
            started = time.perf_counter()
            cur.execute(
                """
                INSERT INTO lrs_statement (statement_id, stored, client_id, unit_path, actor_key,
                    verb_id, activity_id, registration, ref_id, voided, is_voiding, data,
                    attachment_hashes)
                SELECT md5(g::text)::uuid,
                       now() - make_interval(secs => (%(n)s - g) * 1.0),
                       %(client)s, %(path)s,
                       'mbox:mailto:learner' || (g %% %(learners)s) || '@example.vn',
                       (%(verbs)s::text[])[1 + g %% 5],
                       'http://suotdoi.example/activity/' || (g %% 5000),
                       NULL, NULL, false, false,
                       jsonb_build_object(
                         'id', md5(g::text)::uuid,
                         'actor', jsonb_build_object('objectType', 'Agent',
                                  'mbox', 'mailto:learner' || (g %% %(learners)s) || '@example.vn'),
                         'verb', jsonb_build_object('id', (%(verbs)s::text[])[1 + g %% 5]),
                         'object', jsonb_build_object('objectType', 'Activity',
                                  'id', 'http://suotdoi.example/activity/' || (g %% 5000)),
                         'stored', to_char((now() - make_interval(secs => (%(n)s - g) * 1.0))
                                  AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                         'timestamp', to_char((now() - make_interval(secs => (%(n)s - g) * 1.0))
                                  AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                         'version', '2.0.0'),
                       '[]'::jsonb
                FROM generate_series(%(lo)s, %(hi)s) AS g
                """,
                {
                    "n": n,
                    "client": client.pk,
                    "path": client.unit.path,
                    "learners": LEARNERS,
                    "verbs": VERBS,
                    "lo": done + 1,
                    "hi": done + size,
                },
            )
            cur.execute(
                """INSERT INTO lrs_statementagent (statement_id, agent_key, related)
                   SELECT seq, actor_key, false FROM lrs_statement WHERE seq > %s""",
                [_max_indexed(cur, "lrs_statementagent")],
            )
            cur.execute(
                """INSERT INTO lrs_statementactivity (statement_id, activity_id, related)
                   SELECT seq, activity_id, false FROM lrs_statement WHERE seq > %s""",
                [_max_indexed(cur, "lrs_statementactivity")],
            )
            done += size
            print(f"  {done:,} statements ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute(
            "ANALYZE lrs_statement; ANALYZE lrs_statementagent; ANALYZE lrs_statementactivity"
        )


def _max_indexed(cur, table: str) -> int:
    cur.execute(f"SELECT coalesce(max(statement_id), 0) FROM {table}")  # noqa: S608 - constant
    return cur.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    url = setup()
    from suotdoi.organisations.models import Unit
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.models import LrsClient, Statement

    if args.regenerate:
        Statement.objects.all().delete()
    client = LrsClient.objects.select_related("unit").filter(name="bench-query").first()
    secret_file = Path(tempfile.gettempdir()) / "suotdoi-lrs-bench-secret"
    if client is None or not secret_file.exists():
        if not Unit.objects.filter(code="TTHTCD-HL").exists():
            from suotdoi.demo.world import build_world

            build_world(size="small")
        unit = Unit.objects.get(code="TTHTCD-HL")
        client, secret = lrs_client_create(actor=None, unit=unit, name="bench-query")
        secret_file.write_text(secret)
    secret = secret_file.read_text()
    have = Statement.objects.filter(client=client).count()
    if have < args.statements:
        print(f"generating {args.statements - have:,} statements…", flush=True)
        generate(args.statements - have, client)
    print(f"statements stored: {Statement.objects.count():,}")

    auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    with serve_production(url, args.port) as base:
        rng = random.Random(9274)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 30 * 86400))
        timings, counts = [], []
        for i in range(args.requests + 20):
            learner = rng.randrange(LEARNERS)
            q = urllib.parse.urlencode(
                {
                    "agent": json.dumps({"mbox": f"mailto:learner{learner}@example.vn"}),
                    "verb": VERBS[learner % 5],
                    "since": since,
                }
            )
            req = urllib.request.Request(
                f"{base}/xapi/statements?{q}",
                headers={"Authorization": auth, "X-Experience-API-Version": "2.0.0"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback
                body = json.loads(r.read())
            elapsed = (time.perf_counter() - started) * 1000
            if i >= 20:  # the first 20 warm the connections and caches
                timings.append(elapsed)
                counts.append(len(body["statements"]))
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"GET agent+verb+since over {Statement.objects.count():,} statements, "
            f"{len(timings)} requests: median {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
            f"(statements per answer: median {statistics.median(counts):.0f})"
        )


if __name__ == "__main__":
    main()

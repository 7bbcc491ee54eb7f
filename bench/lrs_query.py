"""Benchmark: GET /xapi/statements over tens of millions of statements, partitioned by month.

Fills a PostgreSQL database (BENCH_DATABASE_URL; reused by later runs, --regenerate to redo)
with N statements by SQL — 200,000 learners, 5 verbs, 5,000 activities in 50 courses,
attempts of 20 statements, stored over the last `--days` (720: 25 monthly partitions) — with
their id rows and agent and activity index rows as the LRS writes them, then serves the app
with granian and times sequential requests over HTTP on 127.0.0.1, of nine kinds in turn
(agent + verb + since, agent, related agents, activity + since, registration, statementId,
the newest page and the next by its `more` link, one day a year ago).

    BENCH_DATABASE_URL=postgres://…/scratch python bench/lrs_query.py --statements 20000000
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


def generate(n: int, client, *, days: int, first: int) -> None:
    """Statements `first`…`first + n - 1` of a stream spread evenly over the last `days` days,
    oldest first (so each chunk fills one or two months), each with its id row and its index
    rows (actor and object; authority and the parent course as related), as the LRS writes
    them. On PostgreSQL the months are made first, as the daily command would have."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from suotdoi.core import partitions

    now = timezone.now()
    step = days * 86400 / (first + n - 1)
    with connection.cursor() as cur:
        if partitions.supported():
            for table, column in partitions.partitioned_tables(cur).items():
                if table.startswith("lrs_"):
                    partitions.ensure_months(
                        cur, table, column, now - dt.timedelta(days=days + 1), now
                    )
        cur.execute("SET synchronous_commit = off")
        chunk = 250_000
        done = 0
        while done < n:
            size = min(chunk, n - done)
            started = time.perf_counter()
            cur.execute(
                """
                WITH src AS (
                  SELECT g, md5(g::text)::uuid AS sid,
                         %(now)s::timestamptz - make_interval(secs => (%(last)s - g) * %(step)s) AS t,
                         'mbox:mailto:learner' || (g %% %(learners)s) || '@example.vn' AS actor,
                         'http://suotdoi.example/activity/' || (g %% 5000) AS act,
                         'http://suotdoi.example/course/' || (g %% 5000 / 100) AS course,
                         (%(verbs)s::text[])[1 + g %% 5] AS verb,
                         md5('r' || (g / 20)::text)::uuid AS reg
                  FROM generate_series(%(lo)s, %(hi)s) AS g
                ), ins AS (
                  INSERT INTO lrs_statement (statement_id, stored, client_id, unit_path,
                      actor_key, verb_id, activity_id, registration, ref_id, voided, is_voiding,
                      data, attachment_hashes)
                  SELECT sid, t, %(client)s, %(path)s, actor, verb, act, reg, NULL, false, false,
                         jsonb_build_object(
                           'id', sid,
                           'actor', jsonb_build_object('objectType', 'Agent',
                                    'mbox', substr(actor, 6)),
                           'verb', jsonb_build_object('id', verb),
                           'object', jsonb_build_object('objectType', 'Activity', 'id', act),
                           'context', jsonb_build_object('registration', reg,
                                      'contextActivities', jsonb_build_object(
                                        'parent', jsonb_build_array(
                                          jsonb_build_object('id', course)))),
                           'stored', to_char(t AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'timestamp', to_char(t AT TIME ZONE 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'authority', %(authority)s::jsonb,
                           'version', '2.0.0'),
                         '[]'::jsonb
                  FROM src
                  RETURNING seq, statement_id, stored, actor_key, activity_id, data
                ), ids AS (
                  INSERT INTO lrs_statementid (statement_id, stored)
                  SELECT statement_id, stored FROM ins
                ), agents AS (
                  INSERT INTO lrs_statementagent (statement_id, stored, agent_key, related)
                  SELECT seq, stored, actor_key, false FROM ins
                  UNION ALL SELECT seq, stored, %(authority_key)s, true FROM ins
                )
                INSERT INTO lrs_statementactivity (statement_id, stored, activity_id, related)
                SELECT seq, stored, activity_id, false FROM ins
                UNION ALL
                SELECT seq, stored, data #>> '{context,contextActivities,parent,0,id}', true
                FROM ins
                """,
                {
                    "now": now,
                    "last": first + n - 1,
                    "step": step,
                    "client": client.pk,
                    "path": client.unit.path,
                    "learners": LEARNERS,
                    "verbs": VERBS,
                    "lo": first + done,
                    "hi": first + done + size - 1,
                    "authority": json.dumps(_authority(client)),
                    "authority_key": _authority_key(client),
                },
            )
            done += size
            print(f"  {done:,} statements ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute(
            "ANALYZE lrs_statement; ANALYZE lrs_statementagent; ANALYZE lrs_statementactivity; "
            "ANALYZE lrs_statementid"
        )


def _authority(client) -> dict:
    from suotdoi.records.lrs.storage import authority_for

    return authority_for(client)


def _authority_key(client) -> str:
    from suotdoi.records.lrs.agents import agent_key

    return agent_key(_authority(client))


KINDS = (
    "agent+verb+since",
    "agent",
    "agent related",
    "activity+since",
    "registration",
    "statementId",
    "newest page",
    "next page (more)",
    "a day a year ago",
)


def requests_for(rng, n: int, total: int, base: str):
    """(kind, path) pairs: each kind in turn, for random learners, activities and days."""
    now = time.time()

    def stamp(seconds_ago: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - seconds_ago))

    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        learner = rng.randrange(LEARNERS)
        agent = json.dumps({"mbox": f"mailto:learner{learner}@example.vn"})
        g = rng.randrange(1, total + 1)  # a statement of the stream
        q: dict = {"limit": 25}
        if kind == "agent+verb+since":
            q |= {"agent": agent, "verb": VERBS[learner % 5], "since": stamp(30 * 86400)}
        elif kind == "agent":
            q |= {"agent": agent}
        elif kind == "agent related":
            q |= {"agent": agent, "related_agents": "true"}
        elif kind == "activity+since":
            act = f"http://suotdoi.example/activity/{rng.randrange(5000)}"
            q |= {"activity": act, "since": stamp(7 * 86400)}
        elif kind == "registration":
            q |= {"registration": _md5_uuid(f"r{g // 20}")}
        elif kind == "statementId":
            q = {"statementId": _md5_uuid(str(g))}
        elif kind == "a day a year ago":
            ago = 365 * 86400 + rng.randrange(30) * 86400
            q |= {"since": stamp(ago), "until": stamp(ago - 86400), "limit": 50}
        yield kind, f"{base}/xapi/statements?{urllib.parse.urlencode(q)}"


def _md5_uuid(text: str) -> str:
    import hashlib
    import uuid

    return str(uuid.UUID(hashlib.md5(text.encode()).hexdigest()))  # noqa: S324 - as the SQL


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=5_000_000)
    parser.add_argument("--days", type=int, default=720, help="the span the statements cover")
    parser.add_argument("--requests", type=int, default=900)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    url = setup()
    from django.db import connection

    from suotdoi.organisations.models import Unit
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.models import LrsClient, Statement, StatementId

    if args.regenerate:
        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE lrs_statement, lrs_statementagent, lrs_statementactivity, lrs_statementid"
            )
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
    have = StatementId.objects.count()
    if have < args.statements:
        print(f"generating {args.statements - have:,} statements…", flush=True)
        generate(args.statements - have, client, days=args.days, first=have + 1)
    total = StatementId.objects.count()
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'lrs_statement'::regclass")
        months = cur.fetchone()[0] if connection.vendor == "postgresql" else 0
    print(f"statements stored: {total:,} in {months} partitions of lrs_statement")

    auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "2.0.0"}
    with serve_production(url, args.port) as base:
        rng = random.Random(9274)
        timings: dict[str, list[float]] = {k: [] for k in KINDS}
        counts: dict[str, list[int]] = {k: [] for k in KINDS}
        more = None
        warm = len(KINDS) * 3
        for i, (kind, path) in enumerate(requests_for(rng, args.requests + warm, total, base)):
            if kind == "next page (more)":
                if not more:
                    continue
                path = base + more
            started = time.perf_counter()
            with urllib.request.urlopen(  # noqa: S310 - loopback
                urllib.request.Request(path, headers=headers), timeout=30
            ) as r:
                body = json.loads(r.read())
            elapsed = (time.perf_counter() - started) * 1000
            if kind == "newest page":
                more = body.get("more")
            if i >= warm:  # the first rounds warm the connections and caches
                timings[kind].append(elapsed)
                counts[kind].append(len(body.get("statements", [body])))
        everything = [t for ts in timings.values() for t in ts]
        print(
            f"GET /xapi/statements over {Statement.objects.count():,} statements, "
            f"{len(everything)} sequential requests over HTTP, PostgreSQL {months} months:"
        )
        print(f"  {'kind':<20} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}  statements/answer")
        for kind in KINDS:
            ts = timings[kind]
            if ts:
                print(
                    f"  {kind:<20} {len(ts):>4} {statistics.median(ts):>6.1f}ms "
                    f"{p95(ts):>6.1f}ms {max(ts):>6.1f}ms  {statistics.median(counts[kind]):.0f}"
                )
        print(
            f"  {'all':<20} {len(everything):>4} {statistics.median(everything):>6.1f}ms "
            f"{p95(everything):>6.1f}ms {max(everything):>6.1f}ms"
        )


if __name__ == "__main__":
    main()

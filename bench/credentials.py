"""Benchmark: issue and sign credentials, and verify them.

Builds the small demo world in a fresh database, adds verified course entries at the
community learning centre (bulk, not timed), then times two real paths:

  - one by one, each in its own transaction, `credential_issue_for_entry` (what a single
    verification triggers): achievement, status-list bit, eddsa-rdfc-2022 proof, row, audit,
    notification;
  - a whole class at once, `credential_issue_for_entries` (the unit page's "issue all" button
    and its background task): the same documents, chunks of 500 per transaction.

Then verifies M of them with the verifier the check page uses (proof, issuer key, status
list, endorsements).

    python bench/credentials.py [--db sqlite|postgres] [--count 10000] [--single 1000]
                                [--verify 1000]

Targets from issue #9: issue 10,000 in ≤ 60 s; verify ≥ 100 per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal

from _setup import peak_rss_mb, use_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--single", type=int, default=1000)
    parser.add_argument("--verify", type=int, default=1000)
    args = parser.parse_args()
    url = use_database(args.db)
    from django.conf import settings

    settings.DEBUG = False  # as in production: no per-query debug logging
    print(f"database: {url.split('@')[-1]}")

    from suotdoi.credentials.actions import credential_issue_for_entry
    from suotdoi.credentials.models import Credential
    from suotdoi.credentials.verification import verify_document
    from suotdoi.demo.world import build_world
    from suotdoi.people.models import Person
    from suotdoi.records.models import LearningEntry

    world = build_world(size="small")
    centre = world.units["clc"]
    officer = world.people["commune_officer"]
    people = list(Person.objects.filter(is_superuser=False).order_by("pk"))
    titles = [f"Khoá học kỹ năng số số {i}" for i in range(20)]
    LearningEntry.objects.bulk_create(
        [
            LearningEntry(
                person=people[i % len(people)],
                title=titles[i % len(titles)],
                kind="course",
                start_date=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
                hours=Decimal("12"),
                unit=centre,
                unit_path=centre.path,
                provenance="unit_verified",
                status="verified",
                verified_by=officer,
                source_key=f"bench:{i}",
            )
            for i in range(args.count + args.single + 1)  # +1: the query-count probe
        ],
        batch_size=2000,
    )
    entries = list(
        LearningEntry.objects.filter(source_key__startswith="bench:")
        .select_related("person", "unit", "verified_by")
        .order_by("pk")
    )
    print(f"entries ready: {len(entries):,}")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        credential_issue_for_entry(actor=officer, entry=entries.pop())
    print(f"queries per credential: {len(one)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in one.captured_queries:
            print("   ", q["sql"][:140])
    single, batch = entries[: args.single], entries[args.single :]
    started = time.perf_counter()
    for entry in single:
        credential_issue_for_entry(actor=officer, entry=entry)
    single_s = time.perf_counter() - started
    print(
        f"one by one: {len(single):,} credentials in {single_s:.1f} s "
        f"({len(single) / single_s:.0f}/s, {single_s / len(single) * 1000:.2f} ms each)"
    )

    from suotdoi.credentials.actions import credential_issue_for_entries

    started = time.perf_counter()
    n = credential_issue_for_entries(actor=officer, unit=centre, entries=batch)
    batch_s = time.perf_counter() - started
    assert n == len(batch)
    print(
        f"whole class: {n:,} credentials issued and signed in {batch_s:.1f} s "
        f"({n / batch_s:.0f}/s, {batch_s / n * 1000:.2f} ms each)"
    )

    docs = list(Credential.objects.order_by("?").values_list("document", flat=True)[: args.verify])
    started = time.perf_counter()
    states = [verify_document(d).state for d in docs]
    verify_s = time.perf_counter() - started
    assert states.count("valid") == len(docs), set(states)
    print(
        f"verify: {len(docs):,} in {verify_s:.2f} s ({len(docs) / verify_s:.0f}/s, "
        f"{verify_s / len(docs) * 1000:.2f} ms each, all valid)"
    )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

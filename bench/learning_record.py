"""Benchmark: the learning record at national scale on PostgreSQL.

Uses the national tree of bench/national_tree.py (run that first; same BENCH_DATABASE_URL),
adds ~2 learning entries per person (20 million for 10 million people) with their monthly unit
figures, then measures as medians of 20:

  - a person's record page, rendered over HTTP;
  - a province's yearly learning hours (sum over pre-aggregated unit rows).

    BENCH_DATABASE_URL=postgres://… python bench/learning_record.py [--per-person 2]
"""

from __future__ import annotations

import argparse
import os
import time

from national_tree import median_ms


def generate(per_person: int) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        for k in range(per_person):
            print(f"  entries, pass {k + 1}/{per_person}…", flush=True)
            cur.execute(
                """
                INSERT INTO records_learningentry (created_at, updated_at, person_id, title,
                    kind, start_date, hours, evidence_file, evidence_url, note,
                    unit_id, unit_path, provenance, status, issued_by, verified_at, source_key,
                    reject_reason)
                SELECT now(), now(), m.person_id,
                       CASE WHEN %s = 0 THEN 'Sinh hoạt chuyên đề “Học tập suốt đời”'
                            ELSE 'Đọc sách về an toàn lao động' END,
                       CASE WHEN %s = 0 THEN 'session' ELSE 'reading' END,
                       DATE '2026-01-01' + ((m.person_id * 37 + %s * 101) %% 320)::int,
                       1 + ((m.person_id + %s) %% 4), '', '', '',
                       m.unit_id, m.unit_path,
                       CASE WHEN %s = 0 THEN 'unit_verified' ELSE 'self_declared' END,
                       CASE WHEN %s = 0 THEN 'verified' ELSE 'pending' END,
                       '', CASE WHEN %s = 0 THEN now() END,
                       'bench:' || %s || ':' || m.person_id, ''
                FROM organisations_membership m
                """,
                [k, k, k, k, k, k, k, k],
            )
        print("  unit figures…", flush=True)
        cur.execute("""
            INSERT INTO records_unitfigure (unit_id, unit_path, year, month, entries, hours,
                                            verified_hours)
            SELECT unit_id, min(unit_path), extract(year FROM start_date)::int,
                   extract(month FROM start_date)::int, count(*), sum(hours),
                   sum(CASE WHEN status = 'verified' THEN hours ELSE 0 END)
            FROM records_learningentry WHERE unit_id IS NOT NULL
            GROUP BY unit_id, extract(year FROM start_date), extract(month FROM start_date)
        """)
        cur.execute("ANALYZE")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-person", type=int, default=2)
    args = ap.parse_args()
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("set BENCH_DATABASE_URL (the database of bench/national_tree.py)")
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from suotdoi.organisations.models import Membership, Unit
    from suotdoi.people.models import Person
    from suotdoi.records import selectors
    from suotdoi.records.models import LearningEntry

    call_command("migrate", verbosity=0)
    members = Membership.objects.count()
    if members < 1_000_000:
        raise SystemExit("run bench/national_tree.py first")
    if LearningEntry.objects.filter(source_key__startswith="bench:").count() < members:
        t0 = time.perf_counter()
        LearningEntry.objects.filter(source_key__startswith="bench:")._raw_delete("default")
        generate(args.per_person)
        print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)
    province = Unit.objects.get(code="LDLD-07")
    person = (
        Person.objects.filter(phone="+84900123457").first()
        or Person.objects.filter(memberships__unit_path__startswith=province.path).first()
    )
    client = Client()
    client.force_login(person)

    def record_page():
        r = client.get("/record/", HTTP_HOST="127.0.0.1")
        assert r.status_code == 200, r.status_code

    m1, x1 = median_ms(record_page)
    m2, x2 = median_ms(lambda: selectors.unit_year_hours(unit=province, year=2026))
    total = LearningEntry.objects.count()
    hours = selectors.unit_year_hours(unit=province, year=2026)
    print(f"learning_record entries={total:,} province=LDLD-07 hours_2026={hours['hours']}")
    print(f"  a person's record page over HTTP, rendered: median {m1:.1f} ms (max {x1:.1f})")
    print(f"  province yearly hours total:               median {m2:.1f} ms (max {x2:.1f})")


if __name__ == "__main__":
    main()

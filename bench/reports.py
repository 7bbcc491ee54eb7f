"""Periodic reports and dashboards at national scale (#23, PostgreSQL), on the data of
bench/national_tree.py and bench/learning_record.py (run those first, same
BENCH_DATABASE_URL): 34 provincial federations → 340 superior unions → 29,920 grassroots unions
→ 89,760 union groups, 10 million members, 20 million learning entries in 2026.

Measures:
  - pre-filling reports: six provincial federations each open the half-year period for their
    superior and grassroots unions (5,280 grassroots reports with 60 superiors' and the six
    federations' own), each with the figures of its own rows — target ≤ 60 s in all;
    optionally (--national) the whole confederation at once (30,000+ reports);
  - a province's consolidated report (every report below accepted): the consolidation, and
    the report page, the PDF and the XLSX over Django's test client — target ≤ 2 s;
  - the yearly unit figures (the nightly job) of a province, then its dashboard page and a
    grassroots union's — target ≤ 200 ms median.

    BENCH_DATABASE_URL=postgres://…/suotdoi_national python bench/reports.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from national_tree import median_ms

PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--provinces", type=int, default=6)
    ap.add_argument("--national", action="store_true")
    args = ap.parse_args()
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("set BENCH_DATABASE_URL (the database of bench/national_tree.py)")
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from suotdoi.organisations.actions import membership_add
    from suotdoi.organisations.models import Membership, Unit
    from suotdoi.people.models import Person
    from suotdoi.records.models import LearningEntry
    from suotdoi.reports import actions, selectors
    from suotdoi.reports.models import Period, Report, UnitYear

    call_command("migrate", verbosity=0)
    members = Membership.objects.count()
    entries = LearningEntry.objects.count()
    if members < 1_000_000 or entries < members:
        raise SystemExit("run bench/national_tree.py and bench/learning_record.py first")
    print(f"reports national memberships={members:,} entries={entries:,}", flush=True)
    Period.objects.all().delete()
    UnitYear.objects.all().delete()
    officer = Person.objects.filter(email="bench.reports@example.vn").first()
    if officer is None:
        officer = Person.objects.create_user(
            full_name="Cán bộ báo cáo", password=None, email="bench.reports@example.vn"
        )
        membership_add(actor=officer, unit=Unit.objects.get(code="TLD"), person=officer,
                       role="reporter")  # fmt: skip
    form = actions.latest_form("cong-doan-hoc-tap-suot-doi")
    provinces = list(Unit.objects.filter(code__startswith="LDLD-").order_by("code"))
    chosen = provinces[: args.provinces]

    def open_and_prefill(unit, types):
        period = Period.objects.create(
            unit=unit, unit_path=unit.path, form=form, title="Báo cáo 6 tháng đầu năm 2026",
            starts_on=PERIOD[0], ends_on=PERIOD[1], deadline=dt.date(2026, 7, 15),
            type_codes=types, opened_by=officer,
        )  # fmt: skip
        t0 = time.perf_counter()
        n = actions.period_prefill(period=period)
        return period, n, time.perf_counter() - t0

    total_s, total_reports, grassroots = 0.0, 0, 0
    periods = []
    for p in chosen:
        period, n, s = open_and_prefill(p, ["cdct-truc-tiep", "cdcs"])
        periods.append(period)
        total_s += s
        total_reports += n
        grassroots += Report.objects.filter(period=period, unit__unit_type__code="cdcs").count()
        print(f"  prefill {p.code}: {n:,} reports in {s:.1f} s", flush=True)
    print(f"  pre-filling {grassroots:,} grassroots reports ({total_reports:,} in all, "
          f"{len(chosen)} provinces): {total_s:.1f} s (target ≤ 60 s)", flush=True)  # fmt: skip
    # A province's consolidated report: everything below accepted.
    period = periods[0]
    top = Report.objects.get(period=period, unit=period.unit)
    Report.objects.filter(period=period).exclude(pk=top.pk).update(status=Report.ACCEPTED)
    reports = list(Report.objects.filter(period=period).select_related("unit"))
    t0 = time.perf_counter()
    whole = selectors.consolidation(top)
    t_cons = time.perf_counter() - t0
    print(f"  consolidation of {period.unit.code} ({len(reports):,} reports): "
          f"{t_cons * 1000:.0f} ms; members={whole['values']['members']} "
          f"hours={whole['values']['hours']}", flush=True)  # fmt: skip
    client = Client()
    client.force_login(officer)

    def timed_get(url):
        t0 = time.perf_counter()
        r = client.get(url, HTTP_HOST="127.0.0.1")
        assert r.status_code == 200, (url, r.status_code)
        return (time.perf_counter() - t0) * 1000, len(r.content)

    for label, url in (
        ("report page", f"/reports/{top.pk}/"),
        ("PDF", f"/reports/{top.pk}/report.pdf"),
        ("XLSX (one sheet per level)", f"/reports/{top.pk}/report.xlsx"),
    ):
        timed_get(url)
        runs = [timed_get(url) for _ in range(3)]
        ms = statistics.median(r[0] for r in runs)
        print(f"  province consolidated {label}: median of 3 {ms:.0f} ms "
              f"({runs[0][1]:,} bytes) (target ≤ 2,000 ms)", flush=True)  # fmt: skip
    # The nightly yearly figures of one province, then the dashboards.
    province = chosen[0]
    t0 = time.perf_counter()
    n = actions.snapshot_year(root=province, year=2026)
    print(f"  yearly unit figures of {province.code} ({n:,} units): "
          f"{time.perf_counter() - t0:.1f} s", flush=True)  # fmt: skip
    grass = Unit.objects.filter(path__startswith=province.path, unit_type__code="cdcs").first()
    for label, unit in (("province", province), ("grassroots union", grass)):
        med, mx = median_ms(lambda u=unit: timed_get(f"/reports/units/{u.pk}/dashboard/"))
        print(f"  dashboard page of a {label}: median {med:.0f} ms (max {mx:.0f}) "
              f"(target ≤ 200 ms)", flush=True)  # fmt: skip
    if args.national:
        t0 = time.perf_counter()
        n = actions.snapshot_year(root=Unit.objects.get(code="TLD"), year=2026)
        print(f"  yearly unit figures, whole confederation ({n:,} units): "
              f"{time.perf_counter() - t0:.0f} s", flush=True)  # fmt: skip
        period, n, s = open_and_prefill(
            Unit.objects.get(code="TLD"), ["ldld-tinh", "cdct-truc-tiep", "cdcs"]
        )
        print(f"  pre-filling the whole confederation: {n:,} reports in {s:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        print(f"  {cur.fetchone()[0].split(',')[0]}")


if __name__ == "__main__":
    main()

"""Benchmark: the year's roll-up of learning-society titles for a province (PostgreSQL).

Builds a federation → 50 unions → 5,000 grassroots unions tree with 300,000 members (the
campaign bench's tree), and an administrative tree of 100 communes over the same people; 70% of
them hold "Công dân học tập" for the year (bulk, not timed). Then times:

  - `rollup_units` over every unit of both trees (distinct holders and members per unit,
    written as one upsert) — target ≤ 60 s;
  - the "Đơn vị học tập" level of the 5,000 grassroots unions from those figures.

    BENCH_DATABASE_URL=postgres://…/scratch python bench/recognition.py
"""

from __future__ import annotations

import datetime as dt
import time

from _setup import use_database
from campaigns import build_tree


def main() -> None:
    use_database("postgres")
    from django.db import connection

    from suotdoi.organisations.models import Membership, Unit, UnitType
    from suotdoi.people.models import Person
    from suotdoi.recognition import actions
    from suotdoi.recognition.models import CriteriaSet, Decision, Holding, UnitYearFigure

    started = time.perf_counter()
    root, grassroots = build_tree(5000, 60)
    people = list(Person.objects.values_list("pk", flat=True))
    province = Unit.objects.add_root(
        name="Tỉnh Thử Tải", code="T-BENCH", unit_type=UnitType.objects.get(code="tinh")
    )
    xa = UnitType.objects.get(code="xa")
    communes = [
        Unit.objects.add_child(province, name=f"Xã {i + 1}", code=f"X-{i + 1}", unit_type=xa)
        for i in range(100)
    ]
    today = dt.date(2026, 1, 1)
    rows = []
    for n, pid in enumerate(people):
        c = communes[n % 100]
        rows.append(
            Membership(
                person_id=pid,
                unit=c,
                unit_path=c.path,
                role="member",
                person_name_sort="",
                start_date=today,
            )  # fmt: skip
        )
    Membership.objects.bulk_create(rows, batch_size=10_000)
    year = 2026
    officer = Person.objects.first()
    d = Decision.objects.create(
        unit=root, criteria_set=CriteriaSet.objects.get(code="cong-dan-hoc-tap", version=1),
        year=year, number="1/QĐ", date=dt.date(year, 12, 20), signer="x", signer_title="y",
        created_by=officer,
    )  # fmt: skip
    Holding.objects.bulk_create(
        [
            Holding(
                title_code="cong-dan-hoc-tap", year=year, person_id=pid, outcome="Đạt", decision=d
            )
            for n, pid in enumerate(people)
            if n % 10 < 7
        ],
        batch_size=10_000,
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    units = list(Unit.objects.filter(path__startswith=root.path)) + [province, *communes]
    print(
        f"province: {len(people):,} people, {len(units):,} units ({len(communes)} communes), "
        f"{Holding.objects.count():,} titles held ({time.perf_counter() - started:.0f} s to build)"
    )
    t0 = time.perf_counter()
    n = actions.rollup_units(title_code="cong-dan-hoc-tap", year=year, units=units)
    took = time.perf_counter() - t0
    print(f"roll-up of the year: {n:,} unit figures in {took:.1f} s (target ≤ 60 s)")
    t0 = time.perf_counter()
    actions.rollup_units(title_code="cong-dan-hoc-tap", year=year, units=units)
    print(f"the same roll-up again (idempotent): {time.perf_counter() - t0:.1f} s")
    fig = UnitYearFigure.objects.get(unit=root, title_code="cong-dan-hoc-tap", year=year)
    print(
        f"  federation: {fig.holders:,} of {fig.members:,} members hold the title ({fig.share_pct}%)"
    )
    t0 = time.perf_counter()
    levels = actions.unit_levels(units=grassroots, year=year)
    took = time.perf_counter() - t0
    reached = sum(1 for o in levels.values() if o.level)
    print(
        f"'Đơn vị học tập' level of {len(levels):,} grassroots unions: {took:.2f} s "
        f"({reached:,} reach a level: the unit conditions are not self-assessed in the bench)"
    )


if __name__ == "__main__":
    main()

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
        {"name": "Tỉnh Thử Tải", "code": "T-BENCH", "unit_type": UnitType.objects.get(code="tinh")}
    )
    xa = UnitType.objects.get(code="xa")
    communes = [
        Unit.objects.add_child(
            province, {"name": f"Xã {i + 1}", "code": f"X-{i + 1}", "unit_type": xa}
        )
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

    leaderboard(root, grassroots, people, year)


def leaderboard(root, grassroots, people, year) -> None:
    """An emulation movement of the 5,000 grassroots unions, compared by learning hours per
    member within size bands: computing the standings, then the page (through Django)."""
    import statistics

    from django.test import Client
    from django.utils import timezone

    from suotdoi.organisations.models import Membership
    from suotdoi.people.models import Person
    from suotdoi.recognition import emulation
    from suotdoi.recognition.models import Movement, Participation
    from suotdoi.records.models import LearningEntry

    officer = Person.objects.create_user(
        full_name="Cán Bộ Thi Đua", phone="+84912999996", password="x"
    )
    Membership.objects.create(
        person=officer, unit=root, unit_path=root.path, role="admin",
        person_name_sort=officer.name_sort, start_date=dt.date(2025, 1, 1),
    )  # fmt: skip
    day = timezone.localdate() - dt.timedelta(days=10)
    LearningEntry.objects.bulk_create(
        [
            LearningEntry(
                person_id=pid,
                title="Học tập",
                kind="course",
                start_date=day,
                hours=1 + n % 7,
                provenance="unit_verified",
                status="verified",
                source_key=f"bench:{pid}",
            )  # fmt: skip
            for n, pid in enumerate(people)
            if n % 3
        ],
        batch_size=10_000,
    )
    m = Movement.objects.create(
        unit=root, unit_path=root.path, title="Thi đua học tập suốt đời", subjects="units",
        metric="hours", starts_on=day - dt.timedelta(days=30), ends_on=day + dt.timedelta(days=30),
        created_by=officer,
    )  # fmt: skip
    Participation.objects.bulk_create([Participation(movement=m, unit=u) for u in grassroots])
    t0 = time.perf_counter()
    emulation.movement_compute(movement=m)
    print(f"standings of {len(grassroots):,} units (hours per member, size bands): "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(officer)
    timings = []
    for i in range(25):
        t0 = time.perf_counter()
        r = client.get(f"/recognition/movements/{m.pk}/")
        assert r.status_code == 200, r.status_code
        if i >= 5:
            timings.append((time.perf_counter() - t0) * 1000)
    print(f"leaderboard page: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms "
          "(rendered through Django; target ≤ 200 ms)")  # fmt: skip


if __name__ == "__main__":
    main()

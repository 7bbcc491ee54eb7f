"""Benchmark (#15): moving a province-sized subtree to another parent on PostgreSQL.

Builds two provincial federations under one confederation. The one that moves has 10 direct-
superior unions × 88 grassroots unions × 3 union groups (~3,600 units), ~300,000 members,
~600,000 learning entries (a tenth waiting for verification), monthly figures per group, a
launched campaign with a task for every grassroots union, and LRS statements from a tool of each
group. Then it moves the whole federation under the other one (the 2025 reorganisation's
shape), and prints the time the move took, the rows each registered path copy got, and the
member and learning figures of a report for the day before the move, before and after.

    BENCH_DATABASE_URL=postgres://… python bench/unit_move.py [--members 300000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import uuid
import warnings
from decimal import Decimal

from _setup import use_database

warnings.filterwarnings("ignore", message="Using Unit\\.")


def build(members: int):
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from suotdoi.campaigns.actions import campaign_create, campaign_launch
    from suotdoi.organisations.models import (
        Membership,
        Unit,
        UnitParentPeriod,
        UnitType,
    )
    from suotdoi.people.models import Person
    from suotdoi.records.lrs.models import LrsClient, Statement
    from suotdoi.records.models import LearningEntry, UnitFigure

    t = {x.code: x for x in UnitType.objects.all()}
    root = Unit.add_root(
        name="Tổng Liên đoàn Lao động Việt Nam", code="TLD", unit_type=t["tong-lien-doan"]
    )
    moving = root.add_child(
        name="Liên đoàn Lao động tỉnh A", code="LDLD-A", unit_type=t["ldld-tinh"]
    )
    target = root.add_child(
        name="Liên đoàn Lao động tỉnh B", code="LDLD-B", unit_type=t["ldld-tinh"]
    )
    since = dt.date(2024, 1, 1)
    groups = []
    grassroots = []
    for s in range(10):
        sup = moving.add_child(
            name=f"Công đoàn cấp trên {s + 1}",
            code=f"CT-{s + 1:02d}",
            unit_type=t["cdct-truc-tiep"],
        )
        for g in range(88):
            cs = sup.add_child(
                name=f"Công đoàn cơ sở {s + 1}-{g + 1}",
                code=f"CS-{s + 1:02d}-{g + 1:03d}",
                unit_type=t["cdcs"],
            )
            grassroots.append(cs)
            for k in range(3):
                groups.append(
                    cs.add_child(
                        name=f"Tổ công đoàn {k + 1}",
                        code=f"CS-{s + 1:02d}-{g + 1:03d}-{k + 1}",
                        unit_type=t["to-cong-doan"],
                    )
                )
    all_units = list(Unit.objects.all())
    parents = {}
    for u in all_units:
        p = u.get_parent()
        UnitParentPeriod.objects.create(unit=u, parent=p, valid_from=since)
        parents[u.pk] = p
    print(f"  units: {len(all_units):,}", flush=True)
    unusable = make_password(None)
    per_group = members // len(groups)
    people, memberships = [], []
    n = 0
    for _group in groups:
        for _ in range(per_group):
            n += 1
            people.append(
                Person(full_name=f"Đoàn Viên {n}", phone=f"+8497{n:07d}", password=unusable)
            )
    for p in people:
        p.fill_derived()
    Person.objects.bulk_create(people, batch_size=5000)
    print(f"  people: {len(people):,}", flush=True)
    i = 0
    for g in groups:
        for _ in range(per_group):
            p = people[i]
            i += 1
            memberships.append(
                Membership(
                    person=p,
                    unit=g,
                    role="member",
                    start_date=since,
                    unit_path=g.path,
                    person_name_sort=p.name_sort,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=5000)
    Unit.objects.filter(pk__in=[g.pk for g in groups]).update(member_count=per_group)
    print(f"  memberships: {len(memberships):,}", flush=True)
    entries = []
    day = dt.date(2026, 3, 10)
    for k, m in enumerate(memberships):
        for j in range(2):
            pending = (k + j) % 10 == 0
            entries.append(
                LearningEntry(
                    person_id=m.person_id,
                    source_key=f"bench:{k}:{j}",
                    title="Lớp an toàn lao động",
                    kind="course",
                    start_date=day,
                    hours=Decimal("4"),
                    unit_id=m.unit_id,
                    unit_path=m.unit_path,
                    provenance="self_declared" if pending else "unit_verified",
                    status="pending" if pending else "verified",
                )
            )
        if len(entries) >= 20000:
            LearningEntry.objects.bulk_create(entries, batch_size=5000)
            entries = []
    LearningEntry.objects.bulk_create(entries, batch_size=5000)
    print(f"  entries: {LearningEntry.objects.count():,}", flush=True)
    UnitFigure.objects.bulk_create(
        [
            UnitFigure(
                unit=g,
                unit_path=g.path,
                year=2026,
                month=3,
                entries=per_group * 2,
                hours=Decimal(per_group * 8),
                verified_hours=Decimal(per_group * 8 * 9 / 10),
            )
            for g in groups
        ],
        batch_size=5000,
    )
    officer = Person.objects.create_user(
        full_name="Cán bộ tỉnh", phone="+84912999999", password="x"
    )
    c = campaign_create(
        actor=officer,
        issuer=moving,
        title="Học tập suốt đời",
        purpose="x",
        target_type_codes=["cdcs"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=60),
        report_due=timezone.localdate() + dt.timedelta(days=45),
        min_sessions=1,
        min_attendance_pct=50,
    )
    campaign_launch(actor=officer, campaign=c)
    clients = [
        LrsClient(unit=g, name="Ứng dụng", key=uuid.uuid4().hex[:32], secret_hash="0" * 64)
        for g in groups
    ]
    LrsClient.objects.bulk_create(clients, batch_size=5000)
    statements = []
    now = timezone.now()
    for k, m in enumerate(memberships[: min(len(memberships), 100_000)]):
        sid = uuid.uuid4()
        statements.append(
            Statement(
                statement_id=sid,
                stored=now,
                client=clients[k // per_group],
                unit_path=m.unit_path,
                actor_key=f"account:x|{k}",
                verb_id="http://adlnet.gov/expapi/verbs/experienced",
                activity_id="https://bai-giang.example/1",
                data={"id": str(sid), "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}},
            )
        )
    Statement.objects.bulk_create(statements, batch_size=5000)
    print(f"  statements: {len(statements):,}; tasks: {c.tasks.count():,}", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return moving, target, officer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    use_database("postgres")
    from django.utils import timezone

    from suotdoi.organisations.actions import unit_move
    from suotdoi.organisations.paths import path_copy_mismatches
    from suotdoi.organisations.selectors import membership_count_at
    from suotdoi.records.selectors import unit_year_hours

    t0 = time.perf_counter()
    moving, target, officer = build(args.members)
    print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    before_day = timezone.localdate() - dt.timedelta(days=1)
    report_before = {
        "members A": membership_count_at(unit=moving, on=before_day),
        "members B": membership_count_at(unit=target, on=before_day),
    }
    hours_before = unit_year_hours(unit=target, year=2026)
    t0 = time.perf_counter()
    unit_move(actor=officer, unit=moving, new_parent=target, effective_date=timezone.localdate())
    took = time.perf_counter() - t0
    moving.refresh_from_db()
    from suotdoi.audit.models import AuditEvent

    event = AuditEvent.objects.filter(verb="unit.move").latest("id")
    report_after = {
        "members A": membership_count_at(unit=moving, on=before_day),
        "members B": membership_count_at(unit=target, on=before_day),
    }
    hours_after = unit_year_hours(unit=target, year=2026)
    print(f"unit_move of LDLD-A ({args.members:,} members) under LDLD-B: {took:.1f} s")
    for label, rows in event.data.get("copies", {}).items():
        print(f"  {label}: {rows:,} rows")
    print(f"  report for {before_day:%d/%m/%Y}, before the move: {report_before}")
    print(f"  report for {before_day:%d/%m/%Y}, after the move:  {report_after}")
    print(f"  same figures: {report_before == report_after}")
    print(f"  LDLD-B's 2026 hours: {hours_before['hours']} before, {hours_after['hours']} after")
    print(f"  path copies that differ from their unit: {path_copy_mismatches() or 'none'}")


if __name__ == "__main__":
    main()

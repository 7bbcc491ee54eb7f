"""Credit accumulation at national scale (#21, PostgreSQL): a province's tree (a federation →
50 unions → N grassroots unions) with its members, 20 accredited providers, their programmes,
recognised credit for most members and RPL requests with decisions; one worker with 500
learning entries and 500 awards. Times:

  - her credit account (the latest 50 lines; totals by area, level and year over all 500;
    credit-equivalents) and her progress in a programme — target ≤ 50 ms together; and the
    two pages over HTTP (granian, production settings);
  - the province's credit report (credit granted, RPL outcomes, days to decision) — ≤ 2 s;
  - one provider's report.

    BENCH_DATABASE_URL=postgres://…/scratch python bench/credits.py --grassroots 1000 --per-unit 100
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from _setup import BENCH_SECRET, serve_production, use_database
from campaigns import build_tree


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grassroots", type=int, default=1000)
    parser.add_argument("--per-unit", type=int, default=100)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    url = use_database("postgres")
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET  # the sessions made here are valid in the server
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from suotdoi.catalog.models import Provider
    from suotdoi.credits import exporting, selectors
    from suotdoi.credits.models import (
        Accreditation,
        CreditAward,
        Following,
        Programme,
        ProgrammeModule,
        RplClaim,
        RplRequest,
    )
    from suotdoi.organisations.models import Membership
    from suotdoi.people.models import Person
    from suotdoi.records.models import LearningEntry

    t0 = time.perf_counter()
    root, grassroots = build_tree(args.grassroots, args.per_unit)
    people = list(Person.objects.values_list("pk", flat=True))
    staff = Person.objects.create_user(full_name="Bench staff", password=None, is_staff=True)
    rng = random.Random(21)
    providers = []
    for unit in grassroots[:20]:
        providers.append(Provider.objects.create(unit=unit))
    Accreditation.objects.bulk_create(
        [
            Accreditation(
                provider=p, reference=f"{i}/QĐ", issued_by="Sở", document="x.pdf", granted_by=staff
            )
            for i, p in enumerate(providers)
        ]
    )
    programmes, modules = [], []
    for i, prov in enumerate(providers):
        for j in range(3):
            prog = Programme.objects.create(
                provider=prov, code=f"P{i}-{j}", title=f"Chương trình {i}-{j}", vqf_level=5,
                min_credits=Decimal(60), transfer_cap_pct=50, status="published",
                created_by=staff, max_result_age_years=10,
            )  # fmt: skip
            programmes.append(prog)
            for k in range(6):
                modules.append(
                    ProgrammeModule(
                        programme=prog,
                        code=f"M{k}",
                        title=f"Học phần {k}",
                        area="trades",
                        credits=Decimal(10),
                        mandatory=k < 2,
                        order=k,
                    )  # fmt: skip
                )
    ProgrammeModule.objects.bulk_create(modules)
    modules_of = {}
    for m in ProgrammeModule.objects.all():
        modules_of.setdefault(m.programme_id, []).append(m)
    today = timezone.localdate()
    awards, n = [], 0
    for pid in people:
        for _ in range(rng.randint(0, 6)):
            prog = rng.choice(programmes)
            m = rng.choice(modules_of[prog.pk])
            kind = "rpl" if rng.random() < 0.2 else "course"
            awards.append(
                CreditAward(
                    person_id=pid,
                    provider_id=prog.provider_id,
                    kind=kind,
                    title=m.title,
                    credits=Decimal(rng.choice([1, 2, 3, 5])),
                    area="trades",
                    vqf_level=5,
                    awarded_on=today - dt.timedelta(days=rng.randint(0, 3000)),
                    programme=prog,
                    module=m,
                    source_key=f"b:{n}",
                )  # fmt: skip
            )
            n += 1
        if len(awards) >= 20_000:
            CreditAward.objects.bulk_create(awards)
            awards = []
    CreditAward.objects.bulk_create(awards)
    requests = []
    now = timezone.now()
    for i, pid in enumerate(rng.sample(people, min(20_000, len(people)))):
        prog = rng.choice(programmes)
        created = now - dt.timedelta(days=rng.randint(1, 700))
        decided = rng.random() < 0.8
        requests.append(
            RplRequest(
                person_id=pid,
                programme=prog,
                status="decided" if decided else ("submitted" if i % 3 else "withdrawn"),
                decided_at=created + dt.timedelta(days=rng.randint(1, 60)) if decided else None,
                decided_by=staff if decided else None,
            )  # fmt: skip
        )
    RplRequest.objects.bulk_create(requests, batch_size=10_000)
    RplRequest.objects.update(created_at=now - dt.timedelta(days=30))
    claims = [
        RplClaim(request=r, module=modules_of[r.programme_id][3],
                 granted=Decimal(rng.randint(0, 10)) if r.status == "decided" else None)
        for r in RplRequest.objects.only("pk", "programme_id", "status")
    ]  # fmt: skip
    RplClaim.objects.bulk_create(claims, batch_size=10_000)
    # The worker with 500 entries and 500 awards.
    worker = Person.objects.create_user(full_name="Thợ Chăm Học", password=None)
    Membership.objects.create(
        person=worker, unit=grassroots[0], unit_path=grassroots[0].path, role="member",
        start_date=today, person_name_sort="",
    )  # fmt: skip
    LearningEntry.objects.bulk_create(
        [
            LearningEntry(
                person=worker,
                title=f"Buổi học {i}",
                kind="workplace",
                start_date=today - dt.timedelta(days=i * 5),
                hours=Decimal(4),
                provenance="unit_verified",
                status="verified",
                source_key=f"bw:{i}",
            )  # fmt: skip
            for i in range(500)
        ]
    )
    target = programmes[0]
    CreditAward.objects.bulk_create(
        [
            CreditAward(
                person=worker,
                provider_id=programmes[i % 6].provider_id,
                kind="course",
                title=f"Học phần {i}",
                credits=Decimal(1),
                area="trades",
                vqf_level=5,
                awarded_on=today - dt.timedelta(days=i * 5),
                programme=programmes[i % 6],
                module=modules_of[programmes[i % 6].pk][i % 6],
                source_key=f"bw:{i}",
            )  # fmt: skip
            for i in range(500)
        ]
    )
    Following.objects.create(person=worker, programme=target)
    with connection.cursor() as cur:  # the bulk load's tables vacuumed now, not mid-timing
        cur.execute("VACUUM ANALYZE")
    print(
        f"seeded {Membership.objects.count()} memberships, {CreditAward.objects.count()} awards, "
        f"{RplRequest.objects.count()} RPL requests in {time.perf_counter() - t0:.1f} s"
    )
    del make_password

    # The seed's own objects are dropped: a web worker does not hold them (their collection
    # would show as pauses that are the benchmark's, not the page's).
    import gc

    del requests, claims, awards, people
    gc.collect()
    selectors.account(worker)  # warm: the first call compiles what Django caches
    times, parts = [], {"account": [], "progress": []}
    for _ in range(200):
        s = time.perf_counter()
        acc = selectors.account(worker)
        m = time.perf_counter()
        prog = selectors.progress_of(worker, target)
        e = time.perf_counter()
        times.append((e - s) * 1000)
        parts["account"].append((m - s) * 1000)
        parts["progress"].append((e - m) * 1000)
    print("  slowest five:", ", ".join(f"{t:.0f}" for t in sorted(times)[-5:]), "ms")
    print(
        "  of which: "
        + ", ".join(f"{k} p50 {statistics.median(v):.1f} ms" for k, v in parts.items())
    )
    print(
        f"a worker's credit account ({acc['count']} lines, the latest {len(acc['lines'])} "
        f"shown) and progress "
        f"({prog.total} of {target.min_credits} credits): p50 {statistics.median(times):.1f} ms, "
        f"p95 {pct(times, 0.95):.1f} ms"
    )
    times = []
    for _ in range(3):
        s = time.perf_counter()
        r = exporting.report(unit=root)
        times.append(time.perf_counter() - s)
    print(
        f"the province's credit report ({r['totals']['people']} people with credit, "
        f"{r['requests']} requests): best {min(times):.2f} s, worst {max(times):.2f} s"
    )
    # The pages themselves, as her phone asks for them: production settings under granian.
    import urllib.request

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(worker.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = worker.get_session_auth_hash()
    store.create()
    with serve_production(url, args.port, static=True) as base:
        for path in ("/credits/", f"/credits/programmes/{target.pk}/"):
            lat = []
            for i in range(101):
                req = urllib.request.Request(
                    base + path, headers={"Cookie": f"sessionid={store.session_key}"}
                )
                s = time.perf_counter()
                with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1
                    assert resp.status == 200 and b"credit" in resp.read().lower()
                if i:  # the first warms the worker
                    lat.append((time.perf_counter() - s) * 1000)
            print(
                f"GET {path} over HTTP (granian, production settings), 100 in a row: "
                f"p50 {statistics.median(lat):.1f} ms, p95 {pct(lat, 0.95):.1f} ms"
            )
    s = time.perf_counter()
    r = exporting.report(providers=[providers[0]])
    print(f"one provider's report ({r['requests']} requests): {time.perf_counter() - s:.2f} s")


if __name__ == "__main__":
    main()

"""Learning accounts at scale (#20, PostgreSQL): a fund with 100,000 accounts and 1,000,000
postings; reads of a balance (cached, and derived from postings), spends under concurrency
(the action a confirmed code runs: quote, enrol, hold, checks, audit), the fund's report and its
reconciliation. Prints the figures.

    BENCH_DATABASE_URL=postgres://… python bench/funding.py --accounts 100000 --postings 1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from decimal import Decimal

from _setup import use_database


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def spend_slice(person_ids, fund_id, course_id, threads):
    """One process of the load: `threads` threads each confirming spends (the action a right
    code runs: the checks, the enrolment, the spend, its audit rows, the ledger), timing
    each."""
    from django.db import connections

    from suotdoi.catalog.models import Course
    from suotdoi.funding import actions
    from suotdoi.funding.models import Fund
    from suotdoi.people.models import Person

    fund = Fund.objects.select_related("unit").get(pk=fund_id)
    course = Course.objects.select_related("provider__unit").get(pk=course_id)
    queue = list(Person.objects.filter(pk__in=person_ids))
    latencies, errors = [], []
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    break
                person = queue.pop()
            s = time.perf_counter()
            # Each from its own address, as spends from phones are: the address check runs.
            origin = f"10.{person.pk >> 16 & 255}.{person.pk >> 8 & 255}.{person.pk & 255}"
            try:
                actions._hold(
                    person=person, fund=fund, course=course, run=None, made_by=person,
                    origin=origin,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - counted and printed
                errors.append(type(exc).__name__)
            with lock:
                latencies.append((time.perf_counter() - s) * 1000)
        connections.close_all()

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.monotonic()  # the machine's clock: comparable between the processes
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return latencies, errors, (began, time.monotonic())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--spends", type=int, default=6000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    use_database("postgres")
    from django.contrib.auth.hashers import make_password
    from django.db import connections, transaction
    from django.utils import timezone

    from suotdoi.catalog import actions as catalog
    from suotdoi.demo.world import build_world
    from suotdoi.funding import actions, ledger, selectors
    from suotdoi.funding.models import LedgerAccount, LedgerTransaction, Posting
    from suotdoi.organisations.models import Membership
    from suotdoi.people.models import Person

    world = build_world(size="small")
    chair, g = world.people["grassroots_chair"], world.units["grassroots"]
    provider = catalog.provider_enable(actor=chair, unit=g)
    per = 1_000_000
    fund = actions.fund_create(
        actor=chair, unit=g, name="Bench", per_person=per, providers=[provider], credit_days=365
    )
    t0 = time.perf_counter()
    unusable = make_password(None)
    people = []
    for i in range(args.accounts):
        p = Person(full_name=f"Học viên Số {i}", password=unusable)
        p.fill_derived()
        people.append(p)
    Person.objects.bulk_create(people, batch_size=5000)
    today = timezone.localdate()
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                unit=g,
                role="member",
                start_date=today,
                unit_path=g.path,
                person_name_sort=p.name_sort,
            )
            for p in people
        ],
        batch_size=5000,
    )
    accounts = LedgerAccount.objects.bulk_create(
        [LedgerAccount(fund=fund, kind="learner", person=p, balance=per) for p in people],
        batch_size=5000,
    )
    source, pool, held = (ledger.account(fund, k) for k in ("source", "pool", "held"))
    total = per * args.accounts * 2
    with transaction.atomic():
        tx = LedgerTransaction.objects.create(fund=fund, key="bench-deposit", kind="deposit")
        Posting.objects.bulk_create(
            [
                Posting(transaction=tx, account=source, amount=-total),
                Posting(transaction=tx, account=pool, amount=total),
            ]
        )
    LedgerAccount.objects.filter(pk=source.pk).update(balance=-total)
    LedgerAccount.objects.filter(pk=pool.pk).update(balance=total - per * args.accounts)
    made = 2

    def write(kind, pairs):
        """Transactions of two postings each, in bulk (the seed, not the path under test)."""
        nonlocal made
        txs = LedgerTransaction.objects.bulk_create(
            [
                LedgerTransaction(fund=fund, key=f"bench-{kind}-{made + i}", kind=kind)
                for i in range(len(pairs))
            ],
            batch_size=5000,
        )
        Posting.objects.bulk_create(
            [
                Posting(transaction=t, account=a, amount=x)
                for t, lines in zip(txs, pairs, strict=True)
                for a, x in lines
            ],
            batch_size=10_000,
        )
        made += 2 * len(pairs)

    write("grant", [[(pool, -per), (acc, per)] for acc in accounts])
    rng = random.Random(2026)
    while made < args.postings:
        chunk = []
        for _ in range(min(20_000, (args.postings - made) // 4 + 1)):
            acc, x = rng.choice(accounts), rng.randrange(10_000, 200_000, 1000)
            chunk.append([(acc, -x), (held, x)])
            chunk.append([(held, -x), (acc, x)])
        write("cycle", chunk)
    seeded = time.perf_counter() - t0
    n_postings = Posting.objects.count()
    print(f"seeded {args.accounts} accounts, {n_postings} postings in {seeded:.1f} s")
    with connections["default"].cursor() as cur:
        cur.execute("ANALYZE")

    sample = rng.sample(accounts, 2000)
    cached, derived = [], []
    for acc in sample:
        s = time.perf_counter()
        ledger.balance(acc)
        cached.append((time.perf_counter() - s) * 1000)
        s = time.perf_counter()
        ledger.derived_balance(acc)
        derived.append((time.perf_counter() - s) * 1000)
    print(
        f"balance read (cached): p50 {statistics.median(cached):.2f} ms, "
        f"p95 {pct(cached, 0.95):.2f} ms"
    )
    print(
        f"balance derived from postings: p50 {statistics.median(derived):.2f} ms, "
        f"p95 {pct(derived, 0.95):.2f} ms"
    )

    s = time.perf_counter()
    figures = selectors.fund_figures(fund)
    print(f"fund report over {figures['accounts']} accounts: {time.perf_counter() - s:.2f} s")
    s = time.perf_counter()
    month = selectors.fund_month(fund, timezone.localdate().replace(day=1))
    print(
        f"the month's report (balances and movements by kind, by provider, reconciliation) "
        f"over {n_postings} postings of this month: {time.perf_counter() - s:.2f} s, "
        f"problems: {len(month['problems'])}"
    )
    from suotdoi.funding.exporting import fund_month_pdf

    s = time.perf_counter()
    pdf = fund_month_pdf(fund, timezone.localdate().replace(day=1))
    print(f"  as a PDF: {time.perf_counter() - s:.2f} s, {len(pdf) // 1024} KiB")
    s = time.perf_counter()
    problems = ledger.verify(fund)
    print(
        f"reconciliation (verify) over {n_postings} postings: "
        f"{time.perf_counter() - s:.2f} s, problems: {len(problems)}"
    )

    course = catalog.course_create(
        actor=chair,
        provider=provider,
        title="Bench course",
        summary="x",
        category="digital",
        format="external",
        hours=Decimal("4"),
        price=100_000,
        external_url="https://a.vn",
    )
    course = catalog.course_publish(actor=chair, course=course)
    ids = [p.pk for p in people[: args.spends]]
    connections.close_all()  # each process opens its own
    slices = [ids[i :: args.processes] for i in range(args.processes)]
    import multiprocessing

    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        parts = pool.starmap(
            spend_slice, [(part, fund.pk, course.pk, args.threads) for part in slices]
        )
    wall = time.perf_counter() - start
    latencies = [x for lat, _err, _w in parts for x in lat]
    errors = [e for _lat, err, _w in parts for e in err]
    # Sustained: from the first spend to the last, without starting the processes.
    window = max(w[1] for *_x, w in parts) - min(w[0] for *_x, w in parts)
    print(
        f"spends: {len(latencies)} by {args.processes} processes x {args.threads} threads in "
        f"{window:.1f} s of spending ({wall:.1f} s with starting the processes) = "
        f"{len(latencies) / window:.0f}/s; p50 {statistics.median(latencies):.1f} "
        f"ms, p95 {pct(latencies, 0.95):.1f} ms; errors {len(errors)} {sorted(set(errors))}"
    )
    problems = ledger.verify(fund)
    print(f"after the spends: {len(problems)} problems")


if __name__ == "__main__":
    main()

"""Learning accounts at scale (#20, PostgreSQL): a fund with 100,000 accounts and 1,000,000
postings; reads of a balance (cached, and derived from postings), spends under concurrency
(the action a confirmed code runs: quote, enrol, hold, checks, audit), the fund's report and its
reconciliation; then the whole request a phone sends with its code, over HTTP to the app served
as in production (granian, 2 workers). Prints the figures.

    BENCH_DATABASE_URL=postgres://… python bench/funding.py --accounts 100000 --postings 1000000

The role should be allowed a CHECKPOINT after the seed (`GRANT pg_checkpoint TO role`); the
confirmations over HTTP use a throwaway redis-server when one is installed (as production).
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from decimal import Decimal

from _http import Client, run_pool, signed_in_cookies
from _setup import BENCH_SECRET, redis_server, serve_production, use_database


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def spend_slice(person_ids, fund_id, course_id, threads, ready):
    """One process of the load: `threads` threads each confirming spends (the action a right
    code runs: the checks, the enrolment, the spend, its audit rows, the ledger), timing
    each. Runs in a new process (the environment names the database and the settings)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from suotdoi.catalog.models import Course
    from suotdoi.funding import actions
    from suotdoi.funding.models import Fund
    from suotdoi.people.models import Person

    settings.DEBUG = False  # as production runs: no query log, no statement rendered for it
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
    ready.wait()
    began = time.monotonic()  # the machine's clock: comparable between the processes
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return latencies, errors, (began, time.monotonic())


def seed_spends(fund, provider, chair, history, rng) -> None:
    """The spends behind the seed's cycles, as a fund in service has them: an enrolment in one
    of 20 past courses, held and then released (most cancelled, some no-shows), over the
    half-year before today. The checks a spend runs then count over tables as full as in
    service (with them empty, the spends measured slower, for a reason not pinned down:
    docs/benchmarks.md)."""
    from django.db import connections

    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment
    from suotdoi.funding import rules
    from suotdoi.funding.models import Spend

    past = []
    for i in range(20):
        c = catalog.course_create(
            actor=chair, provider=provider, title=f"Khoá đã học {i}", summary="x",
            category="digital", format="external", hours=Decimal("4"), price=200_000,
            external_url="https://a.vn",
        )  # fmt: skip
        past.append(catalog.course_publish(actor=chair, course=c))
    taken: dict[int, int] = {}
    rows = []
    for pid, x in history:
        k = taken.get(pid, 0)
        if k < len(past):  # one enrolment a course
            taken[pid] = k + 1
            rows.append((pid, past[k], x))
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(course=c, person_id=pid, status=Enrolment.CANCELLED) for pid, c, _x in rows],
        batch_size=5000,
    )
    Spend.objects.bulk_create(
        [
            Spend(
                fund=fund,
                person_id=pid,
                course=c,
                enrolment=e,
                provider=provider,
                price=x,
                amount=x,
                made_by_id=pid,
                origin=f"{rng.getrandbits(256):064x}",
                held_slot=pid % 8,
                status=Spend.RELEASED,
                reason=rules.NO_SHOW if rng.random() < 0.05 else "Cancelled by the learner",
            )  # fmt: skip
            for (pid, c, x), e in zip(rows, enrolments, strict=True)
        ],
        batch_size=5000,
    )
    with connections["default"].cursor() as cur:  # spread over the half-year before today
        for table, column in (
            ("funding_spend", "created_at"),
            ("catalog_enrolment", "enrolled_at"),
        ):
            cur.execute(
                f"UPDATE {table} SET {column} = {column} - (2 + id % 178) * interval '1 day'"  # noqa: S608
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--spends", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--http", type=int, default=3000, help="confirmations over HTTP")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8795)
    args = parser.parse_args()
    use_database("postgres")
    from django.contrib.auth.hashers import make_password
    from django.db import DatabaseError, connections, transaction
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
    history = []  # (person id, amount) of each hold-and-release cycle
    while made < args.postings:
        chunk = []
        for _ in range(min(20_000, (args.postings - made) // 4 + 1)):
            acc, x = rng.choice(accounts), rng.randrange(10_000, 200_000, 1000)
            chunk.append([(acc, -x), (held, x)])
            chunk.append([(held, -x), (acc, x)])
            history.append((acc.person_id, x))
        write("cycle", chunk)
    seed_spends(fund, provider, chair, history, rng)
    seeded = time.perf_counter() - t0
    n_postings = Posting.objects.count()
    print(f"seeded {args.accounts} accounts, {n_postings} postings in {seeded:.1f} s")
    # A database in service is vacuumed and checkpointed as it goes: settle the seed's million
    # rows first (their hint bits, the visibility map, the dirty pages it left), so that the
    # write-back of two minutes of bulk loading does not land on the spends measured below.
    with connections["default"].cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    try:
        with connections["default"].cursor() as cur:
            cur.execute("CHECKPOINT")  # a superuser's, or a role granted pg_checkpoint
    except DatabaseError:
        print("  (no CHECKPOINT: the role needs pg_checkpoint; the seed's writes may overlap)")

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
    http_ids = [p.pk for p in people[args.spends : args.spends + args.http]]
    connections.close_all()
    slices = [ids[i :: args.processes] for i in range(args.processes)]
    import multiprocessing

    start = time.perf_counter()
    # New processes, as a server's are: not forks of this one, which holds the seed's objects
    # (a fork's first writes to those pages copy them, and its collector walks them). They
    # begin together, once each has started Django and loaded what it needs.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(args.processes) as pool:
        ready = manager.Barrier(args.processes)
        parts = pool.starmap(
            spend_slice, [(part, fund.pk, course.pk, args.threads, ready) for part in slices]
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
    if http_ids:
        confirms_over_http(args, fund, course, http_ids)
        problems = ledger.verify(fund)
        print(f"after the confirmations: {len(problems)} problems")


def confirms_over_http(args, fund, course, person_ids) -> None:
    """The whole request a learner's phone sends when she types the code: POST of the code to
    the spend page, served by granian with production settings (the session, CSRF, the page's
    own checks, the code, the spend, the redirect), each from its own address as the load
    balancer passes it on. The codes are issued in-process into the cache the server reads."""
    import os
    import tempfile

    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings

    from suotdoi.core import onetime
    from suotdoi.funding import actions, rules
    from suotdoi.funding.models import Spend
    from suotdoi.people.models import Person

    settings.DEBUG = False
    settings.SECRET_KEY = BENCH_SECRET  # the server's: sessions and codes made here hold there
    os.environ["TRUSTED_PROXY_COUNT"] = "1"  # as behind the load balancer: X-Forwarded-For
    people = list(Person.objects.filter(pk__in=person_ids).order_by("pk"))
    cookies = signed_in_cookies(people)
    amount = rules.quote(fund, people[0], course)
    intent = actions._intent(fund, course, None, amount)
    cache_dir = tempfile.mkdtemp(prefix="suotdoi-bench-cache-")
    path = f"/funding/funds/{fund.pk}/courses/{course.pk}/"
    client = Client(args.port)

    def confirm(i):
        pk = people[i].pk
        origin = f"10.{pk >> 16 & 255}.{pk >> 8 & 255}.{pk & 255}"
        status, where, ms = client.post(
            path, f"confirm=1&code={codes[i]}", cookies[i], {"X-Forwarded-For": origin}
        )
        return status == 302 and where.endswith("/funding/"), ms

    with redis_server(args.port + 1000) as redis_url:
        if redis_url:  # production's shared cache
            cache = {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
            }
        else:  # the one-machine file cache; it keeps no more than its MAX_ENTRIES codes
            cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                     "LOCATION": cache_dir}  # fmt: skip
        print(f"  the server's cache: {cache['BACKEND'].rsplit('.', 1)[-1]}")
        with override_settings(CACHES={"default": cache}):
            codes = [onetime.issue(f"spend-code:{p.pk}", bound={"intent": intent}) for p in people]
        connections.close_all()
        with serve_production(
            os.environ["DATABASE_URL"], args.port, cache_dir=cache_dir, redis_url=redis_url
        ):
            began = time.perf_counter()
            done = run_pool(list(range(len(people))), confirm, args.connections)
            took = time.perf_counter() - began
    times = [ms for _ok, ms in done]
    failed = sum(1 for ok, _ms in done if not ok)
    held = Spend.objects.filter(fund=fund, course=course, person__in=people).count()
    print(
        f"confirmations over HTTP: {len(done)} by {args.connections} connections in "
        f"{took:.1f} s = {len(done) / took:.0f}/s; p50 {statistics.median(times):.1f} ms, "
        f"p95 {pct(times, 0.95):.1f} ms; failed {failed}; spends made {held}"
    )


if __name__ == "__main__":
    main()

"""The evening start of an online contest (#22, PostgreSQL, granian with production settings,
bounded load on 127.0.0.1):

  - 2,000 contestants (signed-in sessions) have the contest's page open (loaded before);
  - they start the round within 20 s, as the page's script does (its signed start address):
    the time to start (entry rules, draw, deadline, audit) — target p95 ≤ 300 ms;
  - each phone loads its sitting's page once (the sheet and the address its script saves to);
  - then each saves 20 answers as the page's script does (to the sitting's signed address) and
    hands in, by a fixed number of connections: answer saves per second and their p95 — target
    ≥ 500/s, p95 ≤ 150 ms, 0 errors; the answers counted after;
  - ranking a round of 150,000 sittings — target ≤ 30 s.

    BENCH_DATABASE_URL=postgres://…/scratch python bench/contests.py [--contestants 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import threading
import time

from _http import Client, run_pool, signed_in_cookies
from _setup import BENCH_SECRET, serve_production, use_database
from campaigns import build_tree


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contestants", type=int, default=2000)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--ranked", type=int, default=150_000)
    parser.add_argument("--port", type=int, default=8794)
    args = parser.parse_args()
    url = use_database("postgres")
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET
    from django.db import connection
    from django.utils import timezone

    from suotdoi.contests import actions, selectors
    from suotdoi.contests.models import Answer, Question, Round, Sitting
    from suotdoi.people.models import Person

    t0 = time.perf_counter()
    per_unit = -(-args.contestants // 50)  # 50 grassroots unions (the tree's smallest shape)
    root, grassroots = build_tree(50, per_unit)
    officer = Person.objects.create_user(full_name="Ban tổ chức", password=None, is_superuser=True)
    c = actions.contest_create(
        actor=officer, unit=root, title="Tìm hiểu pháp luật lao động", rules_text="20 câu"
    )
    Question.objects.bulk_create(
        [
            Question(
                contest=c,
                category=f"chu-de-{i % 4}",
                text=f"Câu hỏi {i}?",
                choices=["A", "B", "C", "D"],
                correct=i % 4,
            )  # fmt: skip
            for i in range(400)
        ]
    )
    now = timezone.now()
    rnd = actions.round_add(
        actor=officer, contest=c, opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=2), draw={f"chu-de-{k}": 5 for k in range(4)},
        minutes=30, attempts=1,
    )  # fmt: skip
    people = list(
        Person.objects.filter(memberships__unit__in=grassroots).order_by("pk")[: args.contestants]
    )
    cookies = signed_in_cookies(people)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"seeded {len(people)} contestants, 400 questions in {time.perf_counter() - t0:.1f} s")

    client = Client(args.port)
    send, post, get = client.send, client.post, client.get
    errors: list[str] = []
    lock = threading.Lock()

    with serve_production(url, args.port, static=True):

        def load_pages(label, items, path_of, attribute):
            """Each phone loads a page (as its own person) and keeps the address its script
            uses, found in the page's `attribute`. Prints the pages' times."""
            found = {}
            pattern = re.compile(attribute + r'="(/contests/[as]/[^"]+/)"')

            def load(item):
                key, i = item
                status, body, ms = get(path_of(key), cookies[i])
                m = pattern.search(body)
                if status != 200 or not m:
                    with lock:
                        errors.append(f"{label} {status}")
                    return ms
                found[key] = m.group(1)
                return ms

            began = time.perf_counter()
            times = run_pool(items, load, args.connections)
            print(
                f"{label}: {len(times)} in {time.perf_counter() - began:.1f} s; "
                f"p50 {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms; "
                f"errors {len(errors)}"
            )
            return found

        # Before the round opens each phone has the contest's page (and on it the signed
        # address its script starts the round from).
        start_urls = load_pages(
            "contest pages (before the round)",
            [(i, i) for i in range(len(people))],
            lambda i: f"/contests/{c.pk}/",
            "data-start",
        )
        # Starts, spread over the window (each at its own moment, as people arrive), as the
        # page's script sends them.
        began = time.perf_counter()
        step = args.window / max(1, len(people))

        def start(i):
            wait = began + i * step - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if i not in start_urls:  # its page did not load: counted among the errors
                return i, None, 0.0
            status, _where, text, ms = send("POST", start_urls[i], f"round={rnd.pk}", "")
            m = re.search(r"/sittings/(\d+)/", text)
            if status != 200 or not m:
                with lock:
                    errors.append(f"start {status} {text[:60]}")
                return i, None, ms
            return i, int(m.group(1)), ms

        started = run_pool(list(range(len(people))), start, 64)
        took = time.perf_counter() - began
        start_ms = [ms for _i, sid, ms in started if sid]
        print(
            f"starts: {len(start_ms)} of {len(people)} in {took:.1f} s; "
            f"p50 {statistics.median(start_ms):.0f} ms, p95 {pct(start_ms, 0.95):.0f} ms; "
            f"errors {len(errors)}"
        )
        sittings = {i: sid for i, sid, _ms in started if sid}
        rng = random.Random(22)
        jobs = [(i, sid, p) for i, sid in sittings.items() for p in range(20)]
        rng.shuffle(jobs)
        jobs.sort(key=lambda j: j[2])  # everyone on question 1, then 2…: the evening's shape

        # Each phone then loads its sitting's page once: the first question, the whole sheet
        # and the address its script saves the answers to.
        save_urls = load_pages(
            "sitting pages",
            [(sid, i) for i, sid in sittings.items()],
            lambda sid: f"/contests/sittings/{sid}/",
            "data-save",
        )

        def answer(job):
            i, sid, position = job
            status, _where, ms = post(
                save_urls[sid], f"position={position}&choice={rng.randrange(4)}", ""
            )  # fmt: skip
            if status != 204:
                with lock:
                    errors.append(f"answer {status}")
            return ms

        before = len(errors)
        began = time.perf_counter()
        saves = run_pool(jobs, answer, args.connections)
        took = time.perf_counter() - began
        print(
            f"answer saves: {len(saves)} by {args.connections} connections in {took:.1f} s = "
            f"{len(saves) / took:.0f}/s; p50 {statistics.median(saves):.0f} ms, "
            f"p95 {pct(saves, 0.95):.0f} ms; errors {len(errors) - before}"
        )

        def hand_in(item):
            i, sid = item
            status, _w, ms = post(
                f"/contests/sittings/{sid}/", f"submit=1&prediction={rng.randrange(3000)}",
                cookies[i],
            )  # fmt: skip
            if status != 302:
                with lock:
                    errors.append(f"submit {status}")
            return ms

        began = time.perf_counter()
        subs = run_pool(list(sittings.items()), hand_in, args.connections)
        took = time.perf_counter() - began
        print(
            f"hand-ins: {len(subs)} in {took:.1f} s = {len(subs) / took:.0f}/s; "
            f"p95 {pct(subs, 0.95):.0f} ms"
        )
    saved = Answer.objects.filter(sitting__round=rnd).count()
    handed = Sitting.objects.filter(round=rnd, status=Sitting.SUBMITTED).count()
    print(
        f"after: {saved} answers stored of {len(jobs)} sent, {handed} sittings handed in; "
        f"errors {len(errors)} {sorted(set(errors))[:5]}"
    )

    # Ranking a big round: 150,000 handed-in sittings (bulk, not timed).
    r2 = Round.objects.create(
        contest=c, number=2, opens_at=now, closes_at=now + dt.timedelta(hours=1),
        draw={"": 20}, minutes=20,
    )  # fmt: skip
    pool = list(Person.objects.values_list("pk", flat=True))
    extra = [
        Person(full_name=f"Thí sinh {i}", password="!")
        for i in range(max(0, args.ranked - len(pool)))
    ]
    for p in extra:
        p.fill_derived()
    Person.objects.bulk_create(extra, batch_size=10_000)
    pool = list(Person.objects.values_list("pk", flat=True))[: args.ranked]
    Sitting.objects.bulk_create(
        [
            Sitting(
                round=r2,
                person_id=pid,
                attempt=1,
                seed="x",
                questions=[],
                started_at=now,
                deadline=now + dt.timedelta(minutes=20),
                status=Sitting.SUBMITTED,
                submitted_at=now + dt.timedelta(seconds=rng.randrange(1200)),
                score=rng.randrange(21),
                prediction=rng.randrange(200_000),
                duration_ms=rng.randrange(60_000, 1_200_000),
            )  # fmt: skip
            for pid in pool
        ],
        batch_size=10_000,
    )
    s = time.perf_counter()
    ranked = selectors.ranking(r2)
    print(
        f"ranking a round of {len(pool)} sittings: {time.perf_counter() - s:.2f} s "
        f"({sum(1 for x in ranked if x.tied)} tied on everything but order)"
    )


if __name__ == "__main__":
    main()

"""The soak (issue #26): the drill's mixed load, paced, through nginx on `make prod-local` for a
bounded time; prints p50/p95/p99 per kind of request, the errors, and the memory (PSS) of
each process of the topology after a warm-up and at the end.

    make prod-local && .venv/bin/python deploy/soak.py [--minutes 10]   (or: make soak)

Paced per thread (check-ins 2 × 5/s, xAPI batches of 10 2 × 5/s, pages and LRS queries
5/s each): a steady evening, not a stress test. Talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - the drill's world and load


def _kb(pid: int) -> tuple[int, int]:
    """(PSS, private) of one process in kB: PSS shares pages among the processes using them;
    private counts only the pages no other process maps (PostgreSQL's shared buffer cache,
    which fills as it warms up to shared_buffers, is in the first and not in the second)."""
    pss = private = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
    except OSError:
        pass
    return pss, private


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(parts[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def processes() -> dict[str, int]:
    run = load.DIR / "run"
    found = {}
    for name in ("app-8101", "app-8102", "worker-1", "worker-2", "nginx", "pgbouncer", "redis"):
        f = run / f"{name}.pid"
        if f.exists():
            found[name] = int(f.read_text().split()[0])
    for db in ("primary", "replica"):
        f = load.DIR / f"pg-{db}" / "postmaster.pid"
        if f.exists():
            found[f"postgres-{db}"] = int(f.read_text().split()[0])
    return found


def memory() -> dict[str, tuple[int, int]]:
    """Each service with its children: (PSS, private) in kB."""
    out = {}
    for name, pid in processes().items():
        sizes = [_kb(p) for p in _tree(pid)]
        out[name] = (sum(s[0] for s in sizes), sum(s[1] for s in sizes))
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=30)
    args = ap.parse_args()
    load.django_setup()
    seconds = args.minutes * 60
    members = int(seconds * 10) + 500
    world = load.World(members)
    tally = load.Tally()
    stop = threading.Event()
    loops = [
        (load.checkin_loop, 5), (load.checkin_loop, 5),
        (load.xapi_loop, 5), (load.xapi_loop, 5),
        (load.page_loop, 5),
    ]  # fmt: skip
    threads = [
        threading.Thread(target=fn, args=(world, tally, stop, rate), daemon=True)
        for fn, rate in loops
    ]
    for t in threads:
        t.start()
    time.sleep(args.warmup)
    start_mem = memory()
    with tally.lock:
        tally.latency.clear()
        tally.sent.clear()
        tally.ok.clear()
        tally.failed.clear()
        tally.failures.clear()
    t0 = time.monotonic()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join(60)
    elapsed = time.monotonic() - t0
    end_mem = memory()
    print(f"soak: {elapsed:.0f} s through nginx (after {args.warmup:.0f} s of warm-up)")
    head = ("requests", 10), ("per s", 8), ("p50 ms", 9), ("p95 ms", 9), ("p99 ms", 9)
    print(f"{'kind':<12}" + "".join(f"{h:>{w}}" for h, w in head) + f"{'errors':>8}")
    for kind in sorted(tally.sent):
        lat = tally.latency[kind]
        print(
            f"{kind:<12}{tally.sent[kind]:>10}{tally.sent[kind] / elapsed:>8.1f}"
            f"{statistics.median(lat) if lat else 0:>9.0f}{pct(lat, 0.95):>9.0f}"
            f"{pct(lat, 0.99):>9.0f}{tally.failed[kind]:>8}"
        )
    errors = sum(tally.failed.values())
    if errors:
        print("errors:", {k: dict(v) for k, v in tally.failures.items()})
    print(
        f"{'process':<18}{'PSS start':>10}{'end MB':>8}{'growth':>8}"
        f"{'private start':>15}{'end MB':>8}{'growth':>8}"
    )
    grown = []
    for name in start_mem:
        (a, pa), (b, pb) = start_mem[name], end_mem.get(name, (0, 0))
        growth = (b - a) / a * 100 if a else 0.0
        private_growth = (pb - pa) / pa * 100 if pa else 0.0
        # Judged on PSS, except PostgreSQL's: its PSS counts the shared buffer cache it fills
        # as it warms (bounded by shared_buffers); its private memory is judged instead.
        judged = private_growth if name.startswith("postgres") else growth
        if judged > 10:
            grown.append(name)
        print(
            f"{name:<18}{a / 1024:>10.1f}{b / 1024:>8.1f}{growth:>7.1f}%"
            f"{pa / 1024:>15.1f}{pb / 1024:>8.1f}{private_growth:>7.1f}%"
        )
    ok = errors == 0 and not grown
    print(f"soak: {'passed' if ok else 'FAILED'} ({errors} errors; grew > 10 %: {grown or 'none'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

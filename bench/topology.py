"""Benchmark (issue #26): xAPI batch throughput through nginx on `make prod-local` with its two
app servers, then with one (nginx reloaded with a single upstream), and the ratio.

    make prod-local && (cd bench && ../.venv/bin/python topology.py [--seconds 30])

Each request posts a batch of 10 statements (wrk, keep-alive, 127.0.0.1 only, bounded time).
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

import load  # noqa: E402 - prod-local's environment and processes
from lrs import run_wrk, statement  # noqa: E402


def nginx(conf: Path) -> None:
    subprocess.run(
        ["/usr/sbin/nginx", "-p", str(conf.parent), "-c", str(conf), "-s", "reload"],
        check=True,
        capture_output=True,
    )
    time.sleep(2)  # old nginx workers finish; new ones take the connections


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    load.django_setup()
    from suotdoi.organisations.models import Unit
    from suotdoi.records.lrs.actions import lrs_client_create

    unit = Unit.objects.filter(depth__gt=1).order_by("pk").first()
    if unit is None:
        from suotdoi.demo.world import build_world

        unit = build_world(size="small").units["grassroots"]
    client, secret = lrs_client_create(actor=None, unit=unit, name="bench topology")
    auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    body = json.dumps([statement(i) for i in range(10)])
    url = f"http://127.0.0.1:{load.PORT}/xapi/statements"
    conf = load.DIR / "nginx" / "nginx.conf"
    both = conf.read_text()
    results = {}
    try:
        print(f"two app servers behind nginx ({args.connections} connections, {args.seconds} s):")
        results[2] = run_wrk(url, body, auth, args.seconds, args.connections)
        conf.write_text(
            "\n".join(line for line in both.splitlines() if "127.0.0.1:8102" not in line)
        )
        nginx(conf)
        print("one app server behind nginx:")
        results[1] = run_wrk(url, body, auth, args.seconds, args.connections)
    finally:
        conf.write_text(both)
        nginx(conf)
    (two, bad2), (one, bad1) = results[2], results[1]
    print(
        f"topology: xAPI batches of 10 through nginx — two app servers {two:.0f}/s "
        f"({two * 10:.0f} statements/s), one {one:.0f}/s ({one * 10:.0f} statements/s), "
        f"ratio {two / one:.2f}; refused {bad2} and {bad1}"
    )


if __name__ == "__main__":
    main()

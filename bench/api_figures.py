"""A dashboard reading a unit's figures through the API with a token: latency under a bounded
load on 127.0.0.1 (#19: p95 ≤ 30 ms on PostgreSQL).

Starts the app under granian (production settings, 2 workers) on a fresh benchmark database
with the small demo world, makes a personal access token for the federation's officer, then
drives GET /api/v1/units/<federation>/figures with wrk for a bounded time and prints the
latency percentiles and the rate. Usage:

    BENCH_DATABASE_URL=postgres://… python bench/api_figures.py --db postgres --seconds 20
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

from _setup import BENCH_SECRET, serve_production, use_database

LUA = r"""
wrk.headers["Authorization"] = "%s"
done = function(summary, latency, requests)
  io.write(string.format("p50 %%.2f ms, p95 %%.2f ms, p99 %%.2f ms, max %%.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx %%d\n", summary.errors.status))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    os.environ["API_TOKEN_REQUESTS_PER_MINUTE"] = str(10**9)  # measure the API, not the limit
    url = use_database(args.db)
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET
    from suotdoi.api.tokens import token_create
    from suotdoi.demo.world import build_world

    world = build_world(size="small")
    unit = world.units["federation"]
    _row, secret = token_create(
        actor=world.people["provincial_officer"],
        unit=unit,
        kind="personal",
        name="bench dashboard",
        capabilities=["view"],
        days=1,
    )
    auth = f"Bearer {secret}"
    with serve_production(url, args.port) as base:
        target = f"{base}/api/v1/units/{unit.pk}/figures"
        req = urllib.request.Request(target, headers={"Authorization": auth})
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback
            print(f"probe: {r.status} {r.read()[:160].decode()}…")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(LUA % auth)
        for label, secs in (("warm-up", 3), ("measured", args.seconds)):
            out = subprocess.run(
                ["wrk", "-t1", f"-c{args.connections}", f"-d{secs}s", "-s", f.name, target],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if label == "measured":
                rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
                lat = re.search(r"p50 .*", out).group(0)
                bad = re.search(r"non-2xx (\d+)", out).group(1)
                print(
                    f"GET figures with a token, {args.connections} connections, {secs} s on "
                    f"{args.db}: {float(rps):.0f} requests/s; {lat}; non-2xx {bad}"
                )
        os.unlink(f.name)


if __name__ == "__main__":
    main()

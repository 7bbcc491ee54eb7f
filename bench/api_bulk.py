"""Another system pushes 100,000 members through the API with a token, 1,000 per request
(#19: ≤ 120 s on PostgreSQL). Prints the total time, the rate and the slowest request.

    BENCH_DATABASE_URL=postgres://… python bench/api_bulk.py --db postgres --members 100000
"""

from __future__ import annotations

import argparse
import json
import os
import time
import urllib.request

from _setup import BENCH_SECRET, serve_production, use_database

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Oanh",
         "Phúc", "Quân", "Sơn", "Tâm", "Uyên", "Vân", "Xuân", "Yến", "Long"]  # fmt: skip


def member(i: int) -> dict:
    return {
        "full_name": f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 10]} {GIVEN[(i // 100) % 20]}",
        "phone": f"09{i:08d}",
        "gender": "female" if i % 2 else "male",
        "date_of_birth": f"19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8793)
    args = parser.parse_args()
    os.environ["API_TOKEN_REQUESTS_PER_MINUTE"] = str(10**9)
    url = use_database(args.db)
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET
    from suotdoi.api.tokens import token_create
    from suotdoi.demo.world import build_world

    world = build_world(size="small")
    unit = world.units["grassroots"]
    _row, secret = token_create(
        actor=world.people["grassroots_chair"],
        unit=unit,
        kind="personal",
        name="bench member system",
        capabilities=["view", "manage_members"],
        days=1,
    )
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    with serve_production(url, args.port) as base:
        target = f"{base}/api/v1/units/{unit.pk}/memberships/bulk"
        created = 0
        slowest = 0.0
        started = time.perf_counter()
        for start in range(0, args.members, args.batch):
            body = json.dumps(
                {
                    "members": [
                        member(i) for i in range(start, min(start + args.batch, args.members))
                    ],
                    "consent": True,
                },
                ensure_ascii=False,
            ).encode()
            t = time.perf_counter()
            req = urllib.request.Request(target, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=300) as r:  # noqa: S310 - loopback
                created += json.load(r)["memberships_created"]
            slowest = max(slowest, time.perf_counter() - t)
        total = time.perf_counter() - started
        print(
            f"{args.members:,} members in requests of {args.batch} on {args.db}: {total:.1f} s "
            f"({args.members / total:,.0f} members/s, slowest request {slowest:.2f} s); "
            f"{created:,} memberships created"
        )


if __name__ == "__main__":
    main()

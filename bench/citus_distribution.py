"""Simulation (ADR 0009): how 20 million people's data would spread over a Citus cluster under
two distribution keys — the person (the ADR's choice) and the province (the first plan).

    python bench/citus_distribution.py [--people 20000000] [--shards 32]

Citus is not installable here, so this is arithmetic, not a cluster: each person gets a
province (34, sized several-fold apart like the real ones: the shares below are illustrative,
the largest ≈ 14 % of the country), a learning volume drawn from a heavy-tailed distribution
(most people learn a little, a few a lot), and the rows that volume implies in the tables the
ADR co-locates with the person. Rows are hashed to shards as Citus does (a uniform 32-bit hash
of the key, shards in equal hash ranges), shards placed round-robin on workers. Printed: rows
per worker (largest / mean) for 4, 8 and 16 workers, under each key, and the monthly statement
partitions' size.
"""

from __future__ import annotations

import argparse
import math
import random
import time

# Illustrative province shares after the 2025 merger (34 units, largest ≈ 14 %, smallest ≈ 0.5 %).
_RNG = random.Random(34)
_RAW = sorted((math.exp(_RNG.gauss(0, 0.75)) for _ in range(34)), reverse=True)
_RAW[0] *= 2.2  # the merged Ho Chi Minh City
_RAW[1] *= 1.8  # Ha Noi
PROVINCE_SHARES = [x / sum(_RAW) for x in _RAW]

# Rows per unit of learning volume, per table co-located with the person.
PER_PERSON = {"membership": 1.4, "learning_entry": 6.0, "lrs_statement": 40.0, "credential": 0.8}


def h32(key: int) -> int:
    """A uniform 32-bit hash of an integer key (Fibonacci hashing), like hashint8's spread."""
    return ((key * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 32


def shard_of(key: int, shards: int) -> int:
    return h32(key) * shards >> 32


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20_000_000)
    ap.add_argument("--shards", type=int, default=32)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rng = random.Random(2026)
    cum = []
    acc = 0.0
    for s in PROVINCE_SHARES:
        acc += s
        cum.append(acc)
    by_person = [0.0] * args.shards
    by_province = [0.0] * args.shards
    province_people = [0] * len(PROVINCE_SHARES)
    total_volume = 0.0
    import bisect

    expo = rng.expovariate
    rand = rng.random
    for pid in range(1, args.people + 1):
        prov = bisect.bisect_left(cum, rand())
        if prov >= len(cum):
            prov = len(cum) - 1
        volume = expo(1.0) ** 1.6  # heavy tail: mean ≈ 1.43, a few people many times that
        total_volume += volume
        by_person[shard_of(pid, args.shards)] += volume
        by_province[shard_of(prov + 1, args.shards)] += volume
        province_people[prov] += 1
    rows_per_volume = sum(PER_PERSON.values())
    print(
        f"{args.people:,} people, {len(PROVINCE_SHARES)} provinces (largest "
        f"{max(province_people) / args.people:.1%}, smallest {min(province_people) / args.people:.1%}), "
        f"{args.shards} shards; ≈ {total_volume * rows_per_volume / 1e9:.2f} billion person-keyed "
        f"rows ({total_volume * PER_PERSON['lrs_statement'] / 1e9:.2f} billion LRS statements)"
    )
    print(f"{'key':<10}{'workers':>8}{'largest / mean':>16}{'largest share':>15}{'empty':>7}")
    for name, shards in (("person", by_person), ("province", by_province)):
        for workers in (4, 8, 16):
            load = [0.0] * workers
            for s, v in enumerate(shards):
                load[s % workers] += v
            mean = sum(load) / workers
            print(
                f"{name:<10}{workers:>8}{max(load) / mean:>16.2f}"
                f"{max(load) / sum(load):>15.1%}{sum(1 for x in load if x == 0):>7}"
            )
    monthly = total_volume * PER_PERSON["lrs_statement"] / 12
    print(
        f"LRS statements per monthly partition (a year's volume): ≈ {monthly / 1e6:.0f} million, "
        f"≈ {monthly / args.shards / 1e6:.1f} million per shard"
    )
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()

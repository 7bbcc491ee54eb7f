"""The contest's published rules as plain functions: the draw from a seed, the score, the
ranking (score, then the prediction's distance from the real number of participants, then
time, then submission order — ties on everything but order are reported), and units' rates
within size bands (never raw headcounts)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

NO_PREDICTION = 10**12  # a missing prediction is farther than any given one
SIZE_BANDS = [(1, 49), (50, 199), (200, 999), (1000, None)]


def draw(bank: dict[str, list[tuple[int, int]]], per_category: dict[str, int], seed: str):
    """`bank` maps a category to its questions as (id, number of choices), in id order;
    `per_category` how many to draw from each ("" draws from the whole bank). Returns the
    sitting's questions in the order shown, each with the order its choices are shown in:
    [[id, [choice indexes…]], …]. The same seed gives the same draw."""
    rng = random.Random(seed)  # noqa: S311 - an order of questions, reproducible for audit
    picked: list[tuple[int, int]] = []
    for category in sorted(per_category):
        n = per_category[category]
        pool = (
            [q for qs in bank.values() for q in qs]
            if category == ""
            else list(bank.get(category, []))
        )
        taken = set(picked)
        pool = sorted(q for q in pool if q not in taken)
        picked += rng.sample(pool, min(n, len(pool)))
    rng.shuffle(picked)
    out = []
    for qid, n_choices in picked:
        order = list(range(n_choices))
        rng.shuffle(order)
        out.append([qid, order])
    return out


def score(questions: list, answers: dict[int, int], correct: dict[int, int]) -> int:
    """Right answers: `answers` maps a position to the chosen original choice index."""
    return sum(
        1
        for position, (qid, _order) in enumerate(questions)
        if position in answers and answers[position] == correct.get(qid)
    )


@dataclass(frozen=True)
class Result:
    sitting_id: int
    person_id: int
    score: int
    prediction: int | None
    duration_ms: int
    submitted_at: dt.datetime


@dataclass(frozen=True)
class Ranked:
    rank: int
    result: Result
    distance: int
    tied: bool  # equal in score, distance and time to a neighbour: only the order decided


def _key(r: Result, participants: int):
    distance = NO_PREDICTION if r.prediction is None else abs(r.prediction - participants)
    return (-r.score, distance, r.duration_ms, r.submitted_at, r.sitting_id)


def rank(results: list[Result]) -> list[Ranked]:
    """Each person's best sitting, ranked. The real number of participants is the number of
    people with a sitting in `results`."""
    participants = len({r.person_id for r in results})
    best: dict[int, Result] = {}
    for r in results:
        if r.person_id not in best or _key(r, participants) < _key(best[r.person_id], participants):
            best[r.person_id] = r
    ordered = sorted(best.values(), key=lambda r: _key(r, participants))
    keys = [_key(r, participants)[:3] for r in ordered]
    out = []
    for i, r in enumerate(ordered):
        tied = (i > 0 and keys[i] == keys[i - 1]) or (i + 1 < len(keys) and keys[i] == keys[i + 1])
        out.append(Ranked(rank=i + 1, result=r, distance=keys[i][1], tied=tied))
    return out


def band_of(members: int) -> int:
    for i, (lo, hi) in enumerate(SIZE_BANDS):
        if members >= lo and (hi is None or members <= hi):
            return i
    return 0


@dataclass(frozen=True)
class UnitRate:
    unit_id: int
    members: int
    participants: int
    average: float | None
    band: int
    rate: float  # participants / members
    place: int  # within its band, by rate then average score


def unit_rates(units: list[tuple[int, int]], taking: dict[int, list[int]]) -> list[UnitRate]:
    """`units` are (unit id, members); `taking` maps a unit to its participants' best scores.
    Units are compared only with units of their size band, by participation rate, then by
    average score; never by how many took part."""
    rows = []
    for unit_id, members in units:
        if members <= 0:
            continue
        scores = taking.get(unit_id, [])
        rows.append(
            {
                "unit_id": unit_id,
                "members": members,
                "participants": len(scores),
                "average": round(sum(scores) / len(scores), 2) if scores else None,
                "band": band_of(members),
                "rate": round(min(len(scores), members) / members, 4),
            }
        )
    out = []
    for band in range(len(SIZE_BANDS)):
        mine = sorted(
            (r for r in rows if r["band"] == band),
            key=lambda r: (-r["rate"], -(r["average"] or 0), r["unit_id"]),
        )
        out += [UnitRate(place=i + 1, **r) for i, r in enumerate(mine)]
    return out


MIN_SECONDS_PER_QUESTION = 2


def timing_flags(n_questions: int, duration_ms: int) -> list[str]:
    """A sitting answered faster than anyone can read the questions."""
    if n_questions and duration_ms < n_questions * MIN_SECONDS_PER_QUESTION * 1000:
        return ["too_fast"]
    return []

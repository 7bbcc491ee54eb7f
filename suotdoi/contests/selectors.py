"""Reads of contests: the integrity flags of a round, its ranking, units' participation rates
and who in a unit has not taken part."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from . import rules
from .models import Answer, Round, Sitting

ACCOUNTS_PER_ORIGIN = 5


def flag_round(round: Round) -> int:
    """Mark sittings that need the board's eyes: identical answer sequences, many accounts
    behind one address or one browser. (Impossible times are marked at hand-in.) Returns how
    many sittings carry a flag."""
    done = Sitting.objects.filter(round=round, status__in=[Sitting.SUBMITTED, Sitting.EXPIRED])
    new: dict[int, set[str]] = defaultdict(set)
    for field, flag in (("origin", "one_origin"), ("device", "one_device")):
        crowded = (
            done.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("person", distinct=True))
            .filter(n__gt=ACCOUNTS_PER_ORIGIN)
            .values_list(field, flat=True)
        )
        for pk in done.filter(**{f"{field}__in": list(crowded)}).values_list("pk", flat=True):
            new[pk].add(flag)
    sequences: dict[tuple, list[int]] = defaultdict(list)
    answers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for sid, position, choice in (
        Answer.objects.filter(sitting__in=done)
        .order_by("sitting", "position")
        .values_list("sitting_id", "position", "choice")
    ):
        answers[sid].append((position, choice))
    questions = dict(done.values_list("pk", "questions"))
    for sid, given in answers.items():
        if len(given) < 5:
            continue
        seq = tuple((questions[sid][p][0], c) for p, c in given)
        sequences[seq].append(sid)
    for sids in sequences.values():
        if len(sids) > 1:
            for sid in sids:
                new[sid].add("identical")
    for s in done.filter(pk__in=list(new)):
        merged = sorted(set(s.flags) | new[s.pk])
        if merged != s.flags:
            Sitting.objects.filter(pk=s.pk).update(flags=merged)
    return done.exclude(flags=[]).count()


def ranking(round: Round) -> list[rules.Ranked]:
    """The round's ranking as published: every person's best sitting not excluded."""
    results = [
        rules.Result(
            sitting_id=pk,
            person_id=person_id,
            score=score,
            prediction=prediction,
            duration_ms=duration_ms or 0,
            submitted_at=submitted_at,
        )  # fmt: skip
        for pk, person_id, score, prediction, duration_ms, submitted_at in Sitting.objects.filter(
            round=round, status__in=[Sitting.SUBMITTED, Sitting.EXPIRED], excluded=False
        ).values_list("pk", "person_id", "score", "prediction", "duration_ms", "submitted_at")
    ]
    return rules.rank(results)


def unit_rates(contest, *, round: Round | None = None) -> list[rules.UnitRate]:
    """The units of the contest's tree that have members, by participation rate within their
    size band. A participant counts for the deepest unit they belong to."""
    from suotdoi.organisations.models import Unit

    units = list(
        Unit.objects.filter(path__startswith=contest.unit_path, member_count__gt=0).values_list(
            "pk", "path", "member_count"
        )
    )
    by_path = {path: pk for pk, path, _n in units}
    sittings = Sitting.objects.filter(
        round__contest=contest, status__in=[Sitting.SUBMITTED, Sitting.EXPIRED], excluded=False
    )
    if round is not None:
        sittings = sittings.filter(round=round)
    best: dict[tuple[str, int], int] = {}
    for path, person_id, score in sittings.values_list("unit_path", "person_id", "score"):
        key = (path, person_id)
        best[key] = max(best.get(key, 0), score)
    taking: dict[int, list[int]] = defaultdict(list)
    for (path, _person), score in best.items():
        if path in by_path:
            taking[by_path[path]].append(score)
    return rules.unit_rates([(pk, n) for pk, _p, n in units], taking)


def absent_members(contest, unit):
    """Active members of `unit` (itself, not below) who have not taken part in the contest."""
    from suotdoi.organisations.models import Membership

    took = Sitting.objects.filter(round__contest=contest).values("person_id")
    return (
        Membership.objects.filter(unit=unit, end_date__isnull=True)
        .exclude(person_id__in=took)
        .select_related("person")
        .order_by("person_name_sort")
    )


def contestants_by_path(*, paths, start, end) -> dict[str, int]:
    """Distinct people who submitted a sitting in [start, end], per home unit path under
    `paths` (sittings the board excluded do not count)."""
    from suotdoi.organisations.selectors import paths_q

    rows = (
        Sitting.objects.filter(
            paths_q(paths),
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
            excluded=False,
        )
        .values("unit_path")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["unit_path"]: r["n"] for r in rows}

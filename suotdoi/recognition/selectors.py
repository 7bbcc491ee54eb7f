"""Reads of recognition: the set in force, a unit's level, an assessment's calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from suotdoi.core.errors import NotFound
from suotdoi.organisations.models import Unit

from . import engine
from .models import (
    Assessment,
    CriteriaSet,
    Indicator,
    UnitYearFigure,
)


def person_sets_for_year(year: int) -> list[CriteriaSet]:
    """The newest version of each title for people that is valid in `year`."""
    from .models import SubjectType

    latest: dict[str, CriteriaSet] = {}
    for s in CriteriaSet.objects.filter(subject_type=SubjectType.PERSON).order_by(
        "code", "-version"
    ):
        if s.valid_from <= dt.date(year, 12, 31) and (
            s.valid_to is None or s.valid_to >= dt.date(year, 1, 1)
        ):
            latest.setdefault(s.code, s)
    return list(latest.values())


def current_set(code: str, on: dt.date | None = None) -> CriteriaSet:
    """The version of a set in force on a date (the newest valid one)."""
    on = on or timezone.localdate()
    found = (
        CriteriaSet.objects.filter(code=code, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def unit_level(
    *, unit: Unit, year: int, code: str = "don-vi-hoc-tap-tinh"
) -> tuple[engine.Outcome, Assessment | None, CriteriaSet]:
    """A unit's level for a title decided by shares (Đơn vị học tập): its own assessment's
    values where it has one, the current shares of its members' titles always."""
    cs = current_set(code, dt.date(year, 12, 31))
    a = Assessment.objects.filter(criteria_set__code=code, year=year, subject_unit=unit).first()
    return unit_levels(units=[unit], year=year, code=code)[unit.pk], a, cs


def unit_levels(*, units: list[Unit], year: int, code: str = "don-vi-hoc-tap-tinh") -> dict:
    """`unit_level` for many units at once: one read of the figures, one of the assessments."""
    cs = current_set(code, dt.date(year, 12, 31))
    rule = cs.rule()
    inds = list(Indicator.objects.filter(criteria_set=cs))
    share_titles = {i.share_of for i in inds if i.measure == engine.SHARE}
    ids = [u.pk for u in units]
    figs = {
        (f.unit_id, f.title_code): f.share_pct
        for f in UnitYearFigure.objects.filter(
            unit_id__in=ids, year=year, title_code__in=share_titles
        )
    }
    own = {
        a.subject_unit_id: a
        for a in Assessment.objects.filter(
            criteria_set__code=code, year=year, subject_unit_id__in=ids
        )
    }
    out = {}
    for u in units:
        values = {}
        for ind in inds:
            if ind.measure == engine.SHARE:
                values[ind.code] = figs.get((u.pk, ind.share_of), Decimal("0"))
            elif u.pk in own:
                values[ind.code] = own[u.pk].value_of(ind.code)
        out[u.pk] = engine.evaluate(rule, values)
    return out


def round_for(a: Assessment):
    """The calendar that applies: the one set by the nearest unit at or above the reviewer."""
    from suotdoi.organisations.selectors import path_prefixes

    from .models import Round

    rounds = Round.objects.filter(
        title_code=a.criteria_set.code, year=a.year, unit_path__in=path_prefixes([a.unit_path])
    )
    return max(rounds, key=lambda r: len(r.unit_path), default=None)


def titles_by_unit(*, paths, start, end) -> dict[int, dict]:
    """Titles recognised by decisions dated in [start, end], per deciding unit under `paths`,
    by who holds them: people, families, and collectives (clans, villages, units, communes)."""
    from django.db.models import Count

    from suotdoi.organisations.selectors import paths_q

    from .models import Holding, SubjectType

    rows = (
        Holding.objects.filter(
            paths_q(paths, "decision__unit__path"),
            decision__date__gte=start,
            decision__date__lte=end,
            decision__published_at__isnull=False,
            decision__revoked_at__isnull=True,
        )
        .values("decision__unit_id", "decision__criteria_set__subject_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, dict] = {}
    for r in rows:
        kind = r["decision__criteria_set__subject_type"]
        key = {SubjectType.PERSON: "titles_person", SubjectType.FAMILY: "titles_family"}.get(
            kind, "titles_collective"
        )
        d = out.setdefault(
            r["decision__unit_id"], {"titles_person": 0, "titles_family": 0, "titles_collective": 0}
        )
        d[key] += r["n"]
    return out


def public_titles_of(*, unit, year: int) -> list[dict]:
    """How many in the unit's subtree hold each title this year (counts only, for its public
    page)."""
    titles = {s.code: s.title for s in CriteriaSet.objects.order_by("code", "-version")}
    return [
        {"title": titles.get(f.title_code, f.title_code), "holders": f.holders}
        for f in UnitYearFigure.objects.filter(unit=unit, year=year, holders__gt=0).order_by(
            "title_code"
        )
    ]

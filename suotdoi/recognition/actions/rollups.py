"""Roll-ups of titles over units, recomputed from scratch after each decision."""

from __future__ import annotations

from suotdoi.organisations.models import Membership, Unit

from ..models import (
    Decision,
    Holding,
    UnitYearFigure,
)

# --- roll-ups -------------------------------------------------------------------------------


def _rollup_after(d: Decision) -> None:
    subject_units = list(
        Unit.objects.filter(
            pk__in=d.assessments.exclude(subject_unit=None).values("subject_unit")
        ).select_related("unit_type")
    )
    step = Unit.steplen
    for type_code in {u.unit_type.code for u in subject_units}:
        paths = {u.path for u in subject_units if u.unit_type.code == type_code}
        prefixes = {p[:end] for p in paths for end in range(step, len(p), step)}
        rollup_unit_titles(
            title_code=d.criteria_set.code,
            year=d.year,
            units=list(Unit.objects.filter(path__in=prefixes)),
            subject_type_code=type_code,
        )
    people = list(d.assessments.exclude(person=None).values_list("person_id", flat=True))
    if not people:
        return
    paths = set(
        Membership.objects.filter(person_id__in=people, end_date__isnull=True).values_list(
            "unit_path", flat=True
        )
    )
    from suotdoi.organisations.selectors import path_prefixes

    prefixes = path_prefixes(paths)
    units = list(Unit.objects.filter(path__in=prefixes))
    rollup_units(title_code=d.criteria_set.code, year=d.year, units=units)


def rollup_units(*, title_code: str, year: int, units: list[Unit]) -> int:
    """Recompute, from scratch, how many distinct members of each unit's subtree hold the title
    in the year. Reading memberships once per top-most unit, counting people once however
    many memberships they have, and writing every figure in one upsert; running it twice, or
    in any order, gives the same figures."""
    from suotdoi.organisations.selectors import members_by_path

    if not units:
        return 0
    wanted = {u.path: u for u in units}
    holders = set(
        Holding.objects.filter(title_code=title_code, year=year, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    members = members_by_path(wanted)
    figures = [
        UnitYearFigure(
            unit=wanted[p],
            title_code=title_code,
            year=year,
            members=len(m),
            holders=len(m & holders),
        )
        for p, m in members.items()
    ]
    UnitYearFigure.objects.bulk_create(
        figures,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["unit", "title_code", "year"],
        update_fields=["members", "holders", "computed_at"],
    )
    return len(figures)


def rollup_unit_titles(
    *, title_code: str, year: int, units: list[Unit], subject_type_code: str
) -> int:
    """For titles held by units (families, clans, units): how many units of that type each
    unit's subtree holds, and how many of them hold the title (a commune's share of learning
    families). Recomputed from scratch, like `rollup_units`."""
    if not units:
        return 0
    holders = set(
        Holding.objects.filter(title_code=title_code, year=year, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    figures = []
    for u in units:
        below = list(
            Unit.objects.filter(
                path__startswith=u.path, unit_type__code=subject_type_code
            ).values_list("pk", flat=True)
        )
        figures.append(
            UnitYearFigure(
                unit=u,
                title_code=title_code,
                year=year,
                members=len(below),
                holders=len(set(below) & holders),
            )
        )
    UnitYearFigure.objects.bulk_create(
        figures,
        update_conflicts=True,
        unique_fields=["unit", "title_code", "year"],
        update_fields=["members", "holders", "computed_at"],
    )
    return len(figures)

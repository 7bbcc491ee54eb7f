from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from .access import verify_scope_q
from .models import NOT_COUNTING, EntryKind, EntryStatus, LearningEntry, LearningGoal, UnitFigure

COUNTING = ~Q(status__in=NOT_COUNTING)


def entry_list_for(*, person) -> QuerySet[LearningEntry]:
    return (
        LearningEntry.objects.filter(person=person)
        .select_related("unit", "entered_by")
        .prefetch_related("tags")
        .order_by("-start_date", "-id")
    )


def record_summary(*, person, year: int) -> dict:
    """Totals for the record page: by year, by kind this year, verified vs not, goal."""
    qs = LearningEntry.objects.filter(person=person).filter(COUNTING)
    by_year = list(
        qs.values("start_date__year")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("-start_date__year")
    )
    this_year = qs.filter(start_date__year=year)
    by_kind = list(
        this_year.values("kind").annotate(hours=Sum("hours"), n=Count("id")).order_by("-hours")
    )
    labels = dict(EntryKind.choices)
    for row in by_kind:
        row["kind_label"] = labels.get(row["kind"], row["kind"])
    sums = this_year.aggregate(
        total=Sum("hours"), verified=Sum("hours", filter=Q(status=EntryStatus.VERIFIED))
    )
    total = sums["total"] or Decimal("0")
    verified = sums["verified"]
    goal = LearningGoal.objects.filter(person=person, year=year).first()
    return {
        "by_year": by_year,
        "by_kind": by_kind,
        "hours": total,
        "verified_hours": verified or Decimal("0"),
        "goal": goal,
        "goal_percent": min(100, int(total * 100 / goal.hours)) if goal and goal.hours else None,
    }


def verification_queue(*, actor) -> QuerySet[LearningEntry]:
    qs = LearningEntry.objects.filter(status=EntryStatus.PENDING)
    scope = verify_scope_q(actor)
    if scope is not None:
        qs = qs.filter(scope)
    return qs.select_related("person", "unit").order_by("created_at", "id")


def unit_year_months(*, unit, year: int) -> list[dict]:
    """A subtree's learning in a year, month by month (months with nothing are left out)."""
    rows = (
        UnitFigure.objects.filter(unit_path__startswith=unit.path, year=year)
        .values("month")
        .annotate(hours=Sum("hours"), verified=Sum("verified_hours"), entries=Sum("entries"))
        .order_by("month")
    )
    return [dict(r) for r in rows]


def unit_year_hours(*, unit, year: int) -> dict:
    """A subtree's learning in a year: a sum over pre-aggregated unit rows."""
    agg = UnitFigure.objects.filter(unit_path__startswith=unit.path, year=year).aggregate(
        hours=Sum("hours"), verified=Sum("verified_hours"), entries=Sum("entries")
    )
    return {k: v or 0 for k, v in agg.items()}


def learning_by_unit(*, paths, start, end) -> dict[int, dict]:
    """Counting entries dated in [start, end] per unit they belong to, under `paths`:
    distinct learners, entries, hours and verified hours (for periodic reports)."""
    from suotdoi.organisations.selectors import paths_q

    rows = (
        LearningEntry.objects.filter(paths_q(paths), start_date__gte=start, start_date__lte=end)
        .exclude(status__in=NOT_COUNTING)
        .values("unit_id")
        .annotate(
            n_learners=Count("person_id", distinct=True),
            n_entries=Count("pk"),
            n_hours=Sum("hours"),
            n_verified_hours=Sum("hours", filter=Q(status=EntryStatus.VERIFIED)),
            n_verified_learners=Count(
                "person_id", distinct=True, filter=Q(status=EntryStatus.VERIFIED)
            ),
        )
        .order_by()
    )
    return {
        r.pop("unit_id"): {k[2:]: v for k, v in r.items()} for r in rows if r["unit_id"] is not None
    }

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Length, Substr

from suotdoi.organisations.models import Unit

from .models import Task


def rollup(*, campaign, focus: Unit) -> dict:
    """Totals over every task in `focus`'s subtree (one aggregate query)."""
    row = Task.objects.filter(campaign=campaign, unit_path__startswith=focus.path).aggregate(
        tasks=Count("pk"),
        done=Count("pk", filter=Q(done=True)),
        reported=Count("pk", filter=Q(reported_at__isnull=False)),
        sessions=Sum("sessions_held"),
        attendees=Sum("attendees"),
        members=Sum("members"),
        quiz_passed=Sum("quiz_passed"),
        reflections=Sum("reflections_accepted"),
    )
    return _rates(row)


def _rates(row: dict) -> dict:
    row = {k: int(v or 0) for k, v in row.items() if k != "prefix"} | {"prefix": row.get("prefix")}
    row["attendance_pct"] = round(100 * row["attendees"] / row["members"]) if row["members"] else 0
    row["done_pct"] = round(100 * row["done"] / row["tasks"]) if row["tasks"] else 0
    return row


def rows_at_depth(*, campaign, root: Unit, depth: int) -> list[dict]:
    """Every unit at `depth` below `root` that has tasks under it, rolled up (one query)."""
    width = depth * Unit.steplen
    groups = (
        Task.objects.filter(campaign=campaign, unit_path__startswith=root.path)
        .annotate(prefix=Substr("unit_path", 1, width), n=Length("unit_path"))
        .filter(n__gte=width)
        .values("prefix")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(done=True)),
            reported=Count("pk", filter=Q(reported_at__isnull=False)),
            sessions=Sum("sessions_held"),
            attendees=Sum("attendees"),
            members=Sum("members"),
        )
        .order_by("prefix")
    )
    rows = [_rates(g) for g in groups]
    units = {u.path: u for u in Unit.objects.filter(path__in=[r["prefix"] for r in rows])}
    return [r | {"unit": units[r["prefix"]]} for r in rows if r["prefix"] in units]


def task_depths(*, campaign) -> list[int]:
    lengths = (
        Task.objects.filter(campaign=campaign)
        .annotate(n=Length("unit_path"))
        .values_list("n", flat=True)
        .distinct()
    )
    return sorted({n // Unit.steplen for n in lengths})


def dashboard_rows(*, campaign, focus: Unit) -> list[dict]:
    """One row per child of `focus` that has tasks below it (or is one), rolled up over its
    subtree from the tasks' counters: one grouped query, whatever the size of the tree."""
    width = (focus.depth + 1) * Unit.steplen
    groups = (
        Task.objects.filter(campaign=campaign, unit_path__startswith=focus.path)
        .exclude(unit_path=focus.path)
        .annotate(prefix=Substr("unit_path", 1, width))
        .values("prefix")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(done=True)),
            reported=Count("pk", filter=Q(reported_at__isnull=False)),
            sessions=Sum("sessions_held"),
            attendees=Sum("attendees"),
            members=Sum("members"),
        )
        .order_by()
    )
    rows = {g["prefix"]: _rates(g) for g in groups}
    units = {
        u.path: u
        for u in Unit.objects.filter(path__in=list(rows)).only("pk", "name", "path", "depth")
    }
    out = []
    for prefix, row in rows.items():
        unit = units.get(prefix)
        if unit is None:
            continue
        row["unit"] = unit
        row["lagging"] = row["done"] < row["tasks"]
        out.append(row)
    return out

"""Reads of periodic reports: who reports in a period and for which units (the tree as it was
at the period's end), the figures of each unit's own rows, consolidations, and the figures a
unit's dashboard shows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.models import Unit
from suotdoi.organisations.selectors import (
    members_by_unit_at,
    memberships_at,
    parent_map_at,
    paths_q,
)

from . import rules
from .models import Period, Report, UnitYear

# The figures the system computes for a unit's own rows over a period.
SOURCES = {
    "members": _("members at the end of the period"),
    "learners": _("people who learned"),
    "entries": _("learning entries"),
    "hours": _("hours of learning"),
    "verified_hours": _("verified hours"),
    "verified_learners": _("people with verified learning"),
    "sessions": _("sessions held"),
    "attendances": _("check-ins at sessions"),
    "tasks": _("campaign tasks ended in the period"),
    "tasks_done": _("campaign tasks done"),
    "titles_person": _("titles for people"),
    "titles_family": _("titles for families"),
    "titles_collective": _("titles for collectives"),
    "credits": _("recognised credit"),
    "fund_paid": _("fund money paid for learning (đồng)"),
    "fund_people": _("people whose learning a fund paid"),
    "contestants": _("people who sat an online contest"),
}


def structure(*, unit: Unit, ends_on, type_codes) -> list[dict]:
    """Who reports in a period opened by `unit`: the opener and every unit of its subtree (as
    it stood at the period's end) of the given types that was still open then. Each report
    covers its own rows — itself, the units below it that do not report, and the units merged
    into any of those — and goes to the nearest reporting unit above it."""
    parents = parent_map_at(tree_key=unit.tree_key, on=ends_on)
    info = {
        pk: (code, active_to, merged_into)
        for pk, code, active_to, merged_into in Unit.objects.filter(
            tree_key=unit.tree_key
        ).values_list("pk", "unit_type__code", "active_to", "merged_into_id")
    }
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parents.items():
        children[parent].append(child)
    order, todo = [], [unit.pk]
    while todo:
        current = todo.pop()
        order.append(current)
        todo.extend(sorted(children.get(current, []), reverse=True))
    types = set(type_codes)

    def reports(pk) -> bool:
        code, active_to, _merged = info[pk]
        return pk == unit.pk or (code in types and (active_to is None or active_to > ends_on))

    owner: dict[int, int] = {}
    for pk in order:  # parents come before their children
        owner[pk] = pk if reports(pk) else owner[parents[pk]]
    inside = set(order)
    for pk in order:
        target, seen = info[pk][2], {pk}
        while target is not None and info.get(target, (0, 0, None))[2] and target not in seen:
            seen.add(target)
            target = info[target][2]
        if target is not None and target in inside and not reports(pk):
            owner[pk] = owner[target]
    own: dict[int, list[int]] = defaultdict(list)
    for pk, o in owner.items():
        own[o].append(pk)
    return [
        {
            "unit": pk,
            "parent": None if pk == unit.pk else owner[parents[pk]],
            "own": sorted(own[pk]),
        }
        for pk in order
        if owner[pk] == pk
    ]


def unit_paths(unit_ids) -> dict[int, str]:
    ids = sorted(set(unit_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), 900):
        out.update(Unit.objects.filter(pk__in=ids[i : i + 900]).values_list("pk", "path"))
    return out


def covering_paths(unit_ids) -> list[str]:
    """The fewest path prefixes (today's tree) that cover the given units."""
    roots: list[str] = []
    for p in sorted(unit_paths(unit_ids).values()):
        if not roots or not p.startswith(roots[-1]):
            roots.append(p)
    return roots


def own_figures(*, owners: dict[int, int], start, end) -> dict[int, dict[str, Decimal]]:
    """For each report (by its unit), the system's figures of its own rows over [start, end]:
    every unit in `owners` (unit → the reporting unit it belongs to) adds to its owner.
    One grouped query per source over the covering paths, whatever the number of reports."""
    from suotdoi.campaigns.selectors import campaign_work_by_unit
    from suotdoi.contests.selectors import contestants_by_path
    from suotdoi.credits.selectors import credits_by_person
    from suotdoi.funding.selectors import spending_by_unit
    from suotdoi.recognition.selectors import titles_by_unit
    from suotdoi.records.selectors import learning_by_unit

    paths = covering_paths(owners)
    out: dict[int, dict[str, Decimal]] = {
        o: {code: Decimal(0) for code in SOURCES} for o in set(owners.values())
    }

    def add(unit_id, figures: dict) -> None:
        owner = owners.get(unit_id)
        if owner is None:
            return
        bucket = out[owner]
        for code, value in figures.items():
            if code in bucket and value:
                bucket[code] += Decimal(value)

    for unit_id, n in members_by_unit_at(paths=paths, on=end).items():
        add(unit_id, {"members": n})
    for source in (learning_by_unit, campaign_work_by_unit, titles_by_unit, spending_by_unit):
        for unit_id, figures in source(paths=paths, start=start, end=end).items():
            add(unit_id, figures)
    by_path = dict(Unit.objects.filter(paths_q(paths, "path")).values_list("path", "pk"))
    for path, n in contestants_by_path(paths=paths, start=start, end=end).items():
        add(by_path.get(path), {"contestants": n})
    credits = credits_by_person(start=start, end=end)
    if credits:
        placed: set[int] = set()
        for person_id, unit_id in sorted(memberships_at(paths=paths, on=end, person_ids=credits)):
            if person_id not in placed and unit_id in owners:
                placed.add(person_id)  # one unit per person: credit is not counted twice
                add(unit_id, {"credits": credits[person_id]})
    return out


def period_reports(period: Period) -> list[Report]:
    return list(
        Report.objects.filter(period=period).select_related("unit__unit_type").order_by("unit_path")
    )


def totals(reports: list[Report], items) -> dict[int, dict]:
    """Every report's consolidated figures at once: its own rows plus its accepted children's
    totals; a submitted or accepted report counts with what it sent."""
    by_parent: dict[int | None, list[Report]] = defaultdict(list)
    for r in reports:
        by_parent[r.parent_id].append(r)
    memo: dict[int, dict] = {}

    def total(r: Report) -> dict:
        if r.pk not in memo:
            if r.consolidated is not None and r.status in (Report.SUBMITTED, Report.ACCEPTED):
                memo[r.pk] = r.consolidated
            else:
                accepted = [
                    total(c) for c in by_parent.get(r.pk, []) if c.status == Report.ACCEPTED
                ]
                memo[r.pk] = rules.consolidate(items, r.values, accepted)
        return memo[r.pk]

    # Deepest first, so that no recursion goes deeper than one level.
    for r in sorted(reports, key=lambda r: -len(r.unit_path)):
        total(r)
    return memo


def subtree_reports(report: Report) -> list[Report]:
    """The reports that go (directly or not) into `report`: those under its unit in today's
    tree, plus any whose unit has moved out of it since the period's end (its report still
    goes here, with its own subtree)."""
    base = Report.objects.filter(period_id=report.period_id).select_related("unit__unit_type")
    found = {r.pk: r for r in base.filter(unit_path__startswith=report.unit_path)}
    moved = base.filter(parent__unit_path__startswith=report.unit_path).exclude(
        unit_path__startswith=report.unit_path
    )
    for m in moved:
        for r in base.filter(unit_path__startswith=m.unit_path):
            found.setdefault(r.pk, r)
    return list(found.values())


def consolidation(report: Report, reports: list[Report] | None = None) -> dict:
    """The report's figures with its accepted children's: `values` (own plus accepted
    children), `children` (each child report with its figures), `missing` (children not
    accepted, left out)."""
    if reports is None:
        reports = subtree_reports(report)
    if not any(r.pk == report.pk for r in reports):
        reports.append(report)
    sums = totals(reports, report.period.form.items())
    kids = sorted((r for r in reports if r.parent_id == report.pk), key=lambda r: r.unit.name)
    return {
        "values": sums[report.pk],
        "children": [(c, sums[c.pk]) for c in kids],
        "missing": [c for c in kids if c.status != Report.ACCEPTED],
        "sums": sums,
    }


def previous_values(report: Report) -> dict | None:
    """What the unit reported in the previous period of the same form (accepted), if any."""
    prev = (
        Report.objects.filter(
            unit_id=report.unit_id,
            status=Report.ACCEPTED,
            period__form__code=report.period.form.code,
            period__ends_on__lt=report.period.starts_on,
        )
        .order_by("-period__ends_on")
        .values_list("values", flat=True)
        .first()
    )
    return prev


SIZE_BANDS = [(0, 50), (50, 200), (200, 1000), (1000, None)]
RATES = ("participation", "hours_per_member", "verified_share", "tasks_rate")


def size_band(members: int) -> int:
    for i, (low, high) in enumerate(SIZE_BANDS):
        if members >= low and (high is None or members < high):
            return i
    return 0


def rates(f: dict) -> dict:
    def share(a, b, scale=100, places="0.1"):
        return (
            (Decimal(scale) * Decimal(f[a]) / Decimal(f[b])).quantize(Decimal(places))
            if f[b]
            else None
        )

    return {
        "participation": share("learners", "members"),
        "hours_per_member": share("hours", "members", 1, "0.01"),
        "verified_share": share("verified_hours", "hours"),
        "tasks_rate": share("tasks_done", "tasks"),
    }


def median(values):
    xs = sorted(v for v in values if v is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else ((xs[mid - 1] + xs[mid]) / 2).quantize(Decimal("0.01"))


FIGURES = (
    "members",
    "learners",
    "hours",
    "verified_hours",
    "sessions",
    "attendances",
    "tasks",
    "tasks_done",
    "titles",
    "credits",
    "fund_paid",
    "contestants",
)


def dashboard(*, unit: Unit, year: int) -> dict:
    """A unit's year from the nightly figures: its totals and rates, and each child unit's
    with the median of children of the same size band (one grouped query), and the months
    of learning from the live monthly figures."""
    from django.db.models import Max, Min, Sum
    from django.db.models.functions import Substr

    from suotdoi.organisations.selectors import unit_children
    from suotdoi.records.selectors import unit_year_months

    width = (unit.depth + 1) * Unit.steplen
    grouped = (
        UnitYear.objects.filter(unit_path__startswith=unit.path, year=year)
        .annotate(prefix=Substr("unit_path", 1, width))
        .values("prefix")
        .annotate(
            **{f"s_{f}": Sum(f) for f in FIGURES},
            newest=Max("computed_at"),
            oldest=Min("computed_at"),
        )
        .order_by()
    )
    by_prefix = {r["prefix"]: {k.removeprefix("s_"): v for k, v in r.items()} for r in grouped}
    zero = dict.fromkeys(FIGURES, 0)
    total = {f: sum((r[f] or 0) for r in by_prefix.values()) for f in FIGURES}
    rows = []
    for child in unit_children(unit=unit):
        f = {k: (by_prefix.get(child.path, zero)[k] or 0) for k in FIGURES}
        rows.append(
            {"unit": child, "figures": f, "rates": rates(f), "band": size_band(f["members"])}
        )
    medians = {}
    for band in {r["band"] for r in rows}:
        peers = [r for r in rows if r["band"] == band]
        medians[band] = {k: median(r["rates"][k] for r in peers) for k in RATES}
    for r in rows:
        r["median"] = medians[r["band"]]
        r["peers"] = sum(1 for x in rows if x["band"] == r["band"])
    times = [r["oldest"] for r in by_prefix.values() if r["oldest"]]
    return {
        "total": total,
        "rates": rates(total),
        "children": rows,
        "months": unit_year_months(unit=unit, year=year),
        "as_of": min(times) if times else None,
    }

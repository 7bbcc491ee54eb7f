"""Reads about units and memberships. Callers pass units already fetched through access."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from suotdoi.core.text import fold

from .models import Membership, Role, Unit
from .policies import STAFF_ROLES


def unit_children(*, unit: Unit) -> QuerySet[Unit]:
    """Direct children in order, with the size of each child's subtree pre-summed."""
    return (
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .select_related("unit_type")
        .order_by("path")
    )


def unit_subtree_member_count(*, unit: Unit) -> int:
    """Active memberships in the unit and everything below it: a sum over unit rows."""
    total = Unit.objects.filter(path__startswith=unit.path).aggregate(n=Sum("member_count"))["n"]
    return int(total or 0)


def unit_subtree_counts(*, units: list[Unit]) -> dict[int, dict[str, int]]:
    """For each unit: members in its subtree and number of units below it.

    One grouped query per distinct depth (a page of children is one query), summing the
    pre-aggregated unit rows by path prefix.
    """
    from django.db.models.functions import Substr

    result: dict[int, dict[str, int]] = {u.pk: {"members": 0, "units": 0} for u in units}
    by_depth: dict[int, list[Unit]] = {}
    for u in units:
        by_depth.setdefault(u.depth, []).append(u)
    for depth, group in by_depth.items():
        width = depth * Unit.steplen
        by_path = {u.path: u.pk for u in group}
        q = Q()
        for path in by_path:
            q |= Q(path__startswith=path)
        rows = (
            Unit.objects.filter(q)
            .annotate(prefix=Substr("path", 1, width))
            .values("prefix")
            .annotate(members=Sum("member_count"), units=Count("pk"))
            .order_by()
        )
        for row in rows:
            pk = by_path.get(row["prefix"])
            if pk is not None:
                result[pk] = {"members": int(row["members"] or 0), "units": row["units"] - 1}
    return result


def unit_officers(*, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit, end_date__isnull=True, role__in=STAFF_ROLES)
        .select_related("person")
        .order_by("person_name_sort")
    )


def unit_ancestors(*, unit: Unit) -> list[Unit]:
    paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def membership_list(
    *,
    unit: Unit,
    include_subtree: bool = True,
    query: str = "",
    role: str = "",
    unit_type: str = "",
    active: str = "active",
) -> QuerySet[Membership]:
    """Members of a unit (and its subtree), sorted by given name.

    Search is diacritic-blind: "nguyen thi" finds "Nguyễn Thị", "dang" finds "Đặng"; phone
    numbers match in their 09x form too.
    """
    qs = Membership.objects.all()
    qs = qs.filter(unit_path__startswith=unit.path) if include_subtree else qs.filter(unit=unit)
    if active == "active":
        qs = qs.filter(end_date__isnull=True)
    elif active == "ended":
        qs = qs.filter(end_date__isnull=False)
    if role in Role.values:
        qs = qs.filter(role=role)
    if unit_type:
        qs = qs.filter(unit__unit_type__code=unit_type)
    folded = fold(query)
    if folded:
        for word in folded.split(" ")[:5]:
            qs = qs.filter(person__search_text__contains=word)
    return qs.select_related("person", "unit", "unit__unit_type").order_by("person_name_sort", "id")


def memberships_of(*, person, active_only: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.filter(person=person)
    if active_only:
        qs = qs.filter(end_date__isnull=True)
    return qs.select_related("unit", "unit__unit_type").order_by("unit__path")


def unit_search(*, scope: Q | None, query: str, limit: int = 20) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("unit_type")
    if scope is not None:
        qs = qs.filter(scope)
    for word in fold(query).split(" ")[:5]:
        if word:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("depth", "path")[:limit]


def units_in_subtree_at(*, unit: Unit, on) -> set[int]:
    """The units that were in `unit`'s subtree on a past date, from the parent history.

    A unit whose first recorded parent starts after `on` counts under that first parent.
    """
    from .models import UnitParentPeriod

    chosen: dict[int, tuple] = {}
    periods = UnitParentPeriod.objects.filter(unit__tree_key=unit.tree_key).values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    )
    for unit_id, parent_id, start, end in periods:
        valid = start <= on and (end is None or end > on)
        best = chosen.get(unit_id)
        if valid:
            chosen[unit_id] = (0, start, parent_id)
        elif best is None or (best[0] == 1 and start < best[1]):
            chosen[unit_id] = (1, start, parent_id)
    children: dict[int | None, list[int]] = {}
    for unit_id, (_rank, _start, parent_id) in chosen.items():
        children.setdefault(parent_id, []).append(unit_id)
    found, todo = {unit.pk}, [unit.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def membership_count_at(*, unit: Unit, on, include_subtree: bool = True) -> int:
    """Members on a past date: memberships that had started and not yet ended that day, in
    the units that formed the subtree on that date.

    Memberships are ended, never deleted; merges end them on the effective date and moves
    keep the parent history, so a report for a date before a merge or a move stays true.
    """
    ids = units_in_subtree_at(unit=unit, on=on) if include_subtree else {unit.pk}
    active = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    total = 0
    ordered = sorted(ids)
    for i in range(0, len(ordered), 900):
        total += Membership.objects.filter(active, unit_id__in=ordered[i : i + 900]).count()
    return total


def unit_roots_for(*, person) -> list[Unit]:
    """The top units of the person's staff grants (each covers its subtree)."""
    from .access import grants_for

    if person.is_superuser:
        return list(Unit.get_root_nodes().select_related("unit_type"))
    ids = {g.unit_id for g in grants_for(person)}
    units = list(Unit.objects.filter(pk__in=ids).select_related("unit_type").order_by("path"))
    roots: list[Unit] = []
    for u in units:
        if not any(u.path.startswith(r.path) for r in roots):
            roots.append(u)
    return roots


def path_prefixes(paths) -> set[str]:
    """Every unit path at or above the given ones (the units they sit in)."""
    step = Unit.steplen
    return {p[:end] for p in paths for end in range(step, len(p) + 1, step)}


def member_path_prefixes(person) -> set[str]:
    """The paths of the units a person is an active member of, and of every unit above them:
    what "for members of this unit (or below)" filters compare with."""
    paths = Membership.objects.filter(person=person, end_date__isnull=True).values_list(
        "unit_path", flat=True
    )
    return path_prefixes(paths)


def members_by_path(paths) -> dict[str, set[int]]:
    """For each unit path, the distinct people with an active membership in that unit or
    below it (a person with several memberships counts once). Memberships are read once per
    top-most path, whatever the number of paths asked."""
    wanted: dict[str, set[int]] = {p: set() for p in paths}
    roots: list[str] = []
    for p in sorted(wanted):
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    step = Unit.steplen
    for root in roots:
        rows = Membership.objects.filter(
            unit_path__startswith=root, end_date__isnull=True
        ).values_list("person_id", "unit_path")
        for person_id, path in rows.iterator(chunk_size=20_000):
            for end in range(len(root), len(path) + 1, step):
                bucket = wanted.get(path[:end])
                if bucket is not None:
                    bucket.add(person_id)
    return wanted


def member_ids_below(*, unit: Unit, person_ids) -> set[int]:
    """Which of `person_ids` hold an active membership somewhere in `unit`'s subtree."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    found: set[int] = set()
    for i in range(0, len(ids), 900):
        found.update(
            Membership.objects.filter(
                person_id__in=ids[i : i + 900],
                unit_path__startswith=unit.path,
                end_date__isnull=True,
            ).values_list("person_id", flat=True)
        )
    return found


def person_known_to(*, actor, person) -> bool:
    """Whether `person` already belongs (an active membership) to a unit where `actor` manages
    members. Lookups by phone, citizen ID or email answer only within that scope."""
    from .access import scope_q
    from .policies import Capability

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    q = scope_q(actor, Capability.MANAGE_MEMBERS, field="unit_path")
    qs = Membership.objects.filter(person=person, end_date__isnull=True)
    if q is not None:
        qs = qs.filter(q)
    return qs.exists()


def invitations_for(*, person):
    """Invitations waiting for `person`'s answer, newest first."""
    from .models import InvitationStatus, MembershipInvitation

    return (
        MembershipInvitation.objects.filter(person=person, status=InvitationStatus.PENDING)
        .select_related("unit__unit_type", "invited_by")
        .order_by("-created_at")
    )


def invitations_sent(*, unit: Unit):
    """Invitations of `unit` still waiting (shown without the invited person's details)."""
    from .models import InvitationStatus, MembershipInvitation

    return MembershipInvitation.objects.filter(unit=unit, status=InvitationStatus.PENDING).order_by(
        "-created_at"
    )


def parent_map_at(*, tree_key: str, on) -> dict[int, int | None]:
    """Each unit of a tree with its parent on a date: the parent history where it was kept,
    the present tree for units without history (bulk-loaded ones)."""
    from .models import UnitParentPeriod

    rows = list(Unit.objects.filter(tree_key=tree_key).values_list("pk", "path"))
    by_path = {path: pk for pk, path in rows}
    step = Unit.steplen
    parents: dict[int, int | None] = {pk: by_path.get(path[:-step]) for pk, path in rows}
    chosen: dict[int, tuple] = {}
    periods = UnitParentPeriod.objects.filter(unit__tree_key=tree_key).values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    )
    for unit_id, parent_id, start, end in periods:
        valid = start <= on and (end is None or end > on)
        best = chosen.get(unit_id)
        if valid:
            chosen[unit_id] = (0, start, parent_id)
        elif best is None or (best[0] == 1 and start < best[1]):
            chosen[unit_id] = (1, start, parent_id)
    for unit_id, (_rank, _start, parent_id) in chosen.items():
        parents[unit_id] = parent_id
    return parents


def paths_q(paths, field: str = "unit_path") -> Q:
    """Rows under any of the given unit paths (a few prefixes, not a list of ids)."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def members_by_unit_at(*, paths, on) -> dict[int, int]:
    """Memberships active on a date, counted per unit, for the units under `paths`."""
    active = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    rows = (
        Membership.objects.filter(active, paths_q(paths))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["unit_id"]: row["n"] for row in rows}


def memberships_at(*, paths, on, person_ids) -> list[tuple[int, int]]:
    """(person, unit) of the memberships active on a date under `paths`, for these people."""
    active = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    ids = sorted(set(person_ids))
    out: list[tuple[int, int]] = []
    for i in range(0, len(ids), 900):
        out += list(
            Membership.objects.filter(
                active, paths_q(paths), person_id__in=ids[i : i + 900]
            ).values_list("person_id", "unit_id")
        )
    return out

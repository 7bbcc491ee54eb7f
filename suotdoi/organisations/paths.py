"""One owner for a unit's materialised path, and the registry of every copy of it.

Tables that scope rows by a unit's subtree keep a copy of the unit's path (a prefix filter on an
indexed column beats a join on a national tree). Each copy is registered here by the app that
owns the table, with what it means:

- `CURRENT` — "where the unit is now": queues, scopes, roll-ups of current figures. `unit_move`
  rewrites these copies in the same transaction, one set-based UPDATE per table.
- `THEN` — "where the unit was then": kept as written. Reports for a past date do not read such
  copies; they walk `UnitParentPeriod` (see ADR 0006).

A test fails when a model has a path-like column that is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Value
from django.db.models.functions import Concat, Substr

CURRENT = "current"
THEN = "then"


@dataclass(frozen=True)
class PathCopy:
    model: type
    field: str
    meaning: str
    note: str = ""
    unit_field: str = ""  # the lookup of the unit whose path this copies, where there is one

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


_REGISTRY: dict[str, PathCopy] = {}


def register_path_copy(
    model, field: str, *, meaning: str, note: str = "", unit_field: str = ""
) -> None:
    if meaning not in (CURRENT, THEN):
        raise ValueError(meaning)
    copy = PathCopy(model=model, field=field, meaning=meaning, note=note, unit_field=unit_field)
    _REGISTRY[copy.label] = copy


def path_copies() -> list[PathCopy]:
    return sorted(_REGISTRY.values(), key=lambda c: c.label)


def refresh_path_copies(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """After a subtree moved from `old_prefix` to `new_prefix`: rewrite every CURRENT copy that
    starts with the old prefix. Call inside the move's transaction."""
    if not old_prefix or old_prefix == new_prefix:
        return {}
    counts = {}
    cut = len(old_prefix) + 1
    for copy in path_copies():
        if copy.meaning != CURRENT:
            continue
        f = copy.field
        counts[copy.label] = copy.model._base_manager.filter(
            **{f"{f}__startswith": old_prefix}
        ).update(**{f: Concat(Value(new_prefix), Substr(f, cut))})
    return counts


_MERGE_HOOKS: list = []


def register_merge_hook(hook) -> None:
    """`hook(source=, target=)` runs inside `unit_merge`'s transaction: an app re-points the
    merged unit's live work (a queue, for instance) to the unit that absorbed it. What already
    happened stays with the merged unit, which keeps its place in the tree, closed."""
    if hook not in _MERGE_HOOKS:
        _MERGE_HOOKS.append(hook)


def run_merge_hooks(*, source, target) -> dict[str, int]:
    return {hook.__qualname__: hook(source=source, target=target) for hook in _MERGE_HOOKS}


def path_copy_mismatches(limit: int = 20) -> dict[str, list]:
    """CURRENT copies that differ from their unit's path now (empty when all is well): for
    tests, and for an operator's check after a repair."""
    from django.db.models import F

    out = {}
    for copy in path_copies():
        if copy.meaning != CURRENT or not copy.unit_field:
            continue
        rows = list(
            copy.model._base_manager.filter(**{f"{copy.unit_field}__isnull": False})
            .exclude(**{copy.field: F(f"{copy.unit_field}__path")})
            .values_list("pk", copy.field, f"{copy.unit_field}__path")[:limit]
        )
        if rows:
            out[copy.label] = rows
    return out

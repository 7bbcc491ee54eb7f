"""The rubric engine: pure functions from a criteria set's rules and an assessment's values to
an outcome. No database here, so the rules can be tested exhaustively.

A set's indicators each have a measure:
  - points: an evaluator's score between 0 and `max_points`;
  - yes_no: a condition, met or not (worth `max_points` when met, for point rules);
  - record: a number computed from the learning record (hours in the year…), worth
    `max_points` × value / target, capped; "met" when value ≥ target;
  - share: the percentage of the subject's members holding another title; "met" when
    percentage ≥ target; worth points in proportion, like record.

Pass rules:
  - points: passed when total ≥ `pass_total` and no indicator scores below `min_each`;
    `bands` (e.g. Tốt ≥ 85, Khá ≥ 70, Trung bình ≥ 50) name the outcome when given;
  - levels: indicators carry a level (1, 2…); the outcome is the highest level L such that
    every indicator of level ≤ L is met (level 0 indicators are required for any level).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

POINTS, YES_NO, RECORD, SHARE = "points", "yes_no", "record", "share"
RULE_POINTS, RULE_LEVELS = "points", "levels"


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    measure: str
    max_points: Decimal = Decimal("10")
    target: Decimal = Decimal("0")  # record/share: value needed to be met / for full points
    level: int = 0  # for level rules


@dataclass(frozen=True)
class SetRule:
    kind: str  # RULE_POINTS | RULE_LEVELS
    indicators: tuple[IndicatorRule, ...]
    pass_total: Decimal = Decimal("0")
    min_each: Decimal = Decimal("0")
    bands: tuple[tuple[str, Decimal], ...] = ()  # (label, minimum total), highest first
    pass_label: str = "Đạt"  # noqa: S105 - a label, not a password
    fail_label: str = "Không đạt"
    level_labels: tuple[str, ...] = ()  # label of level 1, 2…


@dataclass
class Outcome:
    passed: bool
    label: str
    total: Decimal = Decimal("0")
    level: int = 0
    points: dict[str, Decimal] = field(default_factory=dict)
    unmet: list[str] = field(default_factory=list)  # indicators holding the outcome back


def _d(value) -> Decimal:
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, bool):
        return Decimal(1 if value else 0)
    return Decimal(str(value))


def points_of(ind: IndicatorRule, value) -> Decimal:
    """The points an indicator earns for a value (rounded to 0.1)."""
    v = _d(value)
    if ind.measure == POINTS:
        p = max(Decimal("0"), min(v, ind.max_points))
    elif ind.measure == YES_NO:
        p = ind.max_points if v > 0 else Decimal("0")
    else:  # record, share: proportional to the target, capped
        if ind.target <= 0:
            p = ind.max_points
        else:
            p = min(ind.max_points, ind.max_points * max(v, Decimal("0")) / ind.target)
    return p.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_met(ind: IndicatorRule, value) -> bool:
    v = _d(value)
    if ind.measure == YES_NO:
        return v > 0
    if ind.measure == POINTS:
        return v >= ind.max_points if ind.target <= 0 else v >= ind.target
    return v >= ind.target


def evaluate(rule: SetRule, values: dict[str, object]) -> Outcome:
    """The outcome for `values` (indicator code → value; a missing value counts as 0/no)."""
    if rule.kind == RULE_LEVELS:
        met = {i.code: is_met(i, values.get(i.code)) for i in rule.indicators}
        levels = sorted({i.level for i in rule.indicators if i.level > 0})
        reached = 0
        unmet: list[str] = []
        base_ok = all(met[i.code] for i in rule.indicators if i.level == 0)
        if not base_ok:
            unmet = [i.code for i in rule.indicators if i.level == 0 and not met[i.code]]
        else:
            for lv in levels:
                missing = [i.code for i in rule.indicators if 0 < i.level <= lv and not met[i.code]]
                if missing:
                    unmet = missing
                    break
                reached = lv
        label = (
            rule.level_labels[reached - 1]
            if reached and reached <= len(rule.level_labels)
            else (f"Mức {reached}" if reached else rule.fail_label)
        )
        return Outcome(passed=reached > 0, label=label, level=reached, unmet=unmet)
    points = {i.code: points_of(i, values.get(i.code)) for i in rule.indicators}
    total = sum(points.values(), Decimal("0"))
    low = [c for c, p in points.items() if p < rule.min_each]
    passed = total >= rule.pass_total and not low
    label = rule.pass_label if passed else rule.fail_label
    if rule.bands:
        label = rule.fail_label
        for band, minimum in rule.bands:
            if total >= minimum and not low:
                label = band
                break
        passed = label != rule.fail_label and total >= rule.pass_total and not low
    unmet = low if low else ([] if passed else [c for c, p in points.items() if p < _max(rule, c)])
    return Outcome(passed=passed, label=label, total=total, points=points, unmet=unmet)


def _max(rule: SetRule, code: str) -> Decimal:
    return next(i.max_points for i in rule.indicators if i.code == code)

"""The rubric engine, exhaustively: pass rules, edges, monotonicity, levels."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from suotdoi.recognition import engine
from suotdoi.recognition.engine import IndicatorRule, SetRule

D = Decimal
TEN = tuple(IndicatorRule(code=f"i{n}", measure=engine.POINTS, max_points=D(10)) for n in range(10))
CDHT = SetRule(kind=engine.RULE_POINTS, indicators=TEN, pass_total=D(80), min_each=D(5))
scores = st.decimals(min_value=0, max_value=10, places=1, allow_nan=False, allow_infinity=False)


@given(st.lists(scores, min_size=10, max_size=10))
def test_points_rule_is_total_at_least_80_and_none_below_5(values):
    out = engine.evaluate(CDHT, {f"i{n}": v for n, v in enumerate(values)})
    assert out.total == sum(values)
    assert out.passed == (sum(values) >= 80 and min(values) >= 5)


@given(st.lists(scores, min_size=10, max_size=10), st.integers(0, 9), scores)
def test_raising_one_score_never_lowers_the_outcome(values, i, extra):
    before = engine.evaluate(CDHT, {f"i{n}": v for n, v in enumerate(values)})
    raised = list(values)
    raised[i] = max(raised[i], extra)
    after = engine.evaluate(CDHT, {f"i{n}": v for n, v in enumerate(raised)})
    assert after.total >= before.total
    assert after.passed or not before.passed


def test_the_edges_79_9_and_80_and_4_9_and_5():
    base = {f"i{n}": D(8) for n in range(10)}  # 80
    assert engine.evaluate(CDHT, base).passed
    assert not engine.evaluate(CDHT, base | {"i0": D("7.9")}).passed  # 79.9
    low = base | {"i0": D("4.9"), "i1": D(10), "i2": D(10)}  # 84.9, one below 5
    out = engine.evaluate(CDHT, low)
    assert not out.passed and out.unmet == ["i0"]
    assert engine.evaluate(CDHT, low | {"i0": D(5)}).passed


def test_missing_values_count_as_zero_and_scores_are_capped():
    assert engine.evaluate(CDHT, {}).total == 0
    assert engine.evaluate(CDHT, {"i0": D(15)}).points["i0"] == 10
    assert engine.evaluate(CDHT, {"i0": D(-3)}).points["i0"] == 0


def test_record_measures_earn_points_in_proportion_to_their_target():
    hours = IndicatorRule(code="h", measure=engine.RECORD, max_points=D(10), target=D(40))
    assert engine.points_of(hours, 20) == D(5)
    assert engine.points_of(hours, 40) == D(10)
    assert engine.points_of(hours, 400) == D(10)
    assert engine.is_met(hours, D("39.9")) is False and engine.is_met(hours, 40) is True


UNIT = SetRule(
    kind=engine.RULE_LEVELS,
    indicators=(
        IndicatorRule(code="s90", measure=engine.SHARE, target=D(90), level=1),
        IndicatorRule(code="s95", measure=engine.SHARE, target=D(95), level=2),
        IndicatorRule(code="share", measure=engine.YES_NO, level=1),
        IndicatorRule(code="ldtt", measure=engine.YES_NO, level=1),
        IndicatorRule(code="ldxs", measure=engine.YES_NO, level=2),
    ),
    level_labels=("Mức 1", "Mức 2"),
)


def _unit(pct, share=True, ldtt=True, ldxs=False):
    return engine.evaluate(
        UNIT, {"s90": pct, "s95": pct, "share": share, "ldtt": ldtt, "ldxs": ldxs}
    )


def test_unit_levels_at_their_edges():
    assert _unit(D(89)).label == "Không đạt"
    assert _unit(D("89.9")).level == 0
    assert _unit(D(90)).label == "Mức 1"
    assert _unit(D(95)).level == 1  # 95% but not Tập thể lao động xuất sắc
    assert _unit(D("94.9"), ldxs=True).level == 1
    assert _unit(D(95), ldxs=True).label == "Mức 2"
    assert _unit(D(99), ldtt=False, ldxs=True).level == 0  # a level-1 condition missing


@settings(max_examples=200)
@given(
    st.decimals(min_value=0, max_value=100, places=1), st.booleans(), st.booleans(), st.booleans()
)
def test_unit_level_follows_the_rule(pct, share, ldtt, ldxs):
    out = _unit(pct, share, ldtt, ldxs)
    level1 = pct >= 90 and share and ldtt
    level2 = level1 and pct >= 95 and ldxs
    assert out.level == (2 if level2 else 1 if level1 else 0)


def test_bands_name_the_outcome():
    rule = SetRule(
        kind=engine.RULE_POINTS,
        indicators=TEN,
        pass_total=D(50),
        bands=(("Tốt", D(85)), ("Khá", D(70)), ("Trung bình", D(50))),
    )
    assert engine.evaluate(rule, {f"i{n}": D("8.5") for n in range(10)}).label == "Tốt"
    assert engine.evaluate(rule, {f"i{n}": D("8.4") for n in range(10)}).label == "Khá"
    assert engine.evaluate(rule, {f"i{n}": D(5) for n in range(10)}).label == "Trung bình"
    out = engine.evaluate(rule, {f"i{n}": D("4.9") for n in range(10)})
    assert out.label == "Không đạt" and not out.passed

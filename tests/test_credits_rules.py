"""#21: the rules of credit as data, over random records (hypothesis): each module counts up to
its credits, earlier learning up to the transfer cap (at most 50 %, TT 08/2021), no year beyond
the yearly cap, no result older than the programme allows, nothing revoked or expired; mandatory
modules must be full; a programme whose requirements do not add up is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from suotdoi.credits import rules
from suotdoi.credits.rules import Line, ModuleRule, ProgrammeRule

TODAY = dt.date(2026, 12, 1)
halves = st.integers(min_value=1, max_value=20).map(lambda n: Decimal(n) / 2)


@st.composite
def programmes(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    modules = tuple(ModuleRule(f"M{i}", draw(halves) * 2, draw(st.booleans())) for i in range(n))
    total = sum(m.credits for m in modules)
    return ProgrammeRule(
        min_credits=draw(st.integers(min_value=1, max_value=int(total))).__int__() * Decimal(1),
        transfer_cap_pct=draw(st.integers(min_value=0, max_value=50)),
        modules=modules,
        max_age_years=draw(st.none() | st.integers(min_value=1, max_value=10)),
        yearly_cap=draw(st.none() | st.integers(min_value=1, max_value=30).map(Decimal)),
    )


@st.composite
def records(draw, programme):
    codes = [m.code for m in programme.modules] + [None, "ELSEWHERE"]
    return [
        Line(
            key=str(i),
            credits=draw(halves),
            awarded_on=TODAY - dt.timedelta(days=draw(st.integers(0, 365 * 15))),
            module=draw(st.sampled_from(codes)),
            transfer=draw(st.booleans()),
            revoked=draw(st.booleans()) and draw(st.booleans()),
            expires_on=draw(
                st.none() | st.integers(-400, 400).map(lambda d: TODAY + dt.timedelta(days=d))
            ),
        )
        for i in range(draw(st.integers(0, 25)))
    ]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_cap_holds_whatever_the_record(data):
    rule = data.draw(programmes())
    lines = data.draw(records(rule))
    p = rules.progress(rule, lines, TODAY)
    counted = {c.key: c.counted for c in p.lines}
    by_key = {line.key: line for line in lines}
    # Each module up to its credits; the total is the modules' sum.
    for m in rule.modules:
        assert p.by_module.get(m.code, 0) <= m.credits
    assert p.total == sum(p.by_module.values(), Decimal(0))
    # Earlier learning and other providers' credit at most the transfer cap.
    transferred = sum((counted[k] for k, line in by_key.items() if line.transfer), Decimal(0))
    assert transferred == p.transfer_used <= rule.transfer_cap
    assert rule.transfer_cap <= rule.min_credits / 2
    # No calendar year beyond the yearly cap.
    if rule.yearly_cap is not None:
        for year_total in p.by_year.values():
            assert year_total <= rule.yearly_cap
    # Nothing revoked, expired, too old or outside the programme counts; nothing counts more
    # than it carries.
    oldest = rules._years_before(TODAY, rule.max_age_years) if rule.max_age_years else None
    for key, line in by_key.items():
        assert 0 <= counted[key] <= line.credits
        if (
            line.revoked
            or (line.expires_on is not None and line.expires_on < TODAY)
            or (oldest is not None and line.awarded_on < oldest)
            or line.module not in {m.code for m in rule.modules}
        ):
            assert counted[key] == 0
    # Complete only when enough credit counts and every mandatory module is full.
    full = all(p.by_module.get(m.code, 0) >= m.credits for m in rule.modules if m.mandatory)
    assert p.complete == (p.total >= rule.min_credits and full)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_more_of_the_programmes_own_credit_never_lowers_progress(data):
    rule = data.draw(programmes())
    lines = data.draw(records(rule))
    before = rules.progress(rule, lines, TODAY).total
    extra = Line(
        key="extra",
        credits=data.draw(halves),
        awarded_on=TODAY,
        module=data.draw(st.sampled_from([m.code for m in rule.modules])),
        transfer=False,
    )
    # Counted last (today, own credit): it can only fill room, never push out earlier lines.
    assert rules.progress(rule, [*lines, extra], TODAY).total >= before


def test_the_half_cap_and_mandatory_modules_by_example():
    rule = ProgrammeRule(
        min_credits=Decimal(60),
        transfer_cap_pct=50,
        modules=(
            ModuleRule("A", Decimal(20), True),
            ModuleRule("B", Decimal(20), False),
            ModuleRule("C", Decimal(30), False),
        ),
    )
    lines = [
        Line("1", Decimal(20), TODAY, "B", transfer=True),
        Line("2", Decimal(20), TODAY, "C", transfer=True),  # only 10 fit under the cap
        Line("3", Decimal(15), TODAY, "A", transfer=False),
    ]
    p = rules.progress(rule, lines, TODAY)
    assert p.transfer_used == 30 and p.total == 45
    assert p.missing_mandatory == ["A"] and not p.complete
    why = {c.key: c.why_not for c in p.lines}
    assert why["2"] and not why["1"]
    p = rules.progress(rule, [*lines, Line("4", Decimal(5), TODAY, "A", False),
                              Line("5", Decimal(10), TODAY, "C", False)], TODAY)  # fmt: skip
    assert p.complete and p.total == 60


def test_a_programme_that_does_not_add_up_is_refused():
    ok = ProgrammeRule(
        min_credits=Decimal(60),
        transfer_cap_pct=50,
        modules=(ModuleRule("A", Decimal(40), True), ModuleRule("B", Decimal(30))),
        level=5,
    )
    assert rules.programme_problems(ok) == []
    cases = [
        ok.__class__(**{**ok.__dict__, "min_credits": Decimal(50)}),  # below level 5's 60
        ok.__class__(**{**ok.__dict__, "transfer_cap_pct": 60}),  # above TT 08's half
        ok.__class__(**{**ok.__dict__, "modules": (ModuleRule("A", Decimal(40)),)}),  # 40 < 60
        ok.__class__(**{**ok.__dict__, "modules": (ModuleRule("A", Decimal(70), True),)}),
        ok.__class__(**{**ok.__dict__, "modules": (ModuleRule("A", Decimal(30)),) * 2}),
        ok.__class__(**{**ok.__dict__, "modules": ()}),
    ]
    for case in cases:
        assert rules.programme_problems(case), case


def test_an_rpl_claim_above_the_cap_is_refused():
    rule = ProgrammeRule(
        min_credits=Decimal(60),
        transfer_cap_pct=50,
        modules=(ModuleRule("A", Decimal(20)), ModuleRule("B", Decimal(20)),
                 ModuleRule("C", Decimal(20))),
    )  # fmt: skip
    now = rules.progress(rule, [], TODAY)
    assert rules.rpl_claim_problems(rule, now, ["A"]) == []
    assert rules.rpl_claim_problems(rule, now, ["A", "B"])  # 40 > 30
    assert rules.rpl_claim_problems(rule, now, ["Z"])
    assert rules.rpl_claim_problems(rule, now, [])
    assert rules.credit_equivalent(Decimal("125")) == Decimal("2.5")

"""#20.4: the fraud checks a spend passes, each with its threshold crossed and not crossed —
many spends made by one officer for others, many learners behind one address, a rush of
spends at one provider (counted when it is to be paid) — and the spend's path reads a bounded
number of rows whatever the day's traffic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suotdoi.funding import actions, rules
from suotdoi.funding.models import Spend
from tests.factories import PersonFactory
from tests.funding_world import fund_for, paid_course

pytestmark = pytest.mark.django_db


def _members(people, units, n):
    from suotdoi.organisations import actions as org

    chair = people["grassroots_chair"]
    out = []
    for _ in range(n):
        p = PersonFactory()
        org.membership_add(actor=chair, unit=units["grassroots"], person=p, role="member",
                           start_date=dt.date(2025, 1, 1))  # fmt: skip
        out.append(p)
    return out


@pytest.fixture
def world(people, units):
    course = paid_course(people, units, price=100_000)
    fund = fund_for(people, units, course, per_person=500_000, deposit=50_000_000)
    return fund, course


def _granted(people, fund, learners):
    for p in learners:
        actions.grant(actor=people["grassroots_chair"], fund=fund, person=p, round_label="r")


def test_an_officer_spending_for_many_others_in_a_day_is_flagged_past_ten(world, people, units):
    fund, course = world
    officer = people["grassroots_chair"]
    learners = _members(people, units, rules.OFFICER_SPENDS_A_DAY + 1)
    _granted(people, fund, learners)
    made = [
        actions._hold(person=p, fund=fund, course=course, run=None, made_by=officer)
        for p in learners
    ]
    assert [s.status for s in made[:-1]] == [Spend.HELD] * rules.OFFICER_SPENDS_A_DAY
    assert made[-1].status == Spend.REVIEW and made[-1].flags == ["officer_many"]
    # The learners' own spends never count against the officer.
    mine = _members(people, units, 1)
    _granted(people, fund, mine)
    own = actions._hold(person=mine[0], fund=fund, course=course, run=None, made_by=mine[0])
    assert own.status == Spend.HELD and own.flags == []


def test_many_learners_behind_one_address_are_flagged_past_five(world, people, units):
    fund, course = world
    learners = _members(people, units, rules.LEARNERS_PER_ORIGIN_A_DAY + 2)
    _granted(people, fund, learners)
    same = "203.0.113.7"
    first = [
        actions._hold(person=p, fund=fund, course=course, run=None, made_by=p, origin=same)
        for p in learners[: rules.LEARNERS_PER_ORIGIN_A_DAY]
    ]
    assert all(s.status == Spend.HELD for s in first)
    other = learners[-1]
    elsewhere = actions._hold(
        person=other, fund=fund, course=course, run=None, made_by=other, origin="198.51.100.2"
    )
    assert elsewhere.flags == []
    sixth = learners[rules.LEARNERS_PER_ORIGIN_A_DAY]
    s = actions._hold(person=sixth, fund=fund, course=course, run=None, made_by=sixth, origin=same)
    assert s.status == Spend.REVIEW and s.flags == ["one_origin"]


def _spends_at_provider(people, units, fund, course, n):
    learners = _members(people, units, n)
    _granted(people, fund, learners)
    return [
        actions._hold(person=p, fund=fund, course=course, run=None, made_by=p) for p in learners
    ]


def _completed_long_enough(spends, chair):
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment

    for s in spends:
        catalog.complete(actor=chair, enrolment=s.enrolment)
    Enrolment.objects.filter(pk__in=[s.enrolment_id for s in spends]).update(
        completed_at=timezone.now() + dt.timedelta(days=1)
    )


def test_a_rush_at_one_provider_holds_its_payments_for_a_second_officer(world, people, units):
    """More than twenty spends in a day at a provider with a quiet month before: from the
    twenty-first on, the payment waits for a second officer. The holds themselves are not
    slowed by counting the provider's day."""
    fund, course = world
    chair = people["grassroots_chair"]
    spends = _spends_at_provider(people, units, fund, course, rules.PROVIDER_RUSH_MIN + 1)
    assert all(s.status == Spend.HELD for s in spends)
    _completed_long_enough(spends, chair)
    states = [actions.spend_settle(actor=chair, spend=s) for s in spends]
    assert states == [Spend.PAID] * rules.PROVIDER_RUSH_MIN + [Spend.REVIEW]
    last = Spend.objects.get(pk=spends[-1].pk)
    assert last.flags == ["provider_rush"]
    from suotdoi.audit.models import AuditEvent

    flagged = AuditEvent.objects.get(verb="funding.flag", target_id=str(last.pk))
    assert flagged.data == {"flags": ["provider_rush"]}


def test_a_provider_busy_all_month_has_no_rush(world, people, units):
    fund, course = world
    today = _spends_at_provider(people, units, fund, course, rules.PROVIDER_RUSH_MIN + 1)
    last = Spend.objects.get(pk=today[-1].pk)
    assert rules.provider_rush(last)  # a quiet month before
    # The month before, ten a day: 300 spends (released ones count: the rush is in the asking).
    t = today[0]
    Spend.objects.bulk_create(
        Spend(fund=fund, person=t.person, course=course, enrolment=t.enrolment,
              provider=course.provider, price=course.price, amount=1, made_by=t.person,
              status=Spend.RELEASED)
        for _ in range(300)
    )  # fmt: skip
    Spend.objects.filter(status=Spend.RELEASED).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    assert not rules.provider_rush(last)  # 21 is not more than 3 × 300 / 30


def test_a_spend_reads_a_bounded_number_of_rows_on_a_busy_day(world, people, units):
    """The statements a spend makes do not grow with the day's spends at the provider."""
    fund, course = world
    _spends_at_provider(people, units, fund, course, 3)
    (p,) = _members(people, units, 1)
    _granted(people, fund, [p])
    with CaptureQueriesContext(connection) as few:
        actions._hold(person=p, fund=fund, course=course, run=None, made_by=p, origin="10.0.0.1")
    _spends_at_provider(people, units, fund, course, 25)
    (q,) = _members(people, units, 1)
    _granted(people, fund, [q])
    with CaptureQueriesContext(connection) as many:
        actions._hold(person=q, fund=fund, course=course, run=None, made_by=q, origin="10.0.0.1")
    assert len(many.captured_queries) == len(few.captured_queries) <= 12

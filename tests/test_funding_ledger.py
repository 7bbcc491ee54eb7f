"""#20: the ledger under every sequence hypothesis can think of (grants, holds, completions,
payments, approvals, releases, refunds, clawbacks, expiries, deposits) and under 50
simultaneous spends on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from suotdoi.core.errors import ApplicationError
from suotdoi.funding import actions, ledger
from suotdoi.funding.models import LedgerAccount, LedgerTransaction, Posting, Spend

PRICE = 300_000


def _world(people, units, *, courses=2, deposit=5_000_000):
    from suotdoi.catalog import actions as catalog

    chair = people["grassroots_chair"]
    g = units["grassroots"]
    provider = catalog.provider_enable(actor=chair, unit=g)
    made = []
    for i in range(courses):
        c = catalog.course_create(
            actor=chair, provider=provider, title=f"Khoá {i}", summary="x", category="digital",
            format="external", hours=Decimal("4"), price=PRICE, external_url="https://a.vn",
        )  # fmt: skip
        made.append(catalog.course_publish(actor=chair, course=c))
    fund = actions.fund_create(
        actor=chair, unit=g, name="Quỹ", per_person=700_000, copay_pct=0, credit_days=30,
        providers=[provider],
    )  # fmt: skip
    actions.fund_deposit(actor=chair, fund=fund, amount=deposit, key="start")
    return fund, made


def _sum(fund, kind, account_kind) -> int:
    return (
        Posting.objects.filter(
            transaction__fund=fund, transaction__kind=kind, account__kind=account_kind
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )


@pytest.mark.django_db
def test_the_ledger_holds_under_any_sequence(people, units):
    from suotdoi.organisations import actions as org

    fund, courses = _world(people, units)
    chair = people["grassroots_chair"]
    second = people["group_leader"]
    org.membership_add(actor=chair, unit=units["grassroots"], person=second, role="officer",
                       start_date=dt.date(2025, 7, 1))  # fmt: skip
    learners = [people["member"], second, chair]

    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.today = timezone.localdate()

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _spends(self, *states):
            return list(Spend.objects.filter(fund=fund, status__in=states).order_by("pk"))

        @rule(who=st.integers(0, 2), round_label=st.sampled_from(["a", "b", "c", "d"]))
        def grant(self, who, round_label):
            try:
                actions.grant(actor=chair, fund=fund, person=learners[who], round_label=round_label)
            except ApplicationError:
                pass  # the pool ran out

        @rule(amount=st.integers(1, 3_000_000), key=st.sampled_from(["x", "y"]))
        def deposit(self, amount, key):
            actions.fund_deposit(actor=chair, fund=fund, amount=amount, key=key)

        @rule(who=st.integers(0, 2), course=st.integers(0, 1))
        def hold(self, who, course):
            try:
                actions._hold(person=learners[who], fund=fund, course=courses[course], run=None,
                              made_by=learners[who])  # fmt: skip
            except ApplicationError:
                pass  # not enough credit, or done already

        @rule(i=st.integers(0, 5))
        def complete(self, i):
            from suotdoi.catalog import actions as catalog

            live = self._spends(Spend.HELD, Spend.REVIEW)
            if live:
                s = live[i % len(live)]
                if s.enrolment.status == "active":
                    catalog.complete(actor=chair, enrolment=s.enrolment)

        @rule(i=st.integers(0, 5))
        def settle(self, i):
            live = self._spends(Spend.HELD, Spend.REVIEW)
            if live:
                actions.spend_settle(actor=chair, spend=live[i % len(live)])

        @rule(i=st.integers(0, 5))
        def approve(self, i):
            review = [s for s in self._spends(Spend.REVIEW) if s.person_id != second.pk]
            if review:
                try:
                    actions.spend_approve(actor=second, spend=review[i % len(review)])
                except ApplicationError:
                    pass

        @rule(i=st.integers(0, 5))
        def release(self, i):
            live = self._spends(Spend.HELD, Spend.REVIEW)
            if live:
                actions.spend_release(actor=chair, spend=live[i % len(live)], reason="huỷ")

        @rule(i=st.integers(0, 5), clawback=st.booleans())
        def reverse(self, i, clawback):
            paid = self._spends(Spend.PAID)
            if paid:
                actions.spend_reverse(
                    actor=chair, spend=paid[i % len(paid)], reason="sai", clawback=clawback
                )

        @rule(days=st.integers(0, 60))
        def expire(self, days):
            actions.expire_due(today=self.today + dt.timedelta(days=days))

        @rule(i=st.integers(0, 5))
        def replay_a_payment(self, i):
            """Posting the same key again changes nothing."""
            paid = self._spends(Spend.PAID)
            if paid:
                s = paid[i % len(paid)]
                before = Posting.objects.count()
                tx, created = ledger.post(
                    fund=fund, key=f"pay:{s.pk}", kind="pay",
                    lines=[(ledger.account(fund, "held"), -s.amount),
                           (ledger.account(fund, "provider", provider=s.provider), s.amount)],
                )  # fmt: skip
                assert not created and Posting.objects.count() == before

        @invariant()
        def books_balance(self):
            assert ledger.verify(fund) == []

        @invariant()
        def nothing_paid_twice(self):
            pays = LedgerTransaction.objects.filter(fund=fund, kind="pay")
            assert pays.count() == pays.values("spend").distinct().count()

        @invariant()
        def the_pool_is_deposits_less_grants_plus_returns(self):
            pool = ledger.account(fund, LedgerAccount.POOL)
            deposited = _sum(fund, "deposit", "pool")
            granted = -_sum(fund, "grant", "pool")
            returned = _sum(fund, "expire", "pool") + _sum(fund, "clawback", "pool")
            assert ledger.balance(pool) == deposited - granted + returned

        @precondition(lambda self: True)
        @invariant()
        def held_equals_live_spends(self):
            # Each `held` slot holds exactly the live spends that were held in it.
            live = Spend.objects.filter(fund=fund, status__in=[Spend.HELD, Spend.REVIEW])
            by_slot = dict(
                live.values("held_slot").annotate(s=Sum("amount")).values_list("held_slot", "s")
            )
            slots = LedgerAccount.objects.filter(fund=fund, kind=LedgerAccount.HELD)
            for acc in slots:
                assert ledger.balance(acc) == by_slot.get(acc.slot, 0), acc.slot
            assert set(by_slot) <= {acc.slot for acc in slots}

    Ledger.TestCase.settings = settings(
        max_examples=40, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )  # fmt: skip
    Ledger.TestCase().runTest()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_fifty_simultaneous_spends_against_credit_for_seven(people, units):
    """One learner's account covers 7 courses; 50 requests for 50 courses arrive at once:
    exactly 7 holds succeed, the balance ends at zero, nothing else moves."""
    from suotdoi.catalog import actions as catalog

    fund, courses = _world(people, units, courses=50, deposit=10_000_000)
    chair, mai = people["grassroots_chair"], people["member"]
    fund.per_person = 7 * PRICE
    fund.save(update_fields=["per_person"])
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    before = Posting.objects.count()
    start = threading.Barrier(50)
    results: list[str] = []

    def spend(course):
        from django.db import connections

        try:
            start.wait(timeout=60)
            actions._hold(person=mai, fund=fund, course=course, run=None, made_by=mai)
            results.append("ok")
        except ApplicationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend, args=(c,)) for c in courses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results.count("ok") == 7 and results.count("refused") == 43, results
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 0
    assert Spend.objects.filter(fund=fund).count() == 7
    assert Posting.objects.count() == before + 14
    assert ledger.verify(fund) == []
    assert catalog  # enrolments of the refused spends were rolled back with them
    from suotdoi.catalog.models import Enrolment

    assert Enrolment.objects.filter(person=mai, course__in=courses).count() == 7

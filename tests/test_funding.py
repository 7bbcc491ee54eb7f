"""#20: personal learning accounts — a fund credits members; a member spends on a course with
a code sent to their phone; the provider is paid only after completion; cancellation gives the
credit back; flagged payments wait for a second officer; the ledger always balances."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from suotdoi.core.errors import ApplicationError
from suotdoi.core.sms import MemoryBackend
from suotdoi.funding import actions, ledger
from suotdoi.funding.models import LedgerAccount, LedgerTransaction, Posting, Spend

pytestmark = pytest.mark.django_db

PRICE = 600_000


@pytest.fixture
def setup(people, units):
    from suotdoi.catalog import actions as catalog

    chair = people["grassroots_chair"]
    g = units["grassroots"]
    provider = catalog.provider_enable(actor=chair, unit=g)
    course = catalog.course_create(
        actor=chair, provider=provider, title="Tin học văn phòng", summary="Word, Excel",
        category="digital", format="in_person", hours=Decimal("8"), price=PRICE,
    )  # fmt: skip
    start = timezone.now() + dt.timedelta(days=3)
    run = catalog.run_add(
        actor=chair, course=course, starts_at=start, ends_at=start + dt.timedelta(hours=8),
        place="Phòng máy", seats=30,
    )  # fmt: skip
    catalog.course_publish(actor=chair, course=course)
    fund = actions.fund_create(
        actor=chair, unit=g, name="Quỹ học tập công đoàn 2026", per_person=1_000_000,
        copay_pct=20, credit_days=365, providers=[provider],
    )  # fmt: skip
    actions.fund_deposit(actor=chair, fund=fund, amount=50_000_000, key="nq-2026")
    course.refresh_from_db()
    return fund, course, run


def _code(person) -> str:
    texts = [m["text"] for m in MemoryBackend.outbox if m["to"] == person.phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def _spend(person, fund, course, run, made_by=None):
    MemoryBackend.outbox.clear()
    actions.spend_code_send(person=person, fund=fund, course=course, run=run, made_by=made_by)
    return actions.spend_hold(
        person=person, fund=fund, course=course, run=run, code=_code(person), made_by=made_by
    )


def _complete(spend, chair, when=None):
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment

    catalog.complete(actor=chair, enrolment=spend.enrolment)
    if when is not None:
        Enrolment.objects.filter(pk=spend.enrolment_id).update(completed_at=when)


def test_a_member_spends_with_a_code_and_the_provider_is_paid_after_completion(setup, people):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    again, created = actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    assert not created  # once per round
    mine = LedgerAccount.objects.get(fund=fund, person=mai)
    assert mine.balance == 1_000_000 and mine.expires_on > timezone.localdate()
    spend = _spend(mai, fund, course, run)
    assert spend.amount == PRICE * 80 // 100 and spend.status == Spend.HELD
    assert ledger.balance(mine) == 1_000_000 - 480_000
    assert "480.000 đ" in MemoryBackend.outbox[-1]["text"]
    # Not paid before the learning is evidenced.
    assert actions.spend_settle(actor=chair, spend=spend) == "waiting"
    _complete(spend, chair, when=run.ends_at)
    assert actions.spend_settle(actor=chair, spend=spend) == Spend.PAID
    provider_acc = LedgerAccount.objects.get(fund=fund, provider=course.provider)
    assert provider_acc.balance == 480_000
    assert actions.spend_settle(actor=chair, spend=spend) == Spend.PAID  # never twice
    assert provider_acc.postings.count() == 1
    assert ledger.verify(fund) == []


def test_cancel_gives_the_credit_back_and_the_seat(setup, people):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    spend = _spend(mai, fund, course, run)
    actions.spend_cancel(actor=mai, spend=spend)
    spend.refresh_from_db()
    assert spend.status == Spend.RELEASED and spend.enrolment.status == "cancelled"
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    with pytest.raises(ApplicationError):
        actions.spend_cancel(actor=mai, spend=spend)  # released once
    assert ledger.verify(fund) == []


def test_a_flagged_payment_waits_for_a_second_officer(setup, people, units):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    spend = _spend(mai, fund, course, run)
    # Completed an hour after it started: before the run ended.
    _complete(spend, chair, when=run.starts_at + dt.timedelta(hours=1))
    assert actions.spend_settle(actor=chair, spend=spend) == Spend.REVIEW
    spend.refresh_from_db()
    assert spend.flags == ["too_fast"]
    with pytest.raises(ApplicationError):
        actions.spend_approve(actor=mai, spend=spend)  # not the learner
    from suotdoi.organisations import actions as org

    second = people["group_leader"]
    org.membership_add(actor=chair, unit=units["grassroots"], person=second, role="officer",
                       start_date=dt.date(2025, 7, 1))  # fmt: skip
    assert actions.spend_approve(actor=second, spend=spend) == Spend.PAID
    from suotdoi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(verb="funding.approve", actor=second).exists()


def test_refund_and_clawback_reverse_a_payment_with_its_reason(setup, people):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    spend = _spend(mai, fund, course, run)
    _complete(spend, chair, when=run.ends_at)
    actions.spend_settle(actor=chair, spend=spend)
    with pytest.raises(ApplicationError):
        actions.spend_reverse(actor=chair, spend=spend, reason="  ", clawback=True)
    actions.spend_reverse(actor=chair, spend=spend, reason="Lớp không mở", clawback=True)
    pool = LedgerAccount.objects.get(fund=fund, kind="pool")
    assert pool.balance == 50_000_000 - 1_000_000 + 480_000
    with pytest.raises(ApplicationError):
        actions.spend_reverse(actor=chair, spend=spend, reason="x", clawback=False)
    assert ledger.verify(fund) == []


def test_bad_input_is_refused_and_nothing_is_posted(setup, people, units):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    before = Posting.objects.count()
    for amount in (-5, 0, 1.5, "1e6", "100.5", True, 10**16, "abc", None):
        with pytest.raises(ApplicationError):
            actions.fund_deposit(actor=chair, fund=fund, amount=amount, key=f"bad-{amount}")
    assert Posting.objects.count() == before
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    n = Posting.objects.count()
    # A wrong code, an expired code, a code for another course, a replay of a used code.
    MemoryBackend.outbox.clear()
    actions.spend_code_send(person=mai, fund=fund, course=course, run=run)
    code = _code(mai)
    with pytest.raises(ApplicationError):
        actions.spend_hold(person=mai, fund=fund, course=course, run=run, code="000000")
    actions.spend_hold(person=mai, fund=fund, course=course, run=run, code=code)
    with pytest.raises(ApplicationError):
        actions.spend_hold(person=mai, fund=fund, course=course, run=run, code=code)
    assert Spend.objects.count() == 1 and Posting.objects.count() == n + 2
    # A course the fund does not pay for (an unvetted provider's).
    from suotdoi.catalog import actions as catalog

    other = catalog.provider_enable(actor=chair, unit=units["group"])
    c2 = catalog.course_create(
        actor=chair, provider=other, title="Khoá khác", summary="x", category="digital",
        format="external", hours=Decimal("2"), price=100_000, external_url="https://a.vn",
    )  # fmt: skip
    c2 = catalog.course_publish(actor=chair, course=c2)
    from django.utils.translation import gettext

    with pytest.raises(ApplicationError) as refused:
        actions.spend_code_send(person=mai, fund=fund, course=c2)
    assert str(refused.value) == gettext("This fund pays only for providers it has vetted.")
    # Someone who is not a member of the fund's unit.
    with pytest.raises(ApplicationError):
        actions.grant(actor=chair, fund=fund, person=people["foreign_officer"], round_label="x")
    # An officer of another tree: 404.
    with pytest.raises(ApplicationError):
        actions.fund_deposit(actor=people["foreign_officer"], fund=fund, amount=5, key="f")
    assert ledger.verify(fund) == []


def test_unspent_credit_expires_back_to_the_fund(setup, people):
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    later = timezone.localdate() + dt.timedelta(days=400)
    assert actions.expire_due(today=later) == 1
    assert actions.expire_due(today=later) == 0
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 0
    assert LedgerAccount.objects.get(fund=fund, kind="pool").balance == 50_000_000
    assert LedgerTransaction.objects.filter(fund=fund, kind="expire").count() == 1


def test_an_expired_code_is_refused_and_nothing_is_held(setup, people):
    from django.core.cache import cache

    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    MemoryBackend.outbox.clear()
    actions.spend_code_send(person=mai, fund=fund, course=course, run=run)
    code = _code(mai)
    pending = cache.get(f"spend-code:{mai.pk}")  # as core.onetime keeps it
    cache.set(f"spend-code:{mai.pk}", {**pending, "until": pending["until"] - 3600}, 60)
    with pytest.raises(ApplicationError):
        actions.spend_hold(person=mai, fund=fund, course=course, run=run, code=code)
    assert not Spend.objects.exists()
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000


def test_three_no_shows_send_the_next_spend_to_a_second_officer(setup, people):
    from suotdoi.funding import rules

    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    actions.grant(actor=chair, fund=fund, person=mai, round_label="2026")
    for _ in range(3):
        s = actions._hold(person=mai, fund=fund, course=course, run=run, made_by=mai)
        actions.spend_release(actor=None, spend=s, reason=rules.NO_SHOW)
    s = actions._hold(person=mai, fund=fund, course=course, run=run, made_by=mai)
    assert s.status == Spend.REVIEW and "no_shows" in s.flags


def test_an_officers_sweep_covers_only_her_fund(setup, people, units):
    """The button on a fund's page pays that fund's evidenced spends, never another fund's
    (a second fund of the same provider, held and completed, stays held)."""
    fund, course, run = setup
    chair, mai = people["grassroots_chair"], people["member"]
    other = actions.fund_create(
        actor=chair, unit=units["grassroots"], name="Quỹ khác", per_person=1_000_000,
        providers=[course.provider],
    )  # fmt: skip
    actions.fund_deposit(actor=chair, fund=other, amount=5_000_000, key="k")
    for f in (fund, other):
        actions.grant(actor=chair, fund=f, person=mai, round_label="2026")
    mine = actions._hold(person=mai, fund=fund, course=course, run=run, made_by=mai)
    theirs = Spend.objects.create(
        fund=other, person=mai, course=course, run=run, enrolment=mine.enrolment,
        provider=course.provider, price=course.price, amount=100_000, made_by=mai,
    )  # fmt: skip
    _complete(mine, chair, when=run.ends_at)
    assert actions.settle_due(actor=chair, fund=fund) == {"paid": 1, "review": 0, "released": 0}
    theirs.refresh_from_db()
    assert theirs.status == Spend.HELD
    with pytest.raises(ValueError):
        actions.settle_due(actor=chair)  # an officer names the fund

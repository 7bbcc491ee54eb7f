"""The double-entry ledger of learning accounts, in whole đồng.

Every transaction's postings sum to zero; transactions are only ever added (a correction is a
new one); each carries a key, so sending the same movement twice posts it once. An account's
cached balance moves in the same database transaction as its postings, by a conditional
UPDATE that refuses to take an account below zero: two spends racing for the last credit
cannot both pass, on PostgreSQL or SQLite. `verify` proves the cache against the postings.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from suotdoi.core import fastsql
from suotdoi.core.errors import Conflict, ValidationFailed

from .models import Fund, LedgerAccount, LedgerTransaction, Posting

MAX_AMOUNT = 10**15  # a quadrillion đồng: far beyond any fund, far below 2**63


class NotEnoughCredit(Conflict):
    code = "not_enough_credit"
    default_message = _("There is not enough credit for this.")


HELD_SLOTS = 8  # spends at the same moment spread over the fund's `held` accounts


def held_slot(person) -> int:
    """The `held` account a person's spends use: one person's spends wait on their own
    account anyway; different people's rarely share a `held` row."""
    return person.pk % HELD_SLOTS


def account(fund: Fund, kind: str, *, person=None, provider=None, slot: int = 0) -> LedgerAccount:
    acc, _created = LedgerAccount.objects.get_or_create(
        fund=fund, kind=kind, person=person, provider=provider, slot=slot
    )
    return acc


def post(
    *,
    fund: Fund,
    key: str,
    kind: str,
    lines,
    actor=None,
    memo: str = "",
    spend=None,
    fresh: bool = False,
):
    """Record one transaction: `lines` are (account, amount) pairs that sum to zero. Returns
    (transaction, created); a key already posted returns that transaction unchanged. `fresh`:
    the key names a row made in this very transaction (a new spend), so it cannot exist yet:
    the unique key still guards it, without a read first."""
    lines = [(acc, amt) for acc, amt in lines if amt != 0]
    if not lines or not key:
        raise ValidationFailed(_("Nothing to record."))
    for _acc, amt in lines:
        if type(amt) is not int or abs(amt) > MAX_AMOUNT:
            raise ValidationFailed(_("Amounts are whole đồng."))
    if sum(amt for _acc, amt in lines) != 0:
        raise ValidationFailed(_("A transaction's postings must sum to zero."))
    if any(acc.fund_id != fund.pk for acc, _amt in lines):
        raise ValidationFailed(_("A transaction stays inside one fund."))
    prior = None if fresh else LedgerTransaction.objects.filter(key=key).first()
    if prior is not None:
        return prior, False
    if fresh:  # no twin can exist: no savepoint to fall back to (the caller's atomic block
        # rolls back a refused line, as `_hold` does)
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("a fresh posting needs the caller's transaction")
        return _write(fund, key, kind, lines, actor, memo, spend), True
    try:
        with transaction.atomic():
            return _write(fund, key, kind, lines, actor, memo, spend), True
    except IntegrityError:
        prior = LedgerTransaction.objects.filter(key=key).first()
        if prior is None:
            raise
        return prior, False  # the same movement, posted by a concurrent request


def _lock_order(line) -> tuple[int, int]:
    """Learners' own accounts first, then the fund's shared ones (pool, held, providers), each
    by id: one order for every transaction, so two never wait on each other in a circle, and
    the rows every spend touches (the fund's `held`) are locked last, for the shortest time."""
    acc = line[0]
    return (0 if acc.kind == LedgerAccount.LEARNER else 1, acc.pk)


def _write(fund, key, kind, lines, actor, memo, spend) -> LedgerTransaction:
    """The transaction and its postings, then the balances; the caller's transaction makes
    them land together (a refused line rolls everything back). The balance updates come last
    so that the row locks they take are held only until the commit that follows. Plain
    statements: this is the path every spend takes (see suotdoi.core.fastsql)."""
    (tx,) = fastsql.insert(
        [
            LedgerTransaction(
                fund=fund, key=key[:120], kind=kind, memo=memo[:300], actor=actor, spend=spend
            )
        ]
    )
    fastsql.insert([Posting(transaction=tx, account=acc, amount=amt) for acc, amt in lines])
    table = LedgerAccount._meta.db_table
    for acc, amt in sorted(lines, key=_lock_order):
        guard = amt < 0 and acc.kind != LedgerAccount.SOURCE  # nothing but the source below 0
        sql = f"UPDATE {table} SET balance = balance + %s WHERE id = %s"  # noqa: S608
        sql += " AND balance >= %s" if guard else ""
        params = [amt, acc.pk, -amt] if guard else [amt, acc.pk]
        if fastsql.changed(LedgerAccount, sql, params) != 1:
            raise NotEnoughCredit()
    return tx


def balance(acc: LedgerAccount) -> int:
    return LedgerAccount.objects.values_list("balance", flat=True).get(pk=acc.pk)


def derived_balance(acc: LedgerAccount) -> int:
    return Posting.objects.filter(account=acc).aggregate(s=Sum("amount"))["s"] or 0


def verify(fund: Fund) -> list[str]:
    """What does not add up in a fund's books (empty when everything does): each
    transaction sums to zero, each cached balance equals its postings, nothing but the source
    is below zero, and the whole fund sums to zero."""
    problems = []
    sums = (
        Posting.objects.filter(transaction__fund=fund)
        .values("transaction_id")
        .annotate(s=Sum("amount"))
        .exclude(s=0)
    )
    problems += [f"transaction {r['transaction_id']} sums to {r['s']}" for r in sums]
    derived = dict(
        Posting.objects.filter(account__fund=fund)
        .values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    for acc in LedgerAccount.objects.filter(fund=fund):
        if acc.balance != derived.get(acc.pk, 0):
            problems.append(
                f"account {acc} caches {acc.balance}, postings say {derived.get(acc.pk, 0)}"
            )
        if acc.balance < 0 and acc.kind != LedgerAccount.SOURCE:
            problems.append(f"account {acc} is below zero")
    total = sum(derived.values())
    if total != 0:
        problems.append(f"the fund's accounts sum to {total}")
    return problems

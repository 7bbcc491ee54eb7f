"""Reads of learning accounts: a fund's figures from its postings, a learner's history."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from .models import Fund, LedgerAccount, Posting


def fund_figures(fund: Fund) -> dict:
    """What the fund received, granted, holds, paid, got back and lost to expiry: sums of its
    postings by transaction kind (one grouped query), and its accounts' balances."""
    rows = (
        Posting.objects.filter(transaction__fund=fund)
        .values("transaction__kind", "account__kind")
        .annotate(s=Sum("amount"))
    )
    by = {(r["transaction__kind"], r["account__kind"]): r["s"] or 0 for r in rows}
    balances = dict(
        LedgerAccount.objects.filter(fund=fund)
        .exclude(kind=LedgerAccount.LEARNER)
        .exclude(kind=LedgerAccount.PROVIDER)
        .values_list("kind", "balance")
    )
    learners = LedgerAccount.objects.filter(fund=fund, kind=LedgerAccount.LEARNER).aggregate(
        n=Count("pk"), s=Sum("balance"), live=Count("pk", filter=Q(balance__gt=0))
    )
    return {
        "deposited": by.get(("deposit", LedgerAccount.POOL), 0),
        "granted": -by.get(("grant", LedgerAccount.POOL), 0),
        "held": balances.get(LedgerAccount.HELD, 0),
        "paid": by.get(("pay", LedgerAccount.PROVIDER), 0),
        "refunded": -by.get(("refund", LedgerAccount.PROVIDER), 0),
        "clawed_back": -by.get(("clawback", LedgerAccount.PROVIDER), 0),
        "expired": by.get(("expire", LedgerAccount.POOL), 0),
        "released": by.get(("release", LedgerAccount.LEARNER), 0),
        "pool": balances.get(LedgerAccount.POOL, 0),
        "accounts": learners["n"],
        "unspent": learners["s"] or 0,
    }


def history(acc: LedgerAccount, limit: int = 50):
    return (
        Posting.objects.filter(account=acc)
        .select_related("transaction")
        .order_by("-transaction__at", "-pk")[:limit]
    )

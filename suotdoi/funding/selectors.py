"""Reads of learning accounts: a fund's figures from its postings, a learner's history."""

from __future__ import annotations

import datetime as dt

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
    balances = dict(  # `held` is kept in several accounts (slots): summed
        LedgerAccount.objects.filter(fund=fund)
        .exclude(kind=LedgerAccount.LEARNER)
        .exclude(kind=LedgerAccount.PROVIDER)
        .values("kind")
        .annotate(s=Sum("balance"))
        .values_list("kind", "s")
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


ACCOUNT_ORDER = [
    LedgerAccount.SOURCE,
    LedgerAccount.POOL,
    LedgerAccount.LEARNER,
    LedgerAccount.HELD,
    LedgerAccount.PROVIDER,
]
MOVE_ORDER = ["deposit", "grant", "hold", "release", "pay", "refund", "clawback", "expire"]


def month_bounds(first: dt.date):
    """The month starting on `first`, as aware datetimes at the platform's midnights."""
    from django.utils import timezone

    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(nxt, dt.time(), tzinfo=tz),
    )


def fund_month(fund: Fund, first: dt.date) -> dict:
    """A month of the fund's books, as an accountant checks them: each kind of account's
    balance when the month opened, what each kind of movement did to it in the month, and its
    balance when the month closed; what was paid to and taken back from each provider. Three
    grouped queries whatever the number of accounts. `problems` is empty when the month
    reconciles: each kind of movement sums to zero across the accounts (double entry), the
    closing balances sum to zero, and, for a month not yet over, the closing balances equal the
    accounts' cached balances."""
    from django.utils import timezone

    start, end = month_bounds(first)
    postings = Posting.objects.filter(transaction__fund=fund)
    opening = dict(
        postings.filter(transaction__at__lt=start)
        .values("account__kind")
        .annotate(s=Sum("amount"))
        .values_list("account__kind", "s")
    )
    moves: dict[tuple[str, str], int] = {}
    for r in (
        postings.filter(transaction__at__gte=start, transaction__at__lt=end)
        .values("transaction__kind", "account__kind")
        .annotate(s=Sum("amount"))
    ):
        moves[(r["transaction__kind"], r["account__kind"])] = r["s"] or 0
    closing = {k: opening.get(k, 0) or 0 for k in ACCOUNT_ORDER}
    for (_move, kind), amount in moves.items():
        closing[kind] = closing.get(kind, 0) + amount
    rows = [
        {
            "move": move,
            "cells": [moves.get((move, k), 0) for k in ACCOUNT_ORDER],
        }
        for move in MOVE_ORDER
        if any(moves.get((move, k)) for k in ACCOUNT_ORDER)
    ]
    problems = []
    for row in rows:
        if sum(row["cells"]) != 0:
            problems.append(f"{row['move']} sums to {sum(row['cells'])}")
    if sum(closing.values()) != 0:
        problems.append(f"closing balances sum to {sum(closing.values())}")
    if end > timezone.now():  # the month is not over: its closing is today's balances
        cached = dict(
            LedgerAccount.objects.filter(fund=fund)
            .values("kind")
            .annotate(s=Sum("balance"))
            .values_list("kind", "s")
        )
        for k in ACCOUNT_ORDER:
            if (cached.get(k) or 0) != closing.get(k, 0):
                problems.append(f"{k}: balances {cached.get(k) or 0}, postings {closing[k]}")
    by_provider = (
        postings.filter(
            transaction__at__gte=start,
            transaction__at__lt=end,
            account__kind=LedgerAccount.PROVIDER,
        )
        .values("account__provider__unit__name")
        .annotate(
            paid=Sum("amount", filter=Q(transaction__kind="pay"), default=0),
            back=Sum("amount", filter=Q(transaction__kind__in=["refund", "clawback"]), default=0),
            n=Count("transaction", filter=Q(transaction__kind="pay")),
        )
        .order_by("account__provider__unit__name")
    )
    return {
        "start": start,
        "end": end - dt.timedelta(days=1),
        "kinds": ACCOUNT_ORDER,
        "opening": [opening.get(k, 0) or 0 for k in ACCOUNT_ORDER],
        "rows": rows,
        "closing": [closing.get(k, 0) for k in ACCOUNT_ORDER],
        "by_provider": [
            {
                "name": r["account__provider__unit__name"],
                "n": r["n"],
                "paid": r["paid"],
                "back": -r["back"],
            }
            for r in by_provider
        ],
        "problems": problems,
        "current": end > timezone.now(),
    }


def spending_by_unit(*, paths, start, end) -> dict[int, dict]:
    """Per fund-owning unit under `paths`: what its funds paid to providers in [start, end]
    (a spend later refunded or clawed back no longer counts) and for how many people."""
    from suotdoi.organisations.selectors import paths_q

    from .models import Spend

    rows = (
        Spend.objects.filter(
            paths_q(paths, "fund__unit__path"),
            status=Spend.PAID,
            settled_at__date__gte=start,
            settled_at__date__lte=end,
        )
        .values("fund__unit_id")
        .annotate(amount=Sum("amount"), people=Count("person_id", distinct=True))
        .order_by()
    )
    return {
        r["fund__unit_id"]: {"fund_paid": r["amount"], "fund_people": r["people"]} for r in rows
    }

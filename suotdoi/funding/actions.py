"""Writes of learning accounts: funds, deposits, grants, spends (held with a code, paid after
evidence, released, refunded, clawed back), expiry. Every money movement goes through
`ledger.post`, inside the same database transaction as the state it changes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log, audit_log_each
from suotdoi.core import fastsql, onetime
from suotdoi.core.errors import Conflict, NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from . import ledger, rules
from .models import Fund, LedgerAccount, Spend


def _accounts(fund: Fund) -> dict[str, LedgerAccount]:
    return {
        k: ledger.account(fund, k)
        for k in (LedgerAccount.SOURCE, LedgerAccount.POOL, LedgerAccount.HELD)
    }


# --- funds, deposits, grants ----------------------------------------------------------------


@transaction.atomic
def fund_create(*, actor, unit, **fields) -> Fund:
    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    providers = list(fields.pop("providers", []))
    courses = list(fields.pop("courses", []))
    rules.check_fund_fields(fields)
    vetted = {p.pk for p in providers}
    if any(c.provider_id not in vetted for c in courses):
        raise ValidationFailed(_("A course on the fund's list must be of a vetted provider."))
    fund = Fund.objects.create(unit=unit, created_by=actor, **fields)
    fund.providers.set(providers)
    fund.courses.set(courses)
    _accounts(fund)
    fastsql.insert(  # the other `held` slots, so that no spend has to make one
        [
            LedgerAccount(fund=fund, kind=LedgerAccount.HELD, slot=k)
            for k in range(1, ledger.HELD_SLOTS)
        ]
    )
    audit_log(
        actor=actor,
        verb="funding.fund_create",
        target=fund,
        unit=unit,
        data={k: str(v) for k, v in fields.items()},
    )
    return fund


@transaction.atomic
def fund_deposit(*, actor, fund: Fund, amount: int, key: str, memo: str = ""):
    """Money put into the fund's budget (a budget line, a union's contribution…)."""
    if not can(actor, fund.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    amount = rules.whole_dong(amount)
    acc = _accounts(fund)
    tx, created = ledger.post(
        fund=fund,
        key=f"deposit:{fund.pk}:{key}",
        kind="deposit",
        actor=actor,
        memo=memo,
        lines=[(acc[LedgerAccount.SOURCE], -amount), (acc[LedgerAccount.POOL], amount)],
    )
    if created:
        audit_log(
            actor=actor,
            verb="funding.deposit",
            target=fund,
            unit=fund.unit,
            data={"amount": amount},
        )
    return tx


@transaction.atomic
def fund_list_add(*, actor, fund: Fund, people) -> int:
    """Name people on the fund's list (members of its unit or below it, found by the caller
    with `members_by_reference`). Returns how many were new to it."""
    from .models import FundListEntry

    if not can(actor, fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    have = set(fund.list_entries.values_list("person_id", flat=True))
    new = [p for p in dict.fromkeys(people) if p.pk not in have]
    FundListEntry.objects.bulk_create(
        [FundListEntry(fund=fund, person=p, added_by=actor) for p in new]
    )
    if new:
        audit_log(
            actor=actor,
            verb="funding.list_add",
            target=fund,
            unit=fund.unit,
            data={"people": [p.pk for p in new]},
        )
    return len(new)


@transaction.atomic
def fund_list_remove(*, actor, fund: Fund, person_id: int) -> bool:
    """Take a person off the fund's list: no new credit from it (credit already granted stays
    theirs)."""
    if not can(actor, fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    gone, _rows = fund.list_entries.filter(person_id=person_id).delete()
    if gone:
        audit_log(
            actor=actor,
            verb="funding.list_remove",
            target=fund,
            unit=fund.unit,
            data={"person": person_id},
        )
    return bool(gone)


def grant(*, actor, fund: Fund, person, round_label: str):
    """Credit one eligible person with the fund's amount, once per round (a year, a
    programme): granting again in the same round changes nothing."""
    if not can(actor, fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if fund.status != Fund.OPEN:
        raise Conflict(_("This fund is closed."))
    why = rules.person_ineligible(fund, person)
    if why:
        raise ValidationFailed(why)
    return _grant(actor=actor, fund=fund, person=person, round_label=round_label)


@transaction.atomic
def _grant(*, actor, fund: Fund, person, round_label: str):
    acc = _accounts(fund)
    mine = ledger.account(fund, LedgerAccount.LEARNER, person=person)
    tx, created = ledger.post(
        fund=fund,
        key=f"grant:{fund.pk}:{person.pk}:{round_label}",
        kind="grant",
        actor=actor,
        memo=round_label,
        lines=[(acc[LedgerAccount.POOL], -fund.per_person), (mine, fund.per_person)],
    )
    if created:
        expires = timezone.localdate() + dt.timedelta(days=fund.credit_days)
        LedgerAccount.objects.filter(pk=mine.pk).update(expires_on=expires)
        audit_log(
            actor=actor,
            verb="funding.grant",
            target=fund,
            unit=fund.unit,
            on_behalf_of=person,
            data={"amount": fund.per_person, "round": round_label},
        )
        from django.utils.translation import gettext_noop

        from suotdoi.notifications.actions import notify
        from suotdoi.notifications.messages import Say

        notify(
            recipient=person,
            kind="funding.grant",
            title=Say(gettext_noop("Credit for your learning: %(fund)s"), fund=fund.name),
            body=Say(
                gettext_noop("Open your learning account to see it and the courses it pays for.")
            ),
            url="/funding/",
            dedupe_key=f"funding.grant:{tx.pk}",
        )
    return tx, created


def grant_all(*, actor, fund: Fund, round_label: str, progress=None) -> dict:
    """Credit every eligible member of the fund's unit and the units below it, in batches of
    their own transactions; stops when the budget runs out. Safe to run again."""
    if not can(actor, fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    done = already = 0
    people = list(rules.eligible_people(fund))
    for i, person in enumerate(people):
        try:
            _tx, created = _grant(actor=actor, fund=fund, person=person, round_label=round_label)
        except ledger.NotEnoughCredit:
            return {"granted": done, "already": already, "eligible": len(people), "stopped": True}
        done += created
        already += not created
        if progress and i % 200 == 0:
            progress(i, len(people))
    return {"granted": done, "already": already, "eligible": len(people), "stopped": False}


# --- spending: a code, a hold ---------------------------------------------------------------


def _intent(fund, course, run, amount) -> str:
    return f"{fund.pk}:{course.pk}:{run.pk if run else ''}:{amount}"


def spend_code_send(*, person, fund: Fund, course, run=None, made_by=None) -> int:
    """Send the learner a six-digit code for this one spend (the course, the run and the
    amount are in the text). No spending on a password alone. Returns the amount."""
    from suotdoi.core import ratelimit
    from suotdoi.core.sms import send_sms

    _may_spend_for(made_by or person, person)
    amount = rules.quote(fund, person, course, run)
    if not person.phone:
        raise ValidationFailed(_("A phone number is needed to receive the code."))
    if not ratelimit.allow(f"spend-code:{person.pk}", 3, 15 * 60):
        raise ValidationFailed(_("Three codes were sent already. Wait a quarter of an hour."))
    code = onetime.issue(
        f"spend-code:{person.pk}", bound={"intent": _intent(fund, course, run, amount)}
    )
    from django.utils import translation

    from suotdoi.core.vn import format_vnd

    with translation.override(person.language or "vi"):
        text = _(
            "Suốt Đời: code %(code)s to pay %(amount)s from your learning account for "
            "“%(course)s”. Valid 10 minutes. Never tell it to anyone who calls you."
        ) % {"code": code, "amount": format_vnd(amount), "course": course.title[:60]}
    send_sms(person.phone, text)
    return amount


def _check_code(person, intent: str, code: str) -> None:
    """The code sent for this very spend (fund, course, run, amount): five tries, once."""
    if not onetime.check(f"spend-code:{person.pk}", code, bound={"intent": intent}):
        raise ValidationFailed(_("That code is not right, or it has expired. Ask for a new one."))


def _may_spend_for(actor, person) -> None:
    """The learner, or an officer the learner has consented to be helped by (#18.3)."""
    if actor.pk == person.pk:
        return
    from suotdoi.records.assist import assisting_unit

    if assisting_unit(actor, person) is None:
        raise NotFound()


def spend_hold(*, person, fund: Fund, course, run=None, code: str, made_by=None, origin=""):
    """With the right code: enrol and hold the fund's share of the catalogue price. Nothing is
    held without a seat, and nothing twice for one enrolment."""
    made_by = made_by or person
    _may_spend_for(made_by, person)
    return _hold(
        person=person, fund=fund, course=course, run=run, made_by=made_by, origin=origin,
        code=code,
    )  # fmt: skip


@transaction.atomic
def _hold(*, person, fund: Fund, course, run, made_by, origin: str = "", code=None) -> Spend:
    """Enrol and hold the fund's share, in about ten statements: the spend is the path that
    must carry an evening's rush, so it reads everything it needs at once (`spend_quote`),
    writes its rows without the ORM's own cost (suotdoi.core.fastsql) and its two audit rows
    in one statement. `code`: the learner's code, checked against the amount this read
    gives (`spend_hold` always passes it; only tests and benchmarks hold without one)."""
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Enrolment

    q = rules.spend_quote(fund, person, course, run, made_by=made_by, origin=origin)
    if code is not None:  # the code sent for this very spend: its course, run and amount
        _check_code(person, _intent(fund, course, run, q.amount), code)
    audit: list[dict] = []
    e, new = catalog.enrol_within(
        person=person, course=course, run=run, actor=made_by, published=True, audit=audit
    )
    if e.status == Enrolment.WAITLISTED:
        raise Conflict(_("The run is full: you are not enrolled and nothing was held."))
    live = (
        None  # a new enrolment has no spend yet (and the unique constraint says so too)
        if new
        else Spend.objects.filter(
            fund=fund, enrolment=e, status__in=[Spend.HELD, Spend.REVIEW, Spend.PAID]
        ).first()
    )
    if live is not None:
        return live
    if e.status == Enrolment.COMPLETED:
        raise Conflict(_("You have completed this course already: nothing was held."))
    (spend,) = fastsql.insert(
        [
            Spend(
                fund=fund,
                person=person,
                course=course,
                run=run,
                enrolment=e,
                provider_id=course.provider_id,
                price=course.price,
                amount=q.amount,
                made_by=made_by,
                origin=origin,
                held_slot=ledger.held_slot(person),
                flags=q.flags,
                status=Spend.REVIEW if q.flags else Spend.HELD,
            )
        ]
    )
    audit.append(
        {
            "actor": made_by,
            "verb": "funding.hold",
            "target": spend,
            "unit": fund.unit,
            "on_behalf_of": person if made_by != person else None,
            "data": {"amount": q.amount, "course": course.pk, "flags": q.flags},
        }
    )
    audit_log_each(audit)
    # The money moves last: the `held` row (of the learner's slot) stays locked only until
    # the commit.
    mine = (
        LedgerAccount(pk=q.learner_account, fund=fund, kind=LedgerAccount.LEARNER, person=person)
        if q.learner_account
        else ledger.account(fund, LedgerAccount.LEARNER, person=person)
    )
    held = (
        LedgerAccount(pk=q.held_account, fund=fund, kind=LedgerAccount.HELD)
        if q.held_account
        else ledger.account(fund, LedgerAccount.HELD, slot=spend.held_slot)
    )
    ledger.post(
        fund=fund,
        key=f"hold:{spend.pk}",
        kind="hold",
        actor=made_by,
        spend=spend,
        memo=course.title[:300],
        lines=[(mine, -q.amount), (held, q.amount)],
        fresh=True,
    )
    return spend


# --- settling: pay, approve, release, refund, claw back, expire -----------------------------


def _locked(spend: Spend) -> Spend:
    return (
        Spend.objects.select_for_update()
        .select_related("fund__unit", "enrolment", "course", "person")
        .get(pk=spend.pk)
    )


@transaction.atomic
def spend_settle(*, actor, spend: Spend) -> str:
    """Pay the provider if the learning is evidenced (the provider or a unit completed it in
    the record) and no flag waits for a second officer. Returns the spend's state."""
    from suotdoi.catalog.models import Enrolment

    s = _locked(spend)
    if s.status not in (Spend.HELD, Spend.REVIEW):
        return s.status
    if s.enrolment.status != Enrolment.COMPLETED:
        return "waiting"
    late = [f for f in rules.flags_at_settle(s) if f not in s.flags]
    if late:
        s.flags = [*s.flags, *late]
        s.status = Spend.REVIEW
        s.save(update_fields=["flags", "status"])
        audit_log(
            actor=actor, verb="funding.flag", target=s, unit=s.fund.unit, data={"flags": late}
        )
    if s.status == Spend.REVIEW and s.approved_by_id is None:
        return Spend.REVIEW
    ledger.post(
        fund=s.fund,
        key=f"pay:{s.pk}",
        kind="pay",
        actor=actor,
        spend=s,
        memo=s.course.title,
        lines=[
            (ledger.account(s.fund, LedgerAccount.HELD, slot=s.held_slot), -s.amount),
            (ledger.account(s.fund, LedgerAccount.PROVIDER, provider=s.provider), s.amount),
        ],
    )
    s.status, s.settled_at = Spend.PAID, timezone.now()
    s.save(update_fields=["status", "settled_at"])
    audit_log(
        actor=actor,
        verb="funding.pay",
        target=s,
        unit=s.fund.unit,
        data={"amount": s.amount, "provider": s.provider_id},
    )
    return Spend.PAID


@transaction.atomic
def spend_approve(*, actor, spend: Spend) -> str:
    """A flagged spend is let through by a second officer of the fund's unit: never the
    learner, never the one who made the spend."""
    s = _locked(spend)
    if not can(actor, s.fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if s.status != Spend.REVIEW:
        raise Conflict(_("Only a spend waiting for review can be approved."))
    if actor.pk in (s.person_id, s.made_by_id):
        raise Conflict(_("A second officer approves: not the learner, not who made the spend."))
    s.approved_by = actor
    s.save(update_fields=["approved_by"])
    audit_log(
        actor=actor, verb="funding.approve", target=s, unit=s.fund.unit, data={"flags": s.flags}
    )
    return spend_settle(actor=actor, spend=s)


@transaction.atomic
def spend_release(*, actor, spend: Spend, reason: str) -> Spend:
    """Cancelled, or the learning never happened: the credit goes back to the learner and the
    enrolment is cancelled."""
    from suotdoi.catalog import actions as catalog

    s = _locked(spend)
    if s.status not in (Spend.HELD, Spend.REVIEW):
        raise Conflict(_("Only held credit can be released."))
    mine = ledger.account(s.fund, LedgerAccount.LEARNER, person=s.person)
    ledger.post(
        fund=s.fund,
        key=f"release:{s.pk}",
        kind="release",
        actor=actor,
        spend=s,
        memo=reason,
        lines=[
            (ledger.account(s.fund, LedgerAccount.HELD, slot=s.held_slot), -s.amount),
            (mine, s.amount),
        ],
    )
    s.status, s.reason, s.settled_at = Spend.RELEASED, reason[:300], timezone.now()
    s.save(update_fields=["status", "reason", "settled_at"])
    catalog.enrolment_cancel(actor=actor, enrolment=s.enrolment)
    audit_log(
        actor=actor,
        verb="funding.release",
        target=s,
        unit=s.fund.unit,
        on_behalf_of=s.person,
        data={"amount": s.amount, "reason": reason[:300]},
    )
    return s


def spend_cancel(*, actor, spend: Spend) -> Spend:
    """The learner (or an officer helping them) cancels before the course: credit back."""
    _may_spend_for(actor, spend.person)
    return spend_release(actor=actor, spend=spend, reason=_("Cancelled by the learner"))


@transaction.atomic
def spend_reverse(*, actor, spend: Spend, reason: str, clawback: bool) -> Spend:
    """A paid spend reversed, with its reason: a refund gives the learner their credit back;
    a clawback (the training did not happen as claimed) returns the money to the fund."""
    s = _locked(spend)
    if not can(actor, s.fund.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if s.status != Spend.PAID:
        raise Conflict(_("Only a paid spend can be refunded or clawed back."))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason."))
    into = (
        ledger.account(s.fund, LedgerAccount.POOL)
        if clawback
        else ledger.account(s.fund, LedgerAccount.LEARNER, person=s.person)
    )
    kind = "clawback" if clawback else "refund"
    ledger.post(
        fund=s.fund,
        key=f"{kind}:{s.pk}",
        kind=kind,
        actor=actor,
        spend=s,
        memo=reason,
        lines=[
            (ledger.account(s.fund, LedgerAccount.PROVIDER, provider=s.provider), -s.amount),
            (into, s.amount),
        ],
    )
    s.status = Spend.CLAWED_BACK if clawback else Spend.REFUNDED
    s.reason = reason.strip()[:300]
    s.save(update_fields=["status", "reason"])
    audit_log(
        actor=actor,
        verb=f"funding.{kind}",
        target=s,
        unit=s.fund.unit,
        data={"amount": s.amount, "reason": s.reason},
    )
    return s


def expire_due(*, today: dt.date | None = None) -> int:
    """Unspent credit past its date goes back to the fund's pool. Safe to run again."""
    today = today or timezone.localdate()
    n = 0
    due = LedgerAccount.objects.filter(
        kind=LedgerAccount.LEARNER, expires_on__lt=today, balance__gt=0
    ).select_related("fund")
    for acc in due:
        amount = ledger.balance(acc)
        if amount <= 0:
            continue
        try:
            with transaction.atomic():
                ledger.post(
                    fund=acc.fund,
                    key=f"expire:{acc.pk}:{today.isoformat()}:{amount}",
                    kind="expire",
                    memo=str(acc.expires_on),
                    lines=[(acc, -amount), (ledger.account(acc.fund, LedgerAccount.POOL), amount)],
                )
        except ledger.NotEnoughCredit:
            continue  # spent meanwhile: the next sweep looks again
        n += 1
    return n


def settle_due(*, actor=None, fund: Fund | None = None, grace_days: int = 7) -> dict:
    """The sweep: pay what is evidenced; release what never happened (the run ended more than
    `grace_days` ago without a completion). An officer's sweep covers their one fund; the
    nightly command (no actor) covers them all."""
    from suotdoi.catalog.models import Enrolment

    if fund is None and actor is not None:
        raise ValueError("an officer's sweep names its fund")
    out = {"paid": 0, "review": 0, "released": 0}
    now = timezone.now()
    due = Spend.objects.filter(status__in=[Spend.HELD, Spend.REVIEW])
    if fund is not None:
        due = due.filter(fund=fund)
    for s in due.select_related("enrolment", "run"):
        if s.enrolment.status == Enrolment.COMPLETED:
            state = spend_settle(actor=actor, spend=s)
            if state in out:
                out[state] += 1
        elif s.run_id and s.run.ends_at < now - dt.timedelta(days=grace_days):
            spend_release(actor=actor, spend=s, reason=rules.NO_SHOW)
            out["released"] += 1
    return out

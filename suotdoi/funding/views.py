"""Pages of learning accounts: the learner's account and spending with a code; a unit's funds
and a fund's page for its officers (rules, figures, deposits, grants, spends to decide, the
reconciliation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, ledger, rules, selectors
from .forms import AmountForm, CodeForm, FundForm, GrantForm, ReasonForm
from .models import Fund, LedgerAccount, Spend


@login_required
def mine(request):
    """Balance, expiry, credit held for courses, history and the courses each fund pays for,
    on one screen."""
    accounts = []
    for acc in LedgerAccount.objects.filter(
        kind=LedgerAccount.LEARNER, person=request.user
    ).select_related("fund__unit"):
        accounts.append(
            {
                "acc": acc,
                "spends": Spend.objects.filter(fund=acc.fund, person=request.user)
                .select_related("course", "run")
                .order_by("-created_at")[:20],
                "history": selectors.history(acc, 30),
                "courses": rules.eligible_courses(acc.fund, 20)
                if acc.fund.status == Fund.OPEN
                else [],
            }
        )
    return render(request, "funding/mine.html", {"accounts": accounts})


def _my_fund(request, fund_id) -> Fund:
    acc = (
        LedgerAccount.objects.filter(
            kind=LedgerAccount.LEARNER, person=request.user, fund_id=int_or(fund_id)
        )
        .select_related("fund__unit")
        .first()
    )
    if acc is None:
        raise NotFound()
    return acc.fund


@login_required
def spend(request, fund_id, course_id):
    """Pay for a course from the account: the amount, a code sent to the phone, confirm."""
    from suotdoi.catalog.access import access_course

    fund = _my_fund(request, fund_id)
    course = access_course(request.user, course_id)
    runs = list(course.runs.all())
    run = next((r for r in runs if r.pk == int_or(request.POST.get("run"))), None)
    amount, refused, code_sent = None, None, False
    try:
        amount = rules.quote(fund, request.user, course, run)
    except ApplicationError as exc:  # the rule that is not met, in words
        refused = exc.message
    form = CodeForm(request.POST if "confirm" in request.POST else None)
    if request.method == "POST" and refused is None:
        if runs and run is None:
            messages.error(request, _("Choose a run of the course."))
        elif "send" in request.POST:
            with action_errors(request):
                actions.spend_code_send(person=request.user, fund=fund, course=course, run=run)
                code_sent = True
                messages.info(request, _("A code was sent to your phone."))
        elif "confirm" in request.POST and form.is_valid():
            from suotdoi.core.clients import client_ip

            code_sent = True
            with action_errors(request):
                import hashlib

                origin = hashlib.sha256((client_ip(request) or "").encode()).hexdigest()
                s = actions.spend_hold(
                    person=request.user, fund=fund, course=course, run=run,
                    code=form.cleaned_data["code"], origin=origin,
                )  # fmt: skip
                messages.success(
                    request,
                    _("Done: you are enrolled. The credit is held until you complete the course.")
                    if s.status == Spend.HELD
                    else _("Done: you are enrolled. A second officer checks this payment."),
                )
                return redirect("funding:mine")
    return render(
        request,
        "funding/spend.html",
        {"fund": fund, "course": course, "runs": runs, "run": run, "amount": amount,
         "refused": refused, "form": form, "code_sent": code_sent},
    )  # fmt: skip


@login_required
@require_POST
def spend_cancel(request, spend_id):
    s = Spend.objects.filter(pk=int_or(spend_id), person=request.user).first()
    if s is None:
        raise NotFound()
    with action_errors(request):
        actions.spend_cancel(actor=request.user, spend=s)
        messages.success(request, _("Cancelled: the credit is back in your account."))
    return redirect("funding:mine")


@login_required
def unit_funds(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id)
    may_create = can(request.user, unit, Capability.MANAGE_UNITS)
    form = FundForm(request.POST or None) if may_create else None
    if request.method == "POST":
        if not may_create:
            raise NotFound()
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["providers"] = list(data["providers"])
            with action_errors(request):
                fund = actions.fund_create(actor=request.user, unit=unit, **data)
                return redirect("funding:fund", fund_id=fund.pk)
    return render(
        request,
        "funding/unit_funds.html",
        {"unit": unit, "funds": Fund.objects.filter(unit=unit).order_by("-created_at"),
         "form": form},
    )  # fmt: skip


def _fund(request, fund_id, capability=Capability.VIEW) -> Fund:
    fund = Fund.objects.select_related("unit").filter(pk=int_or(fund_id)).first()
    if fund is None or not can(request.user, fund.unit, capability):
        raise NotFound()
    return fund


@login_required
def fund_detail(request, fund_id):
    fund = _fund(request, fund_id)
    may_money = can(request.user, fund.unit, Capability.MANAGE_UNITS)
    may_grant = can(request.user, fund.unit, Capability.MANAGE_MEMBERS)
    deposit_form = AmountForm(request.POST if "deposit" in request.POST else None, prefix="d")
    grant_form = GrantForm(request.POST if "grant" in request.POST else None, prefix="g")
    if request.method == "POST":
        if "deposit" in request.POST and may_money and deposit_form.is_valid():
            d = deposit_form.cleaned_data
            with action_errors(request):
                import hashlib

                key = hashlib.sha256(
                    f"{d['amount']}:{d['memo']}:{request.POST.get('nonce', '')}".encode()
                ).hexdigest()[:40]
                actions.fund_deposit(
                    actor=request.user, fund=fund, amount=d["amount"], key=key, memo=d["memo"]
                )
                messages.success(request, _("The money is in the fund."))
                return redirect("funding:fund", fund_id=fund.pk)
        elif "grant" in request.POST and may_grant and grant_form.is_valid():
            from functools import partial

            from django.db import transaction

            from .tasks import grant_all_task

            round_label = grant_form.cleaned_data["round_label"]
            cache.set(
                f"funding-grant:{fund.pk}", {"done": 0, "total": None, "round": round_label}, 3600
            )
            transaction.on_commit(
                partial(grant_all_task.enqueue, fund.pk, request.user.pk, round_label)
            )
            messages.success(request, _("Crediting has started; this page shows how far it is."))
            return redirect("funding:fund", fund_id=fund.pk)
        elif "sweep" in request.POST and may_grant:
            out = actions.settle_due(actor=request.user)
            messages.success(
                request,
                _("Paid: %(paid)s. Waiting for a second officer: %(review)s. Released: "
                  "%(released)s.") % out,
            )  # fmt: skip
            return redirect("funding:fund", fund_id=fund.pk)
        elif not (may_money or may_grant):
            raise NotFound()
    import secrets

    return render(
        request,
        "funding/fund.html",
        {
            "fund": fund,
            "rules": rules.describe(fund),
            "figures": selectors.fund_figures(fund),
            "problems": ledger.verify(fund),
            "spends": Spend.objects.filter(fund=fund)
            .select_related("person", "course", "provider__unit", "made_by", "approved_by")
            .order_by("-created_at")[:200],
            "flag_words": rules.FLAG_WORDS,
            "deposit_form": deposit_form if may_money else None,
            "grant_form": grant_form if may_grant else None,
            "may_grant": may_grant,
            "may_money": may_money,
            "nonce": secrets.token_hex(8),
            "granting": cache.get(f"funding-grant:{fund.pk}"),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def spend_decide(request, spend_id):
    s = Spend.objects.select_related("fund__unit").filter(pk=int_or(spend_id)).first()
    if s is None or not can(request.user, s.fund.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    what = request.POST.get("what", "")
    reason = (request.POST.get("reason") or "").strip()[:300]
    with action_errors(request):
        if what == "approve":
            actions.spend_approve(actor=request.user, spend=s)
        elif what == "settle":
            state = actions.spend_settle(actor=request.user, spend=s)
            if state == "waiting":
                messages.info(request, _("Not yet: the course is not completed in the record."))
        elif what == "release":
            actions.spend_release(actor=request.user, spend=s, reason=reason or _("Released"))
        elif what in ("refund", "clawback"):
            actions.spend_reverse(
                actor=request.user, spend=s, reason=reason, clawback=what == "clawback"
            )
        else:
            raise NotFound()
        messages.success(request, _("Done."))
    return redirect("funding:fund", fund_id=s.fund_id)

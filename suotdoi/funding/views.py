"""Pages of learning accounts: the learner's account and spending with a code; a unit's funds
and a fund's page for its officers (rules, figures, deposits, grants, spends to decide, the
reconciliation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, ledger, rules, selectors
from .forms import AmountForm, CodeForm, FundForm, GrantForm, ListAddForm, ReasonForm
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


def _my_fund(request, fund_id, person) -> Fund:
    acc = (
        LedgerAccount.objects.filter(
            kind=LedgerAccount.LEARNER, person=person, fund_id=int_or(fund_id)
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

    fund = _my_fund(request, fund_id, request.user)
    course = access_course(request.user, course_id)
    return _spend_flow(request, person=request.user, fund=fund, course=course, done="funding:mine")


@login_required
def assist_spend(request, membership_id, fund_id, course_id):
    """An officer the member consented to be helped by pays for a course with the member's
    credit: the code goes to the member's phone and the member reads it out (#18.3)."""
    from suotdoi.catalog.access import access_course
    from suotdoi.organisations.access import access_membership_by_id
    from suotdoi.records.assist import assisting_unit

    m = access_membership_by_id(request.user, membership_id)
    if m.end_date or assisting_unit(request.user, m.person) is None:
        raise NotFound()
    fund = _my_fund(request, fund_id, m.person)
    course = access_course(m.person, course_id)
    return _spend_flow(
        request, person=m.person, fund=fund, course=course, done="records:assist",
        done_args=[m.pk], membership=m,
    )  # fmt: skip


def _spend_flow(request, *, person, fund, course, done, done_args=(), membership=None):
    runs = list(course.runs.all())
    run = next((r for r in runs if r.pk == int_or(request.POST.get("run"))), None)
    amount, refused, code_sent = None, None, False
    form = CodeForm(request.POST if "confirm" in request.POST else None)
    if membership is not None:
        form.fields["code"].label = _("The code the member reads out to you")
    made_by = request.user
    # A course the rules refuse is refused by the actions too, in the same words: the page
    # works the amount out only when it is shown (not again before a code is checked).
    if request.method == "POST":
        if runs and run is None:
            messages.error(request, _("Choose a run of the course."))
        elif "send" in request.POST:
            with action_errors(request):
                actions.spend_code_send(
                    person=person, fund=fund, course=course, run=run, made_by=made_by
                )
                code_sent = True
                messages.info(request, _("A code was sent to the learner's phone.")
                              if membership else _("A code was sent to your phone."))  # fmt: skip
        elif "confirm" in request.POST and form.is_valid():
            import hashlib

            from suotdoi.core.clients import client_ip

            code_sent = True
            with action_errors(request):
                origin = hashlib.sha256((client_ip(request) or "").encode()).hexdigest()
                s = actions.spend_hold(
                    person=person, fund=fund, course=course, run=run, made_by=made_by,
                    code=form.cleaned_data["code"], origin=origin,
                )  # fmt: skip
                messages.success(
                    request,
                    _("Done: enrolled. The credit is held until the course is completed.")
                    if s.status == Spend.HELD
                    else _("Done: enrolled. A second officer checks this payment."),
                )
                return redirect(done, *done_args)
    try:
        amount = rules.quote(fund, person, course, run)
    except ApplicationError as exc:  # the rule that is not met, in words
        refused = exc.message
    return render(
        request,
        "funding/spend.html",
        {"fund": fund, "course": course, "runs": runs, "run": run, "amount": amount,
         "refused": refused, "form": form, "code_sent": code_sent, "membership": membership},
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
            data["courses"] = list(data["courses"])
            with action_errors(request):
                fund = actions.fund_create(actor=request.user, unit=unit, **data)
                return redirect("funding:fund", fund_id=fund.pk)
    return render(
        request,
        "funding/unit_funds.html",
        {"unit": unit, "funds": Fund.objects.filter(unit=unit).order_by("-created_at"),
         "is_provider": _is_provider(unit),
         "form": form},
    )  # fmt: skip


def _list_add(request, fund: Fund, form: ListAddForm) -> bool:
    """Name the lines' people on the fund's list: all or none; the lines that name nobody
    among the unit's active members are told by number (the same words for anyone absent or
    elsewhere)."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.organisations.bulk import members_by_reference

    refs = form.refs()
    try:
        people = members_by_reference(unit=fund.unit, refs=refs)
    except ValidationFailed as exc:
        lines = ", ".join(str(e["item"] + 1) for e in exc.extra.get("errors", [])[:50])
        form.add_error(
            "people",
            _("Lines %(lines)s name nobody among the active members of this unit; nothing was "
              "added.") % {"lines": lines or "—"},
        )  # fmt: skip
        return False
    n = actions.fund_list_add(actor=request.user, fund=fund, people=people)
    messages.success(request, _("Added to the list: %(n)s.") % {"n": n})
    return True


def _is_provider(unit) -> bool:
    from suotdoi.catalog.models import Provider

    return Provider.objects.filter(unit=unit).exists()


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
    list_form = ListAddForm(request.POST if "list_add" in request.POST else None, prefix="l")
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
        elif "list_add" in request.POST and may_grant and list_form.is_valid():
            if _list_add(request, fund, list_form):
                return redirect("funding:fund", fund_id=fund.pk)
        elif "list_remove" in request.POST and may_grant:
            actions.fund_list_remove(
                actor=request.user, fund=fund, person_id=int_or(request.POST["list_remove"])
            )
            messages.success(request, _("Taken off the list."))
            return redirect("funding:fund", fund_id=fund.pk)
        elif "sweep" in request.POST and may_grant:
            out = actions.settle_due(actor=request.user, fund=fund)
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
            "list_form": list_form if may_grant else None,
            "listed": fund.list_entries.select_related("person").order_by("person__name_sort")[:300]
            if may_grant
            else (),
            "listed_count": fund.list_entries.count(),
            "may_grant": may_grant,
            "may_money": may_money,
            "nonce": secrets.token_hex(8),
            "this_month": timezone.localdate().strftime("%Y-%m"),
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


@login_required
def fund_report(request, fund_id):
    from django.http import FileResponse

    from .exporting import fund_xlsx

    fund = _fund(request, fund_id)
    return FileResponse(
        fund_xlsx(fund),
        as_attachment=True,
        filename=f"quy-hoc-tap-{fund.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def fund_month_report(request, fund_id):
    """The month's report as a PDF (?month=2026-11; the current month when not given)."""
    import datetime as dt

    from django.http import HttpResponse

    from .exporting import fund_month_pdf

    fund = _fund(request, fund_id)
    text = request.GET.get("month", "")
    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(f"{text}-01") if text else today.replace(day=1)
    except ValueError:
        first = None
    if first is None or not dt.date(2020, 1, 1) <= first <= today:
        messages.error(request, _("Choose a month between January 2020 and this month."))
        return redirect("funding:fund", fund_id=fund.pk)
    pdf = fund_month_pdf(fund, first, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="quy-hoc-tap-{fund.pk}-{first:%Y-%m}.pdf"'
    )
    return response


def _provider(request, unit_id):
    from suotdoi.catalog.access import provider_of_unit

    return provider_of_unit(request.user, unit_id, Capability.MANAGE_MEMBERS)


@login_required
def provider_payments(request, unit_id):
    """A provider's statement: what learning funds paid it, refunded or took back."""
    from .exporting import provider_statement

    provider = _provider(request, unit_id)
    rows = list(provider_statement(provider)[:500])
    return render(
        request,
        "funding/provider.html",
        {
            "provider": provider,
            "rows": rows,
            "total": sum(s.amount for s in rows if s.status == Spend.PAID),
        },
    )


@login_required
def provider_report(request, unit_id):
    from django.http import FileResponse

    from .exporting import provider_xlsx

    provider = _provider(request, unit_id)
    return FileResponse(
        provider_xlsx(provider),
        as_attachment=True,
        filename=f"sao-ke-{provider.unit.code.lower()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

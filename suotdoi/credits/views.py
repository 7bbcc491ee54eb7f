"""Pages of credit accumulation: the learner's credit account, programmes and their progress,
applying for recognition of prior learning and following the decision; the provider's
programmes and its assessors' queue; the platform staff's accreditations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .forms import (
    AccreditationForm,
    AppealForm,
    ModuleForm,
    ProgrammeForm,
    RplApplyForm,
    RplDecideForm,
)
from .models import Accreditation, Following, Programme, RplRequest


@login_required
def account(request):
    following = (
        Following.objects.filter(person=request.user)
        .select_related("programme__provider__unit")
        .order_by("since")
    )
    progress = [(f.programme, selectors.progress_of(request.user, f.programme)) for f in following]
    return render(
        request,
        "credits/account.html",
        {
            "acc": selectors.account(request.user),
            "progress": progress,
            "requests": RplRequest.objects.filter(person=request.user)
            .select_related("programme")
            .order_by("-created_at")[:20],
        },
    )


@login_required
def programmes(request):
    q = request.GET.get("q", "").strip()[:100]
    qs = Programme.objects.filter(status=Programme.PUBLISHED).select_related("provider__unit")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q))
    return render(
        request,
        "credits/programmes.html",
        {"programmes": qs.order_by("vqf_level", "title")[:200], "q": q},
    )


def _published(programme_id) -> Programme:
    p = (
        Programme.objects.select_related("provider__unit")
        .filter(pk=int_or(programme_id), status=Programme.PUBLISHED)
        .first()
    )
    if p is None:
        raise NotFound()
    return p


@login_required
def programme(request, programme_id):
    p = _published(programme_id)
    if request.method == "POST":
        actions.follow(person=request.user, programme=p)
        messages.success(request, _("The programme is in your credit account."))
        return redirect("credits:programme", programme_id=p.pk)
    modules = list(p.modules.all())
    rule = selectors.rule_of(p, modules)
    prog = selectors.progress_of(request.user, p, rule=rule)
    return render(
        request,
        "credits/programme.html",
        {
            "p": p,
            "modules": [(m, prog.by_module.get(m.code, 0)) for m in modules],
            "prog": prog,
            "rule": rule,
            "cap_left": rule.transfer_cap - prog.transfer_used,
            "gap": selectors.gap_courses(p, prog),
            "following": Following.objects.filter(person=request.user, programme=p).exists(),
            "accreditation": Accreditation.objects.filter(
                provider=p.provider, revoked_at__isnull=True
            ).first(),
            "open_request": RplRequest.objects.filter(
                person=request.user,
                programme=p,
                status__in=[RplRequest.SUBMITTED, RplRequest.APPEALED],
            ).first(),
        },
    )


@login_required
def rpl_apply(request, programme_id):
    from suotdoi.credentials.models import Credential
    from suotdoi.records.models import NOT_COUNTING, LearningEntry

    p = _published(programme_id)
    prog = selectors.progress_of(request.user, p)
    modules = [m for m in p.modules.all() if prog.by_module.get(m.code, 0) < m.credits]
    entries = (
        LearningEntry.objects.filter(person=request.user)
        .exclude(status__in=NOT_COUNTING)
        .select_related("unit")
        .order_by("-start_date")[:200]
    )
    credentials = (
        Credential.objects.filter(person=request.user, revoked_at__isnull=True)
        .select_related("achievement")
        .order_by("-issued_at")[:200]
    )
    form = RplApplyForm(
        request.POST or None, modules=modules, entries=entries, credentials=credentials
    )
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form) as outcome:
            req = actions.rpl_submit(
                person=request.user,
                programme=p,
                claims=form.claims(),
                statement=form.cleaned_data["statement"],
            )
        if outcome.ok:
            messages.success(request, _("Your request is with the provider's assessors."))
            return redirect("credits:rpl", request_id=req.pk)
    return render(
        request,
        "credits/rpl_apply.html",
        {
            "p": p,
            "form": form,
            "cap_left": p.transfer_cap - prog.transfer_used,
            "has_evidence": bool(entries) or bool(credentials),
        },
    )


@login_required
def rpl(request, request_id):
    req = (
        RplRequest.objects.select_related("programme__provider__unit", "person", "decided_by")
        .filter(pk=int_or(request_id))
        .first()
    )
    if req is None:
        raise NotFound()
    mine = req.person_id == request.user.pk
    assessor = can(request.user, req.programme.provider.unit, Capability.EVALUATE) and not mine
    if not (mine or assessor):
        raise NotFound()
    claims = list(
        req.claims.select_related("module").prefetch_related(
            "entries__unit", "credentials__achievement"
        )
    )
    decide = None
    if assessor and req.status in (RplRequest.SUBMITTED, RplRequest.APPEALED):
        decide = RplDecideForm(request.POST if "decide" in request.POST else None, claims=claims)
    appeal = AppealForm(request.POST if "appeal" in request.POST else None) if mine else None
    if request.method == "POST":
        if "decide" in request.POST and decide is not None and decide.is_valid():
            action = (
                actions.rpl_decide
                if req.status == RplRequest.SUBMITTED
                else actions.rpl_decide_appeal
            )
            with action_errors(request, form=decide) as outcome:
                action(
                    actor=request.user,
                    request=req,
                    grants=decide.grants(),
                    note=decide.cleaned_data["note"],
                )
            if outcome.ok:
                messages.success(request, _("The decision is made and signed."))
                return redirect("credits:rpl", request_id=req.pk)
        elif "appeal" in request.POST and appeal is not None and appeal.is_valid():
            with action_errors(request, form=appeal) as outcome:
                actions.rpl_appeal(
                    person=request.user, request=req, text=appeal.cleaned_data["text"]
                )
            if outcome.ok:
                messages.success(request, _("Your appeal is with a second assessor."))
                return redirect("credits:rpl", request_id=req.pk)
        elif "withdraw" in request.POST and mine:
            with action_errors(request):
                actions.rpl_withdraw(person=request.user, request=req)
                messages.success(request, _("Your request is withdrawn."))
            return redirect("credits:rpl", request_id=req.pk)
        elif not (mine or assessor):
            raise NotFound()
    total = sum((c.granted or 0 for c in claims), 0)
    return render(
        request,
        "credits/rpl.html",
        {
            "req": req,
            "claims": claims,
            "mine": mine,
            "decide": decide,
            "appeal": appeal if mine and req.status == RplRequest.DECIDED else None,
            "granted_total": total,
        },
    )


# --- the provider ---------------------------------------------------------------------------


def _provider_of(request, unit_id, capability=Capability.VIEW):
    from suotdoi.catalog.access import provider_of_unit

    return provider_of_unit(request.user, unit_id, capability)


@login_required
def provider(request, unit_id):
    prov = _provider_of(request, unit_id)
    may_manage = can(request.user, prov.unit, Capability.MANAGE_UNITS)
    may_assess = can(request.user, prov.unit, Capability.EVALUATE)
    if not (may_manage or may_assess):
        raise NotFound()
    form = ProgrammeForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            with action_errors(request, form=form) as outcome:
                p = actions.programme_create(actor=request.user, provider=prov, **form.cleaned_data)
            if outcome.ok:
                return redirect("credits:manage", programme_id=p.pk)
    queue = (
        RplRequest.objects.filter(
            programme__provider=prov, status__in=[RplRequest.SUBMITTED, RplRequest.APPEALED]
        )
        .select_related("person", "programme")
        .order_by("created_at")[:200]
        if may_assess
        else []
    )
    return render(
        request,
        "credits/provider.html",
        {
            "prov": prov,
            "accredited": selectors.is_accredited(prov),
            "programmes": Programme.objects.filter(provider=prov).order_by("-created_at"),
            "form": form,
            "queue": queue,
        },
    )


@login_required
def manage(request, programme_id):
    p = Programme.objects.select_related("provider__unit").filter(pk=int_or(programme_id)).first()
    if p is None or not can(request.user, p.provider.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    form = ModuleForm(request.POST if "add" in request.POST else None, provider=p.provider)
    if request.method == "POST":
        if "add" in request.POST and form.is_valid():
            d = dict(form.cleaned_data)
            courses = list(d.pop("courses"))
            with action_errors(request, form=form) as outcome:
                actions.module_add(actor=request.user, programme=p, courses=courses, **d)
            if outcome.ok:
                return redirect("credits:manage", programme_id=p.pk)
        elif "remove" in request.POST:
            module = p.modules.filter(pk=int_or(request.POST["remove"])).first()
            if module is None:
                raise NotFound()
            with action_errors(request):
                actions.module_remove(actor=request.user, module=module)
            return redirect("credits:manage", programme_id=p.pk)
        elif "publish" in request.POST:
            with action_errors(request) as outcome:
                actions.programme_publish(actor=request.user, programme=p)
                messages.success(request, _("The programme is published."))
            return redirect("credits:manage", programme_id=p.pk)
    from . import rules

    modules = list(p.modules.prefetch_related("courses"))
    return render(
        request,
        "credits/manage.html",
        {
            "p": p,
            "modules": modules,
            "form": form if p.status == Programme.DRAFT else None,
            "problems": rules.programme_problems(selectors.rule_of(p, modules)),
        },
    )


# --- platform staff -------------------------------------------------------------------------


@login_required
def accreditations(request):
    if not request.user.is_staff:
        raise NotFound()
    form = AccreditationForm(
        request.POST if "grant" in request.POST else None,
        request.FILES if "grant" in request.POST else None,
    )
    if request.method == "POST":
        if "grant" in request.POST and form.is_valid():
            d = form.cleaned_data
            with action_errors(request, form=form) as outcome:
                actions.accreditation_grant(
                    actor=request.user,
                    provider=d["provider"],
                    reference=d["reference"],
                    issued_by=d["issued_by"],
                    valid_until=d["valid_until"],
                    document=d["document"],
                )
            if outcome.ok:
                messages.success(request, _("The provider may now grant credit."))
                return redirect("credits:accreditations")
        elif "revoke" in request.POST:
            acc = Accreditation.objects.filter(pk=int_or(request.POST["revoke"])).first()
            if acc is None:
                raise NotFound()
            with action_errors(request):
                actions.accreditation_revoke(
                    actor=request.user, accreditation=acc, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The accreditation is withdrawn."))
            return redirect("credits:accreditations")
    return render(
        request,
        "credits/accreditations.html",
        {
            "form": form,
            "rows": Accreditation.objects.select_related("provider__unit", "granted_by").order_by(
                "-granted_at"
            ),
        },
    )


def accreditation_document(request, accreditation_id):
    """The document behind an accreditation: public, as a provider's licence is."""
    from django.http import FileResponse

    acc = Accreditation.objects.filter(pk=int_or(accreditation_id)).first()
    if acc is None or not acc.document:
        raise NotFound()
    return FileResponse(
        acc.document.open("rb"),
        content_type="application/pdf",
        filename=f"cong-nhan-{acc.pk}.pdf",
    )


@login_required
def transcript(request):
    from django.http import HttpResponse

    from .exporting import transcript_pdf

    pdf = transcript_pdf(person=request.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="bang-tin-chi.pdf"'
    return response


@login_required
def report(request, unit_id):
    """Credit in a unit: as a provider (what it granted, its RPL requests and how fast they
    were decided) and for the members of the unit and the units below it."""
    import datetime as dt

    from suotdoi.catalog.models import Provider

    from .exporting import report as build

    unit = access_unit_by_id(request.user, unit_id, Capability.VIEW_MEMBERS)
    year = int_or(request.GET.get("year"), 0)
    from django.utils import timezone

    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        year = 0
    since = dt.date(year, 1, 1) if year else None
    provider = Provider.objects.filter(unit=unit).first()
    return render(
        request,
        "credits/report.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "as_provider": build(providers=[provider], since=since) if provider else None,
            "members": build(unit=unit, since=since),
        },
    )

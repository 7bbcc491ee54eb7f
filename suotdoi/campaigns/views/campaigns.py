"""The issuer's pages: list, create, the dashboard, extend, launch, close, reminders, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, can, scope_q
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions, selectors
from ..access import access_campaign
from ..forms import CampaignForm
from ..models import Campaign, Task


@login_required
def campaign_list(request):
    q = scope_q(request.user, Capability.VIEW, field="issuer__path")
    issued = Campaign.objects.select_related("issuer")
    issued = issued if q is None else issued.filter(q)
    from django.db.models import Count, Q

    from suotdoi.organisations.access import grants_for

    own_units = {g.unit_id for g in grants_for(request.user)}
    launched = Task.objects.select_related("campaign", "unit").filter(campaign__status="launched")
    # The tasks of the units the person holds a role in, one card each ...
    own = launched.filter(unit_id__in=own_units).order_by("campaign__report_due")
    # ... and the tasks of the units below them, one line per campaign with how far they are
    # (a provincial officer's list opened with 20 identical cards, #16.12).
    tq = scope_q(request.user, Capability.VIEW, field="unit_path")
    below = launched.exclude(unit_id__in=own_units)
    below = below if tq is None else below.filter(tq)
    below = (
        below.values("campaign_id", "campaign__title", "campaign__report_due")
        .annotate(n=Count("id"), done=Count("id", filter=Q(done=True)))
        .order_by("campaign__report_due")
    )
    return render(
        request,
        "campaigns/list.html",
        {"issued": issued.order_by("-starts_on")[:50], "tasks": own[:50], "below": below[:50]},
    )


@login_required
def campaign_create(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = CampaignForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaign = actions.campaign_create(actor=request.user, issuer=unit, **data)
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/create.html", {"unit": unit, "form": form})


@login_required
def campaign_detail(request, campaign_id):
    """The issuer's dashboard: totals, a row per unit one level down (or per tree of a joint
    campaign), drill-down, reasons for lagging, progress over time, material, history."""
    from ..access import visible_roots
    from ..forms import DocumentForm, ExtendForm, PartnerForm
    from ..models import CampaignPartner

    campaign = access_campaign(request.user, campaign_id)
    all_roots = selectors.campaign_roots(campaign)
    roots = visible_roots(request.user, campaign, all_roots)
    joint = len(all_roots) > 1
    focus = None
    if request.GET.get("focus"):
        focus = Unit.objects.filter(pk=_int(request.GET["focus"])).first()
        if focus is None or not any(focus.path.startswith(r.path) for r in roots):
            raise NotFound()
    elif not (joint and len(roots) > 1):
        focus = roots[0]
    if focus is None:
        rows = selectors.root_rows(campaign=campaign, roots=roots)
    else:
        rows = selectors.dashboard_rows(campaign=campaign, focus=focus)
    sort = request.GET.get("sort", "done_pct")
    if sort in ("done_pct", "attendance_pct", "sessions", "tasks"):
        rows.sort(key=lambda r: (r[sort], r["unit"].name))
    may_manage = can(request.user, campaign.issuer, Capability.MANAGE_MEMBERS)
    sees_all = len(roots) == len(all_roots)
    if not request.GET.get("focus") and sees_all:
        actions.campaign_snapshot(campaign=campaign)
    subs = [
        (sub, selectors.rollup(campaign=sub, focus=sub.issuer))
        for sub in campaign.subcampaigns.select_related("issuer").order_by("issuer__path")
        if any(sub.issuer.path.startswith(r.path) for r in roots)
    ]
    focused = bool(focus and request.GET.get("focus"))
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "focus": focus,
            # A raw "&": the template escapes it once (it was written "&amp;" and came out
            # "&amp;amp;", so sorting after a drill-down lost the focus).
            "focus_param": f"focus={focus.pk}&" if focused else "",
            # The cards sum what the table shows: the unit in focus once someone drilled down.
            "total": selectors.rollup(
                campaign=campaign, focus=focus if focused else (None if sees_all else focus)
            ),
            "rows": rows,
            "events": campaign.events.select_related("actor"),
            "may_manage": may_manage,
            "breadcrumbs": _breadcrumbs(roots, focus) if request.GET.get("focus") else [],
            "documents": selectors.documents_of(campaign),
            "partners": CampaignPartner.objects.filter(campaign=campaign).select_related("unit"),
            "subcampaigns": subs,
            "chart": selectors.progress_chart(campaign) if sees_all else None,
            "document_form": DocumentForm(prefix="d") if may_manage else None,
            "partner_form": PartnerForm(prefix="p") if may_manage and not campaign.parent else None,
            "extend_form": ExtendForm(
                prefix="e", initial={"ends_on": campaign.ends_on, "report_due": campaign.report_due}
            )
            if may_manage
            else None,
        },
    )


def _breadcrumbs(roots: list[Unit], focus: Unit) -> list[Unit]:
    root = next(r for r in roots if focus.path.startswith(r.path))
    chain = [u for u in Unit.objects.get_ancestors(focus) if u.path.startswith(root.path)]
    return [*chain, focus] if focus.pk != root.pk else [focus]


@login_required
@require_POST
def campaign_extend(request, campaign_id):
    from ..forms import ExtendForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = ExtendForm(request.POST, prefix="e")
    if form.is_valid():
        with action_errors(request):
            actions.campaign_extend(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("The campaign was extended."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_launch(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    with action_errors(request):
        n = actions.campaign_launch(actor=request.user, campaign=campaign)
        messages.success(request, _("Launched: %(n)s units received the task.") % {"n": n})
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_close(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    actions.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_remind(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    lagging = Task.objects.filter(campaign=campaign, done=False).select_related("unit")
    n = actions.remind_lagging(actor=request.user, campaign=campaign, tasks=lagging)
    messages.success(request, _("%(n)s officers of lagging units were reminded.") % {"n": n})
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def campaign_export_xlsx(request, campaign_id):
    from django.http import FileResponse

    from ..exporting import campaign_xlsx

    campaign = access_campaign(request.user, campaign_id)
    return FileResponse(
        campaign_xlsx(campaign=campaign),
        as_attachment=True,
        filename=f"dot-hoc-tap-{campaign.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def campaign_report_pdf(request, campaign_id):
    from django.http import HttpResponse

    from ..exporting import campaign_pdf

    campaign = access_campaign(request.user, campaign_id)
    pdf = campaign_pdf(campaign=campaign, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{campaign.pk}.pdf"'
    return response

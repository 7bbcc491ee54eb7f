"""Study material, joint campaigns with a partner tree, and sub-campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions, selectors
from ..access import access_campaign, access_task


@login_required
@require_POST
def document_add(request, campaign_id):
    from ..forms import DocumentForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = DocumentForm(request.POST, request.FILES, prefix="d")
    if form.is_valid():
        d = form.cleaned_data
        with action_errors(request):
            doc = actions.document_add(
                actor=request.user,
                campaign=campaign,
                title=d["title"],
                upload=d.get("file"),
                url=d.get("url") or "",
                note=d.get("note") or "",
            )
            messages.success(
                request,
                _("Added: %(title)s (version %(v)s)") % {"title": doc.title, "v": doc.version},
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def document_download(request, document_id):
    from django.http import FileResponse

    from ..access import may_read_material
    from ..models import CampaignDocument

    doc = (
        CampaignDocument.objects.select_related("campaign__issuer")
        .filter(pk=_int(document_id))
        .first()
    )
    if doc is None or not doc.file or not may_read_material(request.user, doc.campaign):
        raise NotFound()
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def partner_invite(request, campaign_id):
    from ..forms import PartnerForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = PartnerForm(request.POST, prefix="p")
    unit = None
    if form.is_valid():
        found = list(Unit.objects.filter(code=form.cleaned_data["code"].strip())[:2])
        unit = found[0] if len(found) == 1 else None
    if unit is None:
        messages.error(request, _("No unit has this code."))
    else:
        with action_errors(request):
            actions.partner_invite(actor=request.user, campaign=campaign, unit=unit)
            messages.success(
                request,
                _(
                    "The unit with code %(code)s was invited. Its name and its units appear "
                    "once its officers accept."
                )
                % {"code": unit.code},
            )
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def partner_accept(request, campaign_id, partner_id):
    """The partner's officers read the invitation and accept it."""
    from ..models import CampaignPartner

    p = (
        CampaignPartner.objects.select_related("campaign__issuer", "unit")
        .filter(pk=_int(partner_id), campaign_id=_int(campaign_id))
        .first()
    )
    if p is None or not can(request.user, p.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if request.method == "POST":
        with action_errors(request):
            n = actions.partner_accept(actor=request.user, partner=p)
            messages.success(
                request, _("Accepted: %(n)s of your units received the task.") % {"n": n}
            )
            return redirect("campaigns:detail", campaign_id=p.campaign_id)
    return render(
        request,
        "campaigns/partner.html",
        {"partner": p, "campaign": p.campaign, "documents": selectors.documents_of(p.campaign)},
    )


@login_required
@require_POST
def subcampaign_create(request, task_id):
    from ..forms import SubCampaignForm

    task = access_task(request.user, task_id, Capability.MANAGE_MEMBERS)
    form = SubCampaignForm(request.POST, prefix="sub", unit=task.unit)
    if form.is_valid():
        with action_errors(request):
            sub = actions.subcampaign_create(actor=request.user, task=task, **form.cleaned_data)
            return redirect("campaigns:detail", campaign_id=sub.pk)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:task", task_id=task.pk)

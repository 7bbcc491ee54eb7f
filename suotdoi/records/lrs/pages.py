"""Officer pages: a unit's xAPI clients (create, revoke) and the statements they wrote."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability
from suotdoi.records.models import EntryKind

from .actions import lrs_client_create, lrs_client_revoke
from .models import LrsClient, Statement
from .records_bridge import RULES


class ClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the tool or course"),
        max_length=120,
        help_text=gettext_lazy("For example: Moodle of the centre, the museum kiosk."),
    )


@login_required
def unit_lrs(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.VIEW_MEMBERS)
    from suotdoi.organisations.access import can

    may_manage = can(request.user, unit, Capability.MANAGE_MEMBERS)
    form = ClientForm(request.POST or None)
    created = None
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if form.is_valid():
            client, secret = lrs_client_create(
                actor=request.user, unit=unit, name=form.cleaned_data["name"]
            )
            created = {"key": client.key, "secret": secret}
            form = ClientForm()
    clients = LrsClient.objects.filter(unit=unit).order_by("-created_at")
    statements = Paginator(
        Statement.objects.filter(unit_path__startswith=unit.path)
        .select_related("client")
        .only(
            "statement_id",
            "stored",
            "verb_id",
            "actor_key",
            "activity_id",
            "voided",
            "client__name",
        )
        .order_by("-seq"),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "lrs/unit.html",
        {
            "unit": unit,
            "clients": clients,
            "form": form,
            "created": created,
            "may_manage": may_manage,
            "statements": statements,
            "rules": [(verb, needs, EntryKind(kind).label) for verb, needs, kind, _h in RULES],
            "endpoint": request.build_absolute_uri("/xapi/"),
        },
    )


@login_required
@require_POST
def client_revoke(request, unit_id, client_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    client = LrsClient.objects.filter(pk=client_id, unit=unit).first()
    if client is None:
        raise NotFound()
    lrs_client_revoke(actor=request.user, client=client)
    messages.success(request, _("The credentials are revoked: the tool can no longer write."))
    return redirect("lrs_pages:unit", unit_id=unit.pk)

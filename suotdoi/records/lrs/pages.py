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
from .attempts import BUILTIN_UNIT_TYPES
from .models import LearningUnitType, LrsClient, Statement
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
            "unit_types": [{"iri": iri, "label": label} for iri, label, _kind in BUILTIN_UNIT_TYPES]
            + list(LearningUnitType.objects.filter(active=True).values("iri", "label")),
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


class OriginsForm(forms.Form):
    origins = forms.CharField(
        label=gettext_lazy("Web addresses the tool's content is served from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line, like https://hoc.example.vn — e-learning packages (Storyline, Rise, "
            "iSpring, H5P, cmi5) running there may call the LRS with this tool's credentials."
        ),
    )
    any_origin = forms.BooleanField(
        label=gettext_lazy("Any web address (for public content only)"), required=False
    )

    def clean_origins(self):
        from .cors import clean_origin

        out = []
        for line in self.cleaned_data["origins"].splitlines():
            if not line.strip():
                continue
            origin = clean_origin(line)
            if origin is None:
                raise forms.ValidationError(
                    _("“%(line)s” is not a web address like https://hoc.example.vn")
                    % {"line": line.strip()[:80]}
                )
            out.append(origin)
        return out


class OfficerLinkForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Member's phone"), max_length=20)
    account_name = forms.CharField(
        label=gettext_lazy("The member's id in the tool"), max_length=200
    )
    home_page = forms.URLField(
        label=gettext_lazy("The tool's home page (account homePage)"), max_length=300
    )
    consent_note = forms.CharField(
        label=gettext_lazy("How the member consented"),
        max_length=300,
        help_text=gettext_lazy("For example: signed form of 12/03/2026, kept by the union."),
    )


@login_required
def client_settings(request, unit_id, client_id):
    """One tool: where its browser content may call from, and members linked by officers."""
    from suotdoi.core.vn import normalise_phone
    from suotdoi.web.flows import action_errors

    from . import linking
    from .actions import lrs_client_origins_set
    from .models import LearnerLink

    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    client = LrsClient.objects.filter(pk=client_id, unit=unit).first()
    if client is None:
        raise NotFound()
    origins_form = OriginsForm(
        initial={"origins": "\n".join(client.allowed_origins), "any_origin": client.any_origin}
    )
    link_form = OfficerLinkForm()
    if request.method == "POST" and "origins" in request.POST:
        origins_form = OriginsForm(request.POST)
        if origins_form.is_valid():
            lrs_client_origins_set(
                actor=request.user,
                client=client,
                origins=origins_form.cleaned_data["origins"],
                any_origin=origins_form.cleaned_data["any_origin"],
            )
            messages.success(request, _("Saved."))
            return redirect("lrs_pages:client", unit_id=unit.pk, client_id=client.pk)
    elif request.method == "POST":
        link_form = OfficerLinkForm(request.POST)
        if link_form.is_valid():
            from django.contrib.auth import get_user_model

            d = link_form.cleaned_data
            try:
                phone = normalise_phone(d["phone"])
            except Exception:  # noqa: BLE001 - a malformed number is simply nobody
                phone = None
            person = get_user_model().objects.filter(phone=phone).first() if phone else None
            with action_errors(request, form=link_form) as outcome:
                linking.link_by_officer(
                    actor=request.user,
                    client=client,
                    person=person,
                    account_name=d["account_name"],
                    home_page=d["home_page"],
                    consent_note=d["consent_note"],
                )
            if outcome.ok:
                messages.success(request, _("Linked. The member sees it and can undo it."))
                return redirect("lrs_pages:client", unit_id=unit.pk, client_id=client.pk)
    links = LearnerLink.objects.filter(client=client, revoked_at__isnull=True).select_related(
        "person"
    )
    return render(
        request,
        "lrs/client.html",
        {
            "unit": unit,
            "client": client,
            "origins_form": origins_form,
            "link_form": link_form,
            "links": links.order_by("-created_at")[:200],
        },
    )

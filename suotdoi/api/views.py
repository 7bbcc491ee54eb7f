"""Pages where a unit's officers make and revoke API tokens, and the OAuth 2.0 token endpoint."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from suotdoi.core import ratelimit
from suotdoi.core.clients import client_ip
from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import tokens
from .models import ApiToken

CAPABILITY_LABELS = {
    Capability.VIEW: gettext_lazy("read the units and their figures"),
    Capability.VIEW_MEMBERS: gettext_lazy("read member lists"),
    Capability.MANAGE_MEMBERS: gettext_lazy("add, update and end memberships; record learning"),
    Capability.MANAGE_UNITS: gettext_lazy("create and change units"),
    Capability.VIEW_AUDIT: gettext_lazy("read the audit log"),
    Capability.EVALUATE: gettext_lazy("evaluate assessments"),
    Capability.ISSUE_CREDENTIALS: gettext_lazy("issue and revoke credentials"),
    Capability.REPORT: gettext_lazy("prepare, submit and review periodic reports"),
}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Which system will use it?"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "Phần mềm quản lý đoàn viên"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=ApiToken.KINDS, widget=forms.RadioSelect
    )
    capabilities = forms.MultipleChoiceField(
        label=gettext_lazy("What may it do?"), widget=forms.CheckboxSelectMultiple
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("one year")),
        ],
        initial=365,
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].choices = [(c.value, CAPABILITY_LABELS[c]) for c in allowed]


@never_cache
@login_required
def unit_tokens(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    allowed = tokens.grantable(request.user, unit)
    form = TokenForm(allowed=allowed, initial={"kind": ApiToken.PERSONAL})
    shown = None
    if request.method == "POST":
        form = TokenForm(request.POST, allowed=allowed)
        if form.is_valid():
            d = form.cleaned_data
            with action_errors(request, form=form) as outcome:
                row, secret = tokens.token_create(
                    actor=request.user,
                    unit=unit,
                    kind=d["kind"],
                    name=d["name"],
                    capabilities=d["capabilities"],
                    days=d["days"],
                )
            if outcome.ok:
                # Shown in this response only: never stored, never shown again.
                shown = {"row": row, "secret": secret}
                form = TokenForm(allowed=allowed, initial={"kind": ApiToken.PERSONAL})
    rows = ApiToken.objects.filter(unit=unit).select_related("owner").order_by("-created_at")
    return render(
        request,
        "api/unit_tokens.html",
        {
            "unit": unit,
            "form": form,
            "rows": rows[:200],
            "shown": shown,
            "labels": {c.value: CAPABILITY_LABELS[c] for c in CAPABILITY_LABELS},
            "token_url": request.build_absolute_uri("/api/v1/oauth/token"),
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    row = tokens.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Revoked: the token no longer works."))
    return redirect("api_pages:unit_tokens", unit_id=row.unit_id)


def _oauth_error(code: str, status: int = 400, description: str = "") -> JsonResponse:
    body = {"error": code}
    if description:
        body["error_description"] = description
    r = JsonResponse(body, status=status)
    r["Cache-Control"] = "no-store"
    if status == 401:
        r["WWW-Authenticate"] = 'Basic realm="suotdoi"'
    return r


@csrf_exempt
def oauth_token(request):
    """OAuth 2.0 token endpoint, client credentials grant only (RFC 6749 §4.4). Client
    authentication by HTTP Basic or by client_id/client_secret in the form body."""
    if request.method != "POST":
        return _oauth_error("invalid_request", 405)
    if not ratelimit.allow(f"oauth:{client_ip(request)}", 30, 60):
        return _oauth_error("slow_down", 429)
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type")
    client_id, client_secret = request.POST.get("client_id"), request.POST.get("client_secret")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            raw = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return _oauth_error("invalid_client", 401)
        cid, _sep, secret = raw.partition(":")
        client_id, client_secret = unquote(cid), unquote(secret)
    if not client_id or not client_secret:
        return _oauth_error("invalid_client", 401)
    got = tokens.client_token(client_id=client_id, client_secret=client_secret)
    if got is None:
        return _oauth_error("invalid_client", 401)
    value, expires_in = got
    r = JsonResponse({"access_token": value, "token_type": "Bearer", "expires_in": expires_in})
    r["Cache-Control"] = "no-store"
    r["Pragma"] = "no-cache"
    return r

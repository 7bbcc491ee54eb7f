"""Pages and the one tool endpoint around a learner's links and the tools' reports."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError
from suotdoi.core.ratelimit import allow
from suotdoi.web.flows import action_errors

from . import actions, cors, linking
from .auth import client_from_header
from .http import error, load_json, respond
from .models import LearnerLink


@csrf_exempt
def link_request_api(request):
    """POST /xapi/links {"account": {"homePage", "name"}, "name": "…"} with the client's
    credentials → 201 {"code", "expires", "confirm_at"}: the code the tool shows its learner."""
    if request.method == "OPTIONS":
        return cors.preflight(request)
    client = client_from_header(request.headers.get("Authorization"))
    if client is None:
        response = error(401, "LRS client credentials (HTTP Basic) are required")
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    elif request.method != "POST":
        response = error(405, "POST a learner account to get a code")
    elif not allow(f"lrs-link:{client.key}", 600, 3600):
        response = error(429, "too many link requests; try again later")
    else:
        try:
            body = load_json(request.body)
            account = body.get("account") if isinstance(body, dict) else None
            if not isinstance(account, dict):
                raise ValueError("an account object is required")
            req, code = linking.link_request_create(
                client=client,
                home_page=str(account.get("homePage") or ""),
                account_name=str(account.get("name") or ""),
                display_name=str(body.get("name") or ""),
            )
        except (ValueError, ApplicationError) as exc:
            response = error(400, str(exc))
        else:
            confirm = settings.PUBLIC_URL.rstrip("/") + "/record/lrs/tools/"
            response = respond(
                201, {"code": code, "expires": req.expires_at.isoformat(), "confirm_at": confirm}
            )
    return cors.decorate(request, response, client)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code shown by the learning tool"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


@login_required
def my_tools(request):
    """The learner's links to learning tools, and what tools outside their units reported."""
    from suotdoi.records.models import EntryStatus, LearningEntry

    form = CodeForm(request.POST or None)
    pending = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if not allow(f"lrs-code:{request.user.pk}", 10, 900):
            form.add_error("code", _("Too many tries. Wait a quarter of an hour."))
        elif "confirm" in request.POST:
            with action_errors(request, form=form, field="code"):
                link = linking.link_confirm(actor=request.user, code=code)
                messages.success(
                    request,
                    _("Linked: what %(tool)s reports about you now reaches your record.")
                    % {"tool": link.client.name},
                )
                return redirect("lrs_pages:my_tools")
        else:
            pending = linking.link_request_for_code(code)
            if pending is None:
                form.add_error("code", _("This code is not valid, already used or expired."))
    links = LearnerLink.objects.filter(person=request.user, revoked_at__isnull=True).select_related(
        "client__unit"
    )
    reported = LearningEntry.objects.filter(person=request.user, status=EntryStatus.REPORTED)
    return render(
        request,
        "lrs/my_tools.html",
        {
            "form": form,
            "pending": pending,
            "links": links,
            "reported": reported.order_by("-start_date")[:50],
        },
    )


@login_required
@require_POST
def link_revoke(request, link_id: int):
    link = linking.link_revoke(actor=request.user, link_id=link_id)
    messages.success(
        request, _("Unlinked: %(tool)s no longer reaches your record.") % {"tool": link.client.name}
    )
    return redirect("lrs_pages:my_tools")


@login_required
@require_POST
def reported_decide(request, entry_id: int):
    if request.POST.get("decision") == "accept":
        actions.reported_accept(actor=request.user, entry_id=entry_id)
        messages.success(request, _("Added to your record."))
    else:
        actions.reported_dismiss(actor=request.user, entry_id=entry_id)
        messages.success(request, _("Dismissed: it will not count."))
    return redirect("lrs_pages:my_tools")

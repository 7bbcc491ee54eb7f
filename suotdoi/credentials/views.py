"""My credentials, public verification and sharing, and the issuing unit's pages."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.clients import client_ip
from suotdoi.core.errors import NotFound
from suotdoi.core.ratelimit import allow
from suotdoi.records.access import access_entry_to_verify_by_id
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .access import (
    access_checked_credential,
    access_endorsable_achievement,
    access_issuing_unit,
    access_own_credential,
    access_shared_credential,
    access_unit_credential,
    issuer_of,
)
from .documents import public_url
from .forms import EndorseForm, IssuerForm, RecipientCheckForm, RevokeForm, VerifyForm
from .models import StatusList
from .pdf import certificate_pdf, check_url
from .verification import (
    INVALID,
    REVOKED,
    Outcome,
    achievement_by_uid,
    recipient_matches,
    verify_document,
    verify_text,
)

VC_JSON = "application/vc+ld+json"


def _public(response):
    response["X-Robots-Tag"] = "noindex"
    # same-origin: the token in the address never leaves the site, and the browser still sends
    # its Origin on the page's own forms (with no-referrer it sends "Origin: null", which CSRF
    # refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


# --- the learner ---


@login_required
def my_credentials(request):
    page = Paginator(selectors.credentials_of(person=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "credentials/mine.html", {"page": page})


def _share_links(credential, url: str) -> dict:
    issued = timezone.localtime(credential.issued_at)
    linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": credential.achievement.name,
            "organizationName": credential.achievement.issuer.name,
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": url,
            "certId": str(credential.uid),
        }
    )
    facebook = "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    return {"linkedin": linkedin, "facebook": facebook}


@login_required
def detail(request, uid):
    c = access_own_credential(request.user, uid)
    share_url = (
        public_url(reverse("credentials:shared", args=[c.share_token])) if c.share_token else ""
    )
    return render(
        request,
        "credentials/detail.html",
        {
            "c": c,
            "outcome": verify_document(c.document),
            "share_url": share_url,
            "links": _share_links(c, share_url) if share_url else {},
            "check_url": check_url(c),
        },
    )


@login_required
def download_json(request, uid):
    c = access_own_credential(request.user, uid)
    response = HttpResponse(
        json.dumps(c.document, ensure_ascii=False, indent=2), content_type=VC_JSON
    )
    response["Content-Disposition"] = f'attachment; filename="credential-{c.uid}.json"'
    return response


@login_required
def download_pdf(request, uid):
    c = access_own_credential(request.user, uid)
    pdf = certificate_pdf(credential=c, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{c.uid}.pdf"'
    return response


@login_required
@require_POST
def share(request, uid):
    c = access_own_credential(request.user, uid)
    on = request.POST.get("on") == "1"
    actions.credential_share_set(actor=request.user, credential=c, on=on)
    messages.success(
        request,
        _("Your public link is on: anyone with it can check this credential.")
        if on
        else _("Your public link is off: it no longer opens."),
    )
    return redirect("credentials:detail", uid=c.uid)


# --- anyone ---

HOLDER_CHECKS_PER_IP = 10  # in 10 minutes
HOLDER_CHECKS_PER_CREDENTIAL = 20  # in an hour


def _verification_page(request, outcome: Outcome, *, credential=None, og: bool = False):
    if request.GET.get("format") == "json":
        return _public(JsonResponse(outcome.as_json(), json_dumps_params={"ensure_ascii": False}))
    form = RecipientCheckForm(request.POST or None) if credential is not None else None
    recipient_answer = None
    status = 200
    if form is not None and request.method == "POST" and form.is_valid():
        # Limited per client address and per credential, so the check cannot be turned into
        # a lookup of whose phone or email this is.
        ip = client_ip(request) or "unknown"
        if allow(f"holder-ip:{ip}", HOLDER_CHECKS_PER_IP, 600) and allow(
            f"holder-cred:{credential.pk}", HOLDER_CHECKS_PER_CREDENTIAL, 3600
        ):
            recipient_answer = recipient_matches(
                outcome.document or {}, form.cleaned_data["claim"], credential
            )
        else:
            recipient_answer = "limited"
            status = 429
    response = _public(
        render(
            request,
            "credentials/verification.html",
            {
                "outcome": outcome,
                "credential": credential,
                "og": og,
                "page_url": request.build_absolute_uri(),
                "recipient_form": form,
                "recipient_answer": recipient_answer,
            },
            status=status,
        )
    )
    return response


def shared(request, token):
    c = access_shared_credential(token)
    return _verification_page(request, verify_document(c.document), credential=c, og=True)


def check(request, uid, digest):
    """The certificate's QR code: valid only if the link names exactly what we issued."""
    c = access_checked_credential(uid, digest)
    if c is None:
        outcome = Outcome(
            INVALID,
            _(
                "Not valid: this link does not match any credential issued on Suốt Đời. "
                "The certificate may have been altered."
            ),
            errors=["unknown_link"],
        )
        return _verification_page(request, outcome)
    if c.revoked_at is not None:
        # Our own record of the revocation is the answer, whatever the stored copy still holds
        # (an erased holder's copy no longer carries their name, so its signature cannot hold).
        outcome = Outcome(
            REVOKED,
            _("Revoked: the issuer has withdrawn this credential."),
            errors=["revoked"],
        )
        return _verification_page(request, outcome, credential=c)
    return _verification_page(request, verify_document(c.document), credential=c)


def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = verify_text(form.cleaned_data["text"])
    return _public(render(request, "credentials/verify.html", {"form": form, "outcome": outcome}))


def status_list(request, uid):
    sl = StatusList.objects.filter(uid=uid).only("signed_json").first()
    if sl is None or not sl.signed_json:
        raise NotFound()
    response = HttpResponse(sl.signed_json, content_type=VC_JSON)
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def achievement(request, uid):
    from .documents import achievement_json
    from .verification import endorsements_for

    a = achievement_by_uid(uid)
    if a is None:
        raise NotFound()
    key = a.issuer.keys.order_by("-created_at").first()
    data = achievement_json(a, key.did if key else "")
    if "json" in request.headers.get("Accept", "") or request.GET.get("format") == "json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "credentials/achievement.html",
        {"a": a, "data": data, "endorsements": endorsements_for(data["id"])},
    )


# --- the issuing unit ---


@login_required
def unit_credentials(request, unit_id):
    unit = access_issuing_unit(request.user, unit_id)
    issuer = issuer_of(unit)
    initial = {"name": unit.name, "auto_issue_kinds": ["course"]}
    if issuer is not None:
        initial = {
            f: getattr(issuer, f)
            for f in (
                "name",
                "url",
                "email",
                "signer_name",
                "signer_title",
                "quality_assurance",
                "auto_issue_kinds",
            )
        }
    form = IssuerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.issuer_enable(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("The unit's issuer profile has been saved."))
        return redirect("credentials:unit", unit_id=unit.pk)
    issued = None
    awaiting = []
    awaiting_total = 0
    keys = []
    if issuer is not None:
        issued = Paginator(selectors.credentials_issued_by(unit=unit), 30).get_page(
            request.GET.get("page")
        )
        awaiting = selectors.entries_awaiting_credential(unit=unit)
        awaiting_total = selectors.count_awaiting_credential(unit=unit)
        keys = list(issuer.keys.order_by("-created_at").only("did", "created_at", "retired_at"))
    return render(
        request,
        "credentials/unit.html",
        {
            "unit": unit,
            "issuer": issuer,
            "form": form,
            "issued": issued,
            "awaiting": awaiting,
            "awaiting_total": awaiting_total,
            "keys": keys,
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def unit_issue_entry(request, unit_id, entry_id):
    unit = access_issuing_unit(request.user, unit_id)
    entry = access_entry_to_verify_by_id(request.user, entry_id)
    if entry.unit_id != unit.pk:
        raise NotFound()
    with action_errors(request):
        _c, created = actions.credential_issue_for_entry(actor=request.user, entry=entry)
        if created:
            messages.success(
                request, _("Credential issued to %(name)s.") % {"name": entry.person.full_name}
            )
    return redirect("credentials:unit", unit_id=unit.pk)


@login_required
@require_POST
def unit_issue_all(request, unit_id):
    """Issue every missing credential of the unit in the background (a class, a campaign)."""
    from functools import partial

    from django.db import transaction

    from .tasks import credential_issue_for_unit_task

    unit = access_issuing_unit(request.user, unit_id)
    if issuer_of(unit) is None:
        raise NotFound()
    n = selectors.count_awaiting_credential(unit=unit)
    transaction.on_commit(partial(credential_issue_for_unit_task.enqueue, unit.pk, request.user.pk))
    messages.success(
        request,
        _("%(n)s credentials are being issued; reload this page in a minute.") % {"n": n},
    )
    return redirect("credentials:unit", unit_id=unit.pk)


@login_required
@require_POST
def unit_revoke(request, unit_id, uid):
    unit = access_issuing_unit(request.user, unit_id)
    c = access_unit_credential(request.user, unit, uid)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for revoking."))
        return redirect("credentials:unit", unit_id=unit.pk)
    with action_errors(request) as outcome:
        actions.credential_revoke(
            actor=request.user, credential=c, reason=form.cleaned_data["reason"]
        )
    if outcome.ok:
        messages.success(request, _("The credential has been revoked; verification now shows it."))
    return redirect("credentials:unit", unit_id=unit.pk)


@login_required
@require_POST
def unit_rotate_key(request, unit_id):
    unit = access_issuing_unit(request.user, unit_id)
    issuer = issuer_of(unit)
    if issuer is None:
        raise NotFound()
    actions.issuer_key_rotate(actor=request.user, issuer=issuer)
    messages.success(
        request, _("A new key signs from now on; credentials signed before stay verifiable.")
    )
    return redirect("credentials:unit", unit_id=unit.pk)


@login_required
def unit_endorse_list(request, unit_id):
    unit = access_issuing_unit(request.user, unit_id)
    issuer = issuer_of(unit)
    achievements = selectors.endorsable_achievements(unit=unit, endorser=issuer) if issuer else []
    return render(
        request,
        "credentials/endorse.html",
        {"unit": unit, "issuer": issuer, "achievements": achievements, "form": EndorseForm()},
    )


@login_required
@require_POST
def unit_endorse(request, unit_id, uid):
    unit = access_issuing_unit(request.user, unit_id)
    a = access_endorsable_achievement(request.user, unit, uid)
    issuer = issuer_of(unit)
    form = EndorseForm(request.POST)
    if issuer is None or not form.is_valid():
        messages.error(request, _("Write what your unit endorses, and set up the issuer profile."))
        return redirect("credentials:unit_endorse", unit_id=unit.pk)
    with action_errors(request) as outcome:
        actions.endorsement_create(
            actor=request.user, endorser=issuer, achievement=a, comment=form.cleaned_data["comment"]
        )
    if outcome.ok:
        messages.success(request, _("Endorsed: %(name)s") % {"name": a.name})
    return redirect("credentials:unit_endorse", unit_id=unit.pk)

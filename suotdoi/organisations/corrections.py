"""Correction requests: a member asks a unit they belong to; its officers answer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Say

from .access import access_unit_by_id, can
from .models import CorrectionRequest, Membership
from .policies import STAFF_ROLES, Capability


@transaction.atomic
def correction_ask(*, actor, unit, message: str) -> CorrectionRequest:
    if not Membership.objects.filter(person=actor, unit=unit, end_date__isnull=True).exists():
        raise NotFound()
    message = message.strip()
    if len(message) < 10:
        raise ValidationFailed(_("Say what is wrong and what it should say."))
    req = CorrectionRequest.objects.create(person=actor, unit=unit, message=message[:2000])
    audit_log(actor=actor, verb="correction.ask", target=req, unit=unit)
    for m in Membership.objects.filter(
        unit=unit, role__in=STAFF_ROLES, end_date__isnull=True
    ).select_related("person"):
        notify(
            recipient=m.person,
            kind="correction.asked",
            title=Say(gettext_noop("%(name)s asks for a correction"), name=actor.full_name),
            body=message[:300],
            url=f"/units/{unit.pk}/corrections/",
            dedupe_key=f"correction:{req.pk}:{m.person_id}",
        )
    return req


@transaction.atomic
def correction_answer(*, actor, request_id: int, done: bool, answer: str) -> CorrectionRequest:
    req = (
        CorrectionRequest.objects.select_for_update()
        .select_related("unit", "person")
        .filter(pk=request_id, status=CorrectionRequest.OPEN)
        .first()
    )
    if req is None or not can(actor, req.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    req.status = CorrectionRequest.DONE if done else CorrectionRequest.DECLINED
    req.answer = answer.strip()[:500]
    if not done and not req.answer:
        raise ValidationFailed(_("Say why the data stays as it is."))
    req.answered_by, req.answered_at = actor, timezone.now()
    req.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_log(
        actor=actor,
        verb="correction.answer",
        target=req,
        unit=req.unit,
        on_behalf_of=req.person,
        data={"status": req.status},
    )
    notify(
        recipient=req.person,
        kind="correction.answered",
        title=Say(
            gettext_noop("%(unit)s corrected your data")
            if done
            else gettext_noop("%(unit)s answered your correction request"),
            unit=req.unit.name,
        ),
        body=req.answer,
        url="/units/mine/",
        dedupe_key=f"correction.answered:{req.pk}",
    )
    return req


class AskForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Which unit holds it"), coerce=int)
    message = forms.CharField(
        label=gettext_lazy("What is wrong, and what should it say?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@login_required
def my_corrections(request):
    memberships = list(
        Membership.objects.filter(person=request.user, end_date__isnull=True).select_related("unit")
    )
    form = AskForm(request.POST or None)
    form.fields["unit"].choices = [(m.unit_id, m.unit.name) for m in memberships]
    if request.method == "POST" and form.is_valid():
        unit = next(m.unit for m in memberships if m.unit_id == form.cleaned_data["unit"])
        try:
            correction_ask(actor=request.user, unit=unit, message=form.cleaned_data["message"])
        except ValidationFailed as exc:
            form.add_error("message", str(exc.message))
        else:
            messages.success(
                request, _("Sent to %(unit)s. You will be told the answer.") % {"unit": unit.name}
            )
            return redirect("organisations:my_corrections")
    items = CorrectionRequest.objects.filter(person=request.user).select_related("unit")[:50]
    return render(request, "organisations/corrections_mine.html", {"form": form, "items": items})


@login_required
def unit_corrections(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    items = CorrectionRequest.objects.filter(unit=unit).select_related("person")[:100]
    return render(request, "organisations/corrections_unit.html", {"unit": unit, "items": items})


@login_required
@require_POST
def correction_decide(request, unit_id, request_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    if not CorrectionRequest.objects.filter(pk=request_id, unit=unit).exists():
        raise NotFound()
    try:
        correction_answer(
            actor=request.user,
            request_id=request_id,
            done=request.POST.get("decision") == "done",
            answer=request.POST.get("answer", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Answered; the member is told."))
    return redirect("organisations:unit_corrections", unit_id=unit.pk)

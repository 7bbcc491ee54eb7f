"""Pages of assisted use: the officer's page for one member, and withdrawing a consent."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suotdoi.organisations.access import access_membership_by_id
from suotdoi.web.flows import action_errors

from . import actions, assist
from .forms import DeclareForm


class ConsentForm(forms.Form):
    given_on = forms.DateField(
        label=gettext_lazy("Date the member signed"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    form_photo = forms.FileField(
        label=gettext_lazy("Photo of the signed consent form"),
        help_text=gettext_lazy("A photo or PDF of the paper form, at most 10 MB."),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=300)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code the member reads out"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        ),
    )


@login_required
def assist_member(request, membership_id):
    from suotdoi.records.panels import assist_panels

    m = access_membership_by_id(request.user, membership_id)
    consent = assist.active_consent(unit=m.unit, person=m.person)
    consent_form = ConsentForm()
    code_form = CodeForm()
    declare_form = DeclareForm(units=[m.unit], initial={"key": actions.new_declaration_key()})
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "send_code":
        with action_errors(request) as outcome:
            assist.consent_code_send(actor=request.user, membership=m)
        if outcome.ok:
            messages.success(
                request,
                _("A code was sent to %(phone)s. Ask the member to read it to you.")
                % {"phone": m.person.phone_display},
            )
            return redirect("records:assist", membership_id=m.pk)
    elif action == "confirm_code":
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            with action_errors(request, form=code_form) as outcome:
                assist.consent_code_confirm(
                    actor=request.user, membership=m, code=code_form.cleaned_data["code"]
                )
            if outcome.ok:
                messages.success(request, _("Consent recorded. You can now act for this member."))
                return redirect("records:assist", membership_id=m.pk)
    elif request.method == "POST" and "given_on" in request.POST:
        consent_form = ConsentForm(request.POST, request.FILES)
        if consent_form.is_valid():
            with action_errors(request, form=consent_form) as outcome:
                assist.consent_record(actor=request.user, membership=m, **consent_form.cleaned_data)
            if outcome.ok:
                messages.success(
                    request, _("Consent recorded. You can now enter learning for this member.")
                )
                return redirect("records:assist", membership_id=m.pk)
    elif request.method == "POST":
        declare_form = DeclareForm(request.POST, request.FILES, units=[m.unit])
        if declare_form.is_valid():
            with action_errors(request, form=declare_form) as outcome:
                assist.declare_for(actor=request.user, membership=m, **declare_form.entry_fields())
            if outcome.ok:
                messages.success(
                    request,
                    _("Saved in %(name)s's record, marked as entered by you.")
                    % {"name": m.person.full_name},
                )
                return redirect("records:assist", membership_id=m.pk)
    declare_form.fields.pop("unit", None)
    declare_form.fields["kind"].label = _("What did the member do?")
    return render(
        request,
        "records/assist.html",
        {
            "m": m,
            "consent": consent,
            "consent_form": consent_form,
            "code_form": code_form,
            "code_pending": assist.code_pending(actor=request.user, membership=m),
            "declare_form": declare_form,
            "panels": assist_panels(request=request, membership=m) if consent else [],
        },
    )


@login_required
@require_POST
def consent_withdraw(request, consent_id):
    consent = assist.consent_withdraw(actor=request.user, consent_id=consent_id)
    messages.success(request, _("Consent withdrawn: nobody can act for this member any more."))
    if consent.person_id == request.user.pk:
        return redirect("records:mine")
    from suotdoi.organisations.models import Membership

    m = Membership.objects.filter(unit=consent.unit, person=consent.person).first()
    return redirect("records:assist", membership_id=m.pk) if m else redirect("records:mine")

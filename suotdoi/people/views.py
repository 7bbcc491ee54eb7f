from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .actions import person_update_profile
from .forms import ProfileForm
from .models import Person


@login_required
def profile(request):
    person = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            # The form has already copied the values onto `person`; compare with the stored row.
            stored = Person.objects.get(pk=person.pk)
            person = person_update_profile(actor=stored, person=stored, data=form.cleaned_data)
            translation.activate(person.language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("people:profile")
            response.set_cookie(
                "suotdoi_language", person.language, samesite="Lax", max_age=365 * 24 * 3600
            )
            return response
        person.refresh_from_db()
    else:
        form = ProfileForm(instance=person)
    return render(request, "people/profile.html", {"form": form, "person": person})


@login_required
def my_data(request):
    """Everything held about the caller, as one JSON file."""
    import json

    from django.http import HttpResponse

    from suotdoi.audit.actions import audit_log

    from .mydata import personal_data

    data = personal_data(request.user)
    audit_log(actor=request.user, verb="person.export_data", target=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response


NEW_PASSWORD_WINDOW = 15 * 60  # seconds after signing in with a code


def _signed_in_by_code_recently(request) -> bool:
    import time

    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(
        r.get("method") == "code" and time.time() - float(r.get("at", 0)) < NEW_PASSWORD_WINDOW
        for r in records
    )


@login_required
def new_password(request):
    """A new password without the old one, for whoever just proved they hold the phone (or
    email) with a one-time code: the forgotten-password path for people without email."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import SetPasswordForm

    from suotdoi.audit.actions import audit_log

    if not _signed_in_by_code_recently(request):
        messages.info(
            request, _("To choose a new password without the old one, sign in with a code first.")
        )
        return redirect("account_request_login_code")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        audit_log(actor=request.user, verb="person.new_password", target=request.user)
        messages.success(request, _("Your new password is saved."))
        return redirect("people:profile")
    return render(request, "people/new_password.html", {"form": form})


@login_required
def erase(request):
    """The person erases their account: anonymised everywhere, figures kept (people.erasure)."""
    from django import forms
    from django.contrib.auth import logout

    from .erasure import person_erase

    class EraseForm(forms.Form):
        password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
        sure = forms.BooleanField(
            label=_("I understand: my record, credentials and sign-in go, and cannot come back.")
        )

        def clean_password(self):
            if not request.user.check_password(self.cleaned_data["password"]):
                raise forms.ValidationError(_("This is not your password."))
            return self.cleaned_data["password"]

    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person_erase(actor=request.user, person=request.user)
        logout(request)
        messages.success(request, _("Your account is erased. Thank you for learning with us."))
        return redirect("web:home")
    return render(request, "people/erase.html", {"form": form})


def privacy(request):
    """The record of processing, public: what is held, why, on which basis, for how long."""
    from .processing import PROCESSING

    return render(request, "people/privacy.html", {"rows": PROCESSING})


@login_required
def consents(request):
    """The register of consents: every purpose processed on the person's consent, what they
    agreed to under it, and a way to withdraw each."""
    from suotdoi.core.parsing import int_or

    from .consents import consent_withdraw, consents_of

    if request.method == "POST":
        consent_withdraw(
            actor=request.user,
            key=request.POST.get("key", ""),
            item_id=int_or(request.POST.get("item")),
        )
        messages.success(request, _("Withdrawn. Nothing more is done on that consent."))
        return redirect("people:consents")
    return render(request, "people/consents.html", {"sources": consents_of(request.user)})


@login_required
def delivery(request):
    """How the person is notified: push on this phone (turned on by the page's script) and
    email, per group of notifications; the phones and browsers that receive them."""
    from suotdoi.core.errors import ApplicationError
    from suotdoi.notifications import channels, push

    from .delivery import person_delivery_set, person_push_unsubscribe

    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                person_push_unsubscribe(actor=request.user, subscription_id=request.POST["remove"])
                messages.success(request, _("That phone or browser will no longer be notified."))
            else:
                person_delivery_set(
                    actor=request.user,
                    choices={g: request.POST.getlist(g) for g in channels.GROUPS},
                )
                messages.success(request, _("Your choices have been saved."))
        except (ApplicationError, ValueError):
            messages.error(request, _("That phone or browser was not found."))
        return redirect("people:delivery")
    chosen = channels.chosen(request.user)
    groups = [
        {
            "key": g,
            "label": label,
            "channels": [
                {"key": c, "label": c_label, "on": c in chosen[g]}
                for c, c_label in channels.CHANNELS.items()
            ],
        }
        for g, (label, _prefixes) in channels.GROUPS.items()
    ]
    return render(
        request,
        "people/delivery.html",
        {
            "groups": groups,
            "devices": request.user.push_subscriptions.order_by("-created_at"),
            "push_key": push.application_server_key() if push.enabled() else "",
        },
    )


@login_required
def push_subscribe(request):
    """The page's script sends this browser's push subscription (JSON, as the browser's
    PushSubscription.toJSON() gives it)."""
    import json

    from django.http import JsonResponse

    from suotdoi.core.errors import ApplicationError

    from .delivery import person_push_subscribe

    if request.method != "POST":
        return JsonResponse({"error": _("Use POST.")}, status=405)
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        subscription = person_push_subscribe(
            actor=request.user,
            endpoint=str(data.get("endpoint") or ""),
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("The request was not understood.")}, status=400)
    except ApplicationError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    return JsonResponse({"id": subscription.pk}, status=201)

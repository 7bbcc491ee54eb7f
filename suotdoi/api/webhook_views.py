"""A unit's webhook subscriptions and their deliveries."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import webhooks
from .models import WebhookDelivery, WebhookSubscription


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address that receives the events (https://…)"),
        max_length=500,
        assume_scheme="https",
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Tell it when"),
        widget=forms.CheckboxSelectMultiple,
        choices=list(webhooks.EVENT_LABELS.items()),
    )


@never_cache
@login_required
def unit_webhooks(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = SubscriptionForm()
    shown = None
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            with action_errors(request, form=form) as outcome:
                sub, secret = webhooks.subscription_create(
                    actor=request.user,
                    unit=unit,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                )
            if outcome.ok:
                shown = {"sub": sub, "secret": secret}
                form = SubscriptionForm()
    subs = WebhookSubscription.objects.filter(unit=unit, active=True).order_by("-created_at")
    deliveries = (
        WebhookDelivery.objects.filter(subscription__unit=unit)
        .select_related("subscription")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "api/unit_webhooks.html",
        {
            "unit": unit,
            "form": form,
            "subs": subs,
            "deliveries": deliveries,
            "shown": shown,
            "labels": webhooks.EVENT_LABELS,
        },
    )


@login_required
@require_POST
def webhook_end(request, subscription_id):
    sub = webhooks.subscription_end(actor=request.user, subscription_id=subscription_id)
    messages.success(request, _("Nothing more will be sent to that address."))
    return redirect("api_pages:unit_webhooks", unit_id=sub.unit_id)

"""A person's ways of being reached: the phones and browsers subscribed to Web Push, and which
notifications go by push or by email (notifications/channels.py). Each change is audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.notifications import channels, push
from suotdoi.notifications.models import DeliveryPreference, PushSubscription

MAX_DEVICES = 10


@transaction.atomic
def person_push_subscribe(
    *, actor, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """This browser takes the person's notifications. A browser that another account had
    subscribed (a shared phone) now belongs to whoever subscribed it last."""
    if not push.enabled():
        raise ValidationFailed(_("Notifications on the phone are not set up on this server."))
    endpoint = (endpoint or "").strip()
    if len(endpoint) > 800 or push.check_subscription(endpoint, p256dh or "", auth or ""):
        raise ValidationFailed(_("This browser's subscription cannot be used."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "person": actor,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": (user_agent or "")[:200],
            "failures": 0,
        },
    )
    extra = PushSubscription.objects.filter(person=actor).order_by("-created_at", "-pk")
    PushSubscription.objects.filter(
        pk__in=list(extra.values_list("pk", flat=True)[MAX_DEVICES:])
    ).delete()
    audit_log(
        actor=actor,
        verb="person.push_subscribe",
        target=actor,
        data={"push_service": urlsplit(endpoint).hostname},
    )
    return subscription


@transaction.atomic
def person_push_unsubscribe(*, actor, subscription_id=None, endpoint: str = "") -> None:
    """Stop push to one of the person's own browsers (another person's: not found)."""
    mine = PushSubscription.objects.filter(person=actor)
    if subscription_id is not None:
        mine = mine.filter(pk=subscription_id)
    elif endpoint:
        mine = mine.filter(endpoint=endpoint)
    else:
        raise NotFound()
    subscription = mine.first()
    if subscription is None:
        raise NotFound()
    host = urlsplit(subscription.endpoint).hostname
    subscription.delete()
    audit_log(
        actor=actor, verb="person.push_unsubscribe", target=actor, data={"push_service": host}
    )


@transaction.atomic
def person_delivery_set(*, actor, choices: dict[str, list[str]]) -> dict[str, list[str]]:
    """Which channels each group of notifications uses. Unknown groups or channels are
    ignored; a group not named, or with none left, is only listed in the app."""
    cleaned = {
        group: sorted({c for c in choices.get(group, []) if c in channels.CHANNELS})
        for group in channels.GROUPS
    }
    DeliveryPreference.objects.update_or_create(person=actor, defaults={"channels": cleaned})
    audit_log(actor=actor, verb="person.delivery_set", target=actor, data={"channels": cleaned})
    return cleaned

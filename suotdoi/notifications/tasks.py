import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation

from . import channels, push, texts
from .models import Notification

log = logging.getLogger(__name__)


@task()
def notification_send_email(notification_id: int) -> bool:
    """Email one notification; safe to run twice (emailed_at guards it)."""
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.recipient.email:
        return False
    if not channels.wants(n.recipient, n.kind, "email"):
        return False
    with translation.override(n.recipient.language or settings.LANGUAGE_CODE):
        body = n.body_text
        if n.url:
            body = f"{body}\n\n{n.url}" if body else n.url
        send_mail(
            subject=f"[Suốt Đời] {n.title_text}",
            message=body,
            from_email=None,
            recipient_list=[n.recipient.email],
        )
    Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


def _each_not_yet(dedupe_keys: list[str], done_field: str, one) -> int:
    """Run `one` for each notification of a batch action not yet done (`done_field` unset)."""
    ids = Notification.objects.filter(
        dedupe_key__in=dedupe_keys, **{f"{done_field}__isnull": True}
    ).values_list("pk", flat=True)
    return sum(one.call(pk) for pk in ids)


@task()
def notification_send_emails(dedupe_keys: list[str]) -> int:
    """Email the notifications a batch action created (each at most once)."""
    return _each_not_yet(dedupe_keys, "emailed_at", notification_send_email)


@task()
def notification_send_push(notification_id: int) -> int:
    """Push one notification to the recipient's subscribed phones and browsers, at most once
    (pushed_at is claimed before sending: a phone shown the same thing twice is worse than a
    push lost when a worker dies mid-way; the notification stays in the app's list)."""
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.pushed_at is not None or not push.enabled():
        return 0
    if not channels.wants(n.recipient, n.kind, "push"):
        return 0
    subscriptions = list(n.recipient.push_subscriptions.all())
    if not subscriptions:
        return 0
    if not Notification.objects.filter(pk=n.pk, pushed_at__isnull=True).update(
        pushed_at=timezone.now()
    ):
        return 0
    with translation.override(n.recipient.language or settings.LANGUAGE_CODE):
        payload = push.message_for(n)
    sent = 0
    for subscription in subscriptions:
        try:
            status = push.send(subscription, payload)
        except push.PushRefused:
            continue
        sent += 200 <= status < 300
    return sent


@task()
def notification_send_pushes(dedupe_keys: list[str]) -> int:
    """Push the notifications a batch action created (each at most once)."""
    return _each_not_yet(dedupe_keys, "pushed_at", notification_send_push)


@task()
def notification_send_text(notification_id: int, unit_id: int) -> str:
    """A reminder by Zalo, else SMS, for a person the app cannot reach (no push subscription),
    paid from `unit_id`'s monthly allowance. At most once (texted_at is claimed first).
    Returns the channel used, or "" (or "capped")."""
    from suotdoi.core.sms import SmsError, send_sms

    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.texted_at is not None or not n.recipient.phone:
        return ""
    person = n.recipient
    if person.push_subscriptions.exists():
        return ""  # the app reaches them
    zalo = texts.zalo_enabled() and channels.wants(person, n.kind, "zalo")
    sms = channels.wants(person, n.kind, "sms")
    if not (zalo or sms):
        return ""
    if not Notification.objects.filter(pk=n.pk, texted_at__isnull=True).update(
        texted_at=timezone.now()
    ):
        return ""
    if not texts.quota_take(unit_id):
        log.info("texts: unit %s has used this month's allowance", unit_id)
        return "capped"
    with translation.override(person.language or settings.LANGUAGE_CODE):
        title = n.title_text
    if zalo:
        try:
            texts.zns_send(
                phone=person.phone,
                name=person.full_name,
                title=title,
                url=n.url,
                tracking_id=f"n{n.pk}",
            )
            return "zalo"
        except texts.ZaloRefused as exc:
            log.warning("zalo: notification %s not sent (%s)", n.pk, exc)
    if sms:
        try:
            send_sms(person.phone, texts.sms_text(title, n.url))
            return "sms"
        except SmsError as exc:
            log.warning("sms: notification %s not sent (%s)", n.pk, exc)
    texts.quota_give_back(unit_id)
    return ""


@task()
def notification_send_texts(pairs: list[list]) -> int:
    """Texts for the notifications a batch action created: [[dedupe_key, unit_id], …]."""
    units = dict(map(tuple, pairs))  # (pairs arrive as JSON lists)
    rows = Notification.objects.filter(
        dedupe_key__in=list(units), texted_at__isnull=True
    ).values_list("pk", "dedupe_key")
    return sum(notification_send_text.call(pk, units[key]) in ("zalo", "sms") for pk, key in rows)

"""Webhooks: systems subscribe to what happens in a unit's subtree and are told by a signed
HTTP POST, retried with backoff until it succeeds, never again after it has.

Events come from the audit log (every write is audited): a verb in EVENTS, written with a unit
inside a subscription's subtree, becomes one delivery per subscription, created in the same
transaction as the write and sent after it commits. Payloads name what happened and where, by
id — no names or phone numbers: the receiver reads the details through the API with its token.

Signature: header `Suotdoi-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with
the subscription's secret (shown once when subscribing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suotdoi.audit.actions import audit_log
from suotdoi.core import fieldcrypto, outbound
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import WebhookDelivery, WebhookSubscription

EVENTS = {
    "entry.verify": "entry.verified",
    "credential.issue": "credential.issued",
    "credential.vcapi_issue": "credential.issued",
    "credential.revoke": "credential.revoked",
    "campaign.report": "campaign.report_submitted",
    "recognition.approve": "assessment.approved",
    "recognition.return": "assessment.returned",
}
EVENT_LABELS = {
    "entry.verified": gettext_lazy("a learning entry was verified"),
    "credential.issued": gettext_lazy("a credential was issued"),
    "credential.revoked": gettext_lazy("a credential was revoked"),
    "campaign.report_submitted": gettext_lazy("a unit reported on a campaign"),
    "assessment.approved": gettext_lazy("an assessment was approved"),
    "assessment.returned": gettext_lazy("an assessment was returned for correction"),
}
MAX_ATTEMPTS = 6
FIRST_RETRY = dt.timedelta(seconds=30)  # then ×4: 30 s, 2 min, 8 min, 32 min, ~2 h
TIMEOUT = 10
CLAIM_EXPIRES = dt.timedelta(minutes=5)


def _checked_address(url: str) -> tuple[str | None, str | None]:
    return outbound.checked_address(
        url,
        allow_http=getattr(settings, "WEBHOOKS_ALLOW_HTTP", False),
        allow_private=getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False),
    )


def _address_allowed(url: str) -> str | None:
    return _checked_address(url)[0]


def _post_pinned(url: str, ip: str, body: bytes, headers: dict):
    return outbound.post_pinned(url, ip, body, headers, timeout=TIMEOUT)


@transaction.atomic
def subscription_create(*, actor, unit, url: str, events) -> tuple[WebhookSubscription, str]:
    import secrets

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    events = sorted({str(e) for e in events} & set(EVENT_LABELS))
    if not events:
        raise ValidationFailed(_("Choose at least one event."))
    url = (url or "").strip()
    problem = _address_allowed(url)
    if problem:
        raise ValidationFailed(problem)
    secret = secrets.token_urlsafe(32)
    sub = WebhookSubscription.objects.create(
        unit=unit,
        url=url,
        events=events,
        secret_cipher=fieldcrypto.encrypt(secret),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        verb="api.webhook_create",
        target=sub,
        unit=unit,
        data={"events": events, "host": urlsplit(url).hostname},
    )
    return sub, secret


@transaction.atomic
def subscription_end(*, actor, subscription_id) -> WebhookSubscription:
    sub = WebhookSubscription.objects.select_related("unit").filter(pk=subscription_id).first()
    if sub is None or not can(actor, sub.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if sub.active:
        WebhookSubscription.objects.filter(pk=sub.pk).update(active=False)
        audit_log(actor=actor, verb="api.webhook_delete", target=sub, unit=sub.unit)
    return sub


def on_audit(events) -> None:
    """The audit listener: deliveries for the events subscribers wait for."""
    relevant = [e for e in events if e.verb in EVENTS and e.unit_path]
    if not relevant:
        return
    subs = list(WebhookSubscription.objects.filter(active=True).select_related("unit"))
    if not subs:
        return
    now = timezone.now()
    rows = []
    for e in relevant:
        kind = EVENTS[e.verb]
        for sub in subs:
            if kind in sub.events and e.unit_path.startswith(sub.unit.path):
                event_id = uuid.uuid4()
                rows.append(
                    WebhookDelivery(
                        subscription=sub,
                        event_id=event_id,
                        event=kind,
                        next_attempt_at=now,
                        payload={
                            "id": str(event_id),
                            "type": kind,
                            "occurred_at": (e.at or now).isoformat(),
                            "unit_path": e.unit_path,
                            "subject": {"type": e.target_type, "id": e.target_id},
                        },
                    )
                )
    if rows:
        WebhookDelivery.objects.bulk_create(rows, batch_size=500)
        ids = [r.event_id for r in rows]
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(event_ids) -> None:
    from .tasks import deliver_task

    for pk in WebhookDelivery.objects.filter(event_id__in=event_ids).values_list("pk", flat=True):
        deliver_task.enqueue(pk)


def sign(secret: str, body: bytes, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def deliver(delivery_id: int) -> str:
    """One attempt. Claimed first (status → sending), so two workers never send it together
    and a delivered one is never sent again."""
    import requests

    now = timezone.now()
    claimable = Q(status__in=[WebhookDelivery.PENDING, WebhookDelivery.FAILED]) | Q(
        status=WebhookDelivery.SENDING, claimed_at__lt=now - CLAIM_EXPIRES
    )
    claimed = (
        WebhookDelivery.objects.filter(claimable, pk=delivery_id, next_attempt_at__lte=now)
        .exclude(attempts__gte=MAX_ATTEMPTS)
        .update(status=WebhookDelivery.SENDING, claimed_at=now)
    )
    if not claimed:
        return "skipped"
    d = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    sub = d.subscription
    body = json.dumps(d.payload, ensure_ascii=False, separators=(",", ":")).encode()
    code, text = None, ""
    problem, ip = ("subscription ended", None) if not sub.active else _checked_address(sub.url)
    if problem is None:
        try:
            r = _post_pinned(
                sub.url,
                ip,
                body,
                {
                    "Content-Type": "application/json",
                    "User-Agent": "SuotDoi-Webhooks/1",
                    "Suotdoi-Event": d.event,
                    "Suotdoi-Delivery": str(d.event_id),
                    "Suotdoi-Signature": sign(fieldcrypto.decrypt(sub.secret_cipher), body),
                },
            )
            code, text = r.status_code, r.text[:2000]
        except requests.RequestException as exc:
            text = type(exc).__name__
    else:
        text = str(problem)
    attempts = d.attempts + 1
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=d.pk).update(
            status=WebhookDelivery.SUCCEEDED,
            attempts=attempts,
            last_status_code=code,
            last_response=text,
            delivered_at=timezone.now(),
        )
        return "succeeded"
    retry_at = timezone.now() + FIRST_RETRY * (4 ** (attempts - 1))
    WebhookDelivery.objects.filter(pk=d.pk).update(
        status=WebhookDelivery.FAILED,
        attempts=attempts,
        last_status_code=code,
        last_response=text,
        next_attempt_at=retry_at,
    )
    if attempts < MAX_ATTEMPTS:
        _retry_later(d.pk, retry_at)
    return "failed"


def _retry_later(delivery_id: int, at) -> None:
    from django.tasks import default_task_backend

    from .tasks import deliver_task

    if default_task_backend.supports_defer:
        deliver_task.using(run_after=at).enqueue(delivery_id)
    # Otherwise `manage.py webhooks_retry` (each minute) picks it up.


def retry_due(now=None) -> int:
    """Send every delivery whose next attempt is due (for backends that cannot defer)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.FAILED, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)[:1000]
    return sum(deliver(pk) == "succeeded" for pk in list(due))

"""Reminders by text for people without the app (#27): a Zalo message (ZNS — an approved
template sent to a phone number through the platform's Zalo Official Account) or an SMS
(through core.sms, the identity issue's interface). Both cost money, so the unit a reminder is
for pays from a monthly allowance (TEXT_MONTHLY_CAP_PER_UNIT messages), taken atomically
before anything is sent and given back when nothing could be.

ZNS request (Zalo's documented format): POST ZALO_ZNS_URL with the OA's token in the
`access_token` header and {"phone": "84…", "template_id", "template_data", "tracking_id"};
the answer is {"error": 0, "message": "Success", "data": {"msg_id": …}} or a non-zero
`error` with its message. The template has three parameters: `ten` (the person's name),
`noi_dung` (the reminder's title) and `lien_ket` (the path on our site).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from suotdoi.core.text import unmarked

log = logging.getLogger(__name__)
ZNS_URL = "https://business.openapi.zalo.me/message/template"
TIMEOUT = 10


class ZaloRefused(Exception):
    """Zalo did not take the message (its error code and message)."""


def monthly_cap() -> int:
    return int(getattr(settings, "TEXT_MONTHLY_CAP_PER_UNIT", 300))


def zalo_enabled() -> bool:
    return bool(
        getattr(settings, "ZALO_ZNS_ACCESS_TOKEN", "")
        and getattr(settings, "ZALO_ZNS_TEMPLATE_ID", "")
    )


def _month(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def quota_take(unit_id: int, today: dt.date | None = None) -> bool:
    """One message from the unit's allowance this month; False when it is used up."""
    from .models import TextUsage

    month = _month(today)
    try:
        with transaction.atomic():
            TextUsage.objects.get_or_create(unit_id=unit_id, month=month)
    except IntegrityError:
        pass  # made by a concurrent sender
    return bool(
        TextUsage.objects.filter(unit_id=unit_id, month=month, sent__lt=monthly_cap()).update(
            sent=F("sent") + 1
        )
    )


def quota_give_back(unit_id: int, today: dt.date | None = None) -> None:
    from .models import TextUsage

    TextUsage.objects.filter(unit_id=unit_id, month=_month(today), sent__gt=0).update(
        sent=F("sent") - 1
    )


def quota_used(unit_id: int, today: dt.date | None = None) -> int:
    from .models import TextUsage

    row = TextUsage.objects.filter(unit_id=unit_id, month=_month(today)).first()
    return row.sent if row else 0


def sms_text(title: str, url: str) -> str:
    link = f"{settings.PUBLIC_URL.rstrip('/')}{url}" if url.startswith("/") else url
    room = 160 - len("Suot Doi: ") - (len(link) + 1 if link else 0)
    words = unmarked(title)  # plain letters: an SMS holds 160 of them, 70 with marks
    if len(words) > room:
        words = words[: max(0, room - 1)].rstrip() + "…"
    return " ".join(filter(None, [f"Suot Doi: {words}", link]))[:160]


def zns_send(*, phone: str, name: str, title: str, url: str, tracking_id: str) -> str:
    """Send through ZNS; returns Zalo's message id or raises ZaloRefused."""
    import requests

    body = {
        "phone": phone.lstrip("+"),
        "template_id": settings.ZALO_ZNS_TEMPLATE_ID,
        "template_data": {"ten": name[:30], "noi_dung": title[:100], "lien_ket": url[:100]},
        "tracking_id": tracking_id[:48],
    }
    try:
        r = requests.post(
            getattr(settings, "ZALO_ZNS_URL", ZNS_URL),
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json",
                "access_token": settings.ZALO_ZNS_ACCESS_TOKEN,
            },
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        answer = r.json()
    except (OSError, ValueError) as exc:  # unreachable, or not JSON
        raise ZaloRefused(f"unreachable: {exc.__class__.__name__}") from None
    if not isinstance(answer, dict) or answer.get("error") != 0:
        code = answer.get("error") if isinstance(answer, dict) else None
        message = answer.get("message") if isinstance(answer, dict) else ""
        raise ZaloRefused(f"{code}: {str(message)[:200]}")
    return str((answer.get("data") or {}).get("msg_id", ""))

"""Web Push: a notification reaches a person's phone even when no page of ours is open.

The browser subscribes with its push service and gives us the endpoint and its keys; we
encrypt each message for that browser (RFC 8291, aes128gcm content coding, through http-ece)
and sign a VAPID token (RFC 8292, through py-vapid) so the push service knows it is us. The
message holds the title, the text and the link in the reader's language, nothing more.

The endpoint is an address the browser chose: it is called like a webhook receiver (https,
never inside our own network, pinned to the address checked; core/outbound.py).
"""

from __future__ import annotations

import base64
import json
import logging
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from suotdoi.core import outbound

log = logging.getLogger(__name__)
TTL_SECONDS = 24 * 3600  # a phone that is off for a day still gets it when back
TIMEOUT = 10
MAX_PAYLOAD = 3000  # push services accept about 4 kB of ciphertext


class PushRefused(Exception):
    """The subscription cannot be used (a bad key, an address we will not call)."""


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def enabled() -> bool:
    return bool(settings.WEB_PUSH_VAPID_PRIVATE_KEY)


@cache
def _vapid(pem: str):
    from py_vapid import Vapid02

    return Vapid02.from_pem(pem.encode())


def application_server_key() -> str:
    """The VAPID public key as the browser's pushManager.subscribe wants it (base64url of the
    uncompressed point)."""
    from cryptography.hazmat.primitives import serialization

    key = _vapid(settings.WEB_PUSH_VAPID_PRIVATE_KEY).public_key
    raw = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def check_subscription(endpoint: str, p256dh: str, auth: str) -> str | None:
    """Why a subscription a browser sent cannot be used, or None."""
    from cryptography.hazmat.primitives.asymmetric import ec

    # base64 decoding skips characters outside its alphabet, and PostgreSQL refuses NUL:
    # lengths and control characters are checked before anything is decoded or stored.
    if len(p256dh) > 120 or len(auth) > 40 or any(ord(ch) < 32 for ch in endpoint):
        return "bad keys"
    problem, _ip = _address(endpoint)
    if problem:
        return problem
    try:
        point = b64url_decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        if len(b64url_decode(auth)) != 16:
            raise ValueError
    except (ValueError, TypeError):
        return "bad keys"
    return None


def _address(endpoint: str):
    return outbound.checked_address(
        endpoint,
        allow_http=settings.WEB_PUSH_ALLOW_HTTP,
        allow_private=settings.WEB_PUSH_ALLOW_PRIVATE,
    )


def encrypt(payload: bytes, *, p256dh: str, auth: str) -> bytes:
    """The message encrypted for one browser (RFC 8291): a fresh sender key each time."""
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec

    return http_ece.encrypt(
        payload,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(p256dh),
        auth_secret=b64url_decode(auth),
        version="aes128gcm",
    )


def vapid_authorization(endpoint: str) -> str:
    """`vapid t=<JWT>, k=<public key>` for the endpoint's push service (audience: its origin;
    valid 12 hours)."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(timezone.now().timestamp()) + 12 * 3600,
        "sub": settings.WEB_PUSH_SUBJECT,
    }
    return _vapid(settings.WEB_PUSH_VAPID_PRIVATE_KEY).sign(claims)["Authorization"]


def message_for(notification) -> bytes:
    """What the phone shows: title, text, the link to open; in the reader's language."""
    body = notification.body_text
    data = {
        "title": notification.title_text,
        "body": body[:400],
        "url": notification.url or "/notifications/",
        "tag": f"n{notification.pk}",
    }
    payload = json.dumps(data, ensure_ascii=False).encode()
    if len(payload) > MAX_PAYLOAD:
        data["body"] = body[:100]
        payload = json.dumps(data, ensure_ascii=False).encode()
    return payload


def send(subscription, payload: bytes, *, urgency: str = "normal") -> int:
    """Deliver to one subscription; returns the push service's status. A subscription the
    service says is gone (404, 410) is removed; one that fails five times in a row too."""
    problem, ip = _address(subscription.endpoint)
    if problem:
        subscription.delete()
        raise PushRefused(problem)
    body = encrypt(payload, p256dh=subscription.p256dh, auth=subscription.auth)
    headers = {
        "Authorization": vapid_authorization(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": urgency,
    }
    try:
        status = outbound.post_pinned(
            subscription.endpoint, ip, body, headers, timeout=TIMEOUT
        ).status_code
    except OSError as exc:  # requests' errors are OSErrors: the service is away; next time
        log.warning("push to %s failed: %s", urlsplit(subscription.endpoint).netloc, exc)
        status = 0
    if status in (404, 410):
        subscription.delete()
    elif 200 <= status < 300:
        type(subscription).objects.filter(pk=subscription.pk).update(
            last_sent_at=timezone.now(), failures=0
        )
    else:
        subscription.failures += 1
        if subscription.failures >= 5:
            subscription.delete()
        else:
            type(subscription).objects.filter(pk=subscription.pk).update(
                failures=subscription.failures
            )
    return status

"""HTTP Basic with LRS client credentials, checked with HMAC-SHA256 (fast, constant time).

A slow password hash per request is what limits other LRSs to ~15 requests/s; the secret is a
random 32-byte token, so a keyed hash is enough, and the key (pepper) never leaves the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from .models import LrsClient


def _pepper() -> bytes:
    return hashlib.sha256(b"suotdoi.lrs.client:" + settings.SECRET_KEY.encode()).digest()


def hash_secret(secret: str) -> str:
    return hmac.new(_pepper(), secret.encode(), hashlib.sha256).hexdigest()


def new_credentials() -> tuple[str, str]:
    return "lrs_" + secrets.token_hex(8), secrets.token_urlsafe(32)


_cache: dict[str, tuple[str, int]] = {}


def client_from_header(header: str | None) -> LrsClient | None:
    if not header or not header.startswith("Basic "):
        return None
    try:
        key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    client = (
        LrsClient.objects.select_related("unit").filter(key=key, revoked_at__isnull=True).first()
    )
    if client is None or not hmac.compare_digest(client.secret_hash, hash_secret(secret)):
        return None
    return client

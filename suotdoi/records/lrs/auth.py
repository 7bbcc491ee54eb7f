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


_CACHE_SECONDS = 30
_cache: dict[str, tuple[float, LrsClient]] = {}


def client_from_header(header: str | None) -> LrsClient | None:
    """The client named by an Authorization header. A checked header is remembered for 30 s
    per process (keyed by its hash), so a revoked client stops within 30 s on every server."""
    if not header or not header.startswith("Basic "):
        return None
    import time

    memo = hashlib.sha256(header.encode()).hexdigest()
    hit = _cache.get(memo)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    client = _lookup(header)
    if client is not None:
        if len(_cache) > 1000:
            _cache.clear()
        _cache[memo] = (time.monotonic() + _CACHE_SECONDS, client)
    return client


def forget_client(key: str) -> None:
    for memo, (_t, c) in list(_cache.items()):
        if c.key == key:
            del _cache[memo]


# Credentials other apps issue for one launch of their content (cmi5's auth token): a key
# prefix → `resolve(key, secret) -> LrsClient | None`, the client carrying a `guard` that
# limits what the token may do.
_token_resolvers: dict[str, object] = {}


def register_token_resolver(prefix: str, resolve) -> None:
    _token_resolvers[prefix] = resolve


def _lookup(header: str) -> LrsClient | None:
    try:
        key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    for prefix, resolve in _token_resolvers.items():
        if key.startswith(prefix):
            return resolve(key, secret)
    client = (
        LrsClient.objects.select_related("unit").filter(key=key, revoked_at__isnull=True).first()
    )
    if client is None or not hmac.compare_digest(client.secret_hash, hash_secret(secret)):
        return None
    return client

"""Six-digit codes sent by SMS to confirm one thing (a consent, a payment): kept hashed in the
cache with what they are bound to, valid ten minutes, five tries, spent once used."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache

TTL = 10 * 60
TRIES = 5


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def issue(key: str, *, bound: dict) -> str:
    """A new code for `key` (replacing any pending one), bound to `bound`; returns the code to
    send."""
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(
        key,
        {"digest": _digest(code), "bound": bound, "until": time.time() + TTL, "tries": 0},
        TTL,
    )
    return code


def pending(key: str) -> dict | None:
    """What the pending code of `key` is bound to, while it is valid."""
    p = cache.get(key)
    return p["bound"] if p and p["until"] >= time.time() else None


def check(key: str, code: str, *, bound: dict) -> bool:
    """True once, for the right code in time and bound to the same thing; a wrong one counts a
    try, and the fifth wrong try spends the code."""
    p = cache.get(key)
    if not p or p["until"] < time.time() or p["bound"] != bound:
        return False
    if p["tries"] >= TRIES:
        cache.delete(key)
        return False
    given = "".join(ch for ch in str(code) if ch.isdigit())
    if not hmac.compare_digest(p["digest"], _digest(given)):
        p["tries"] += 1
        cache.set(key, p, max(1, int(p["until"] - time.time())))
        return False
    cache.delete(key)
    return True

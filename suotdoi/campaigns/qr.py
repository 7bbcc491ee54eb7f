"""Rotating check-in codes: HMAC of (session, 30-second step) with the session's own secret.

The organiser's screen shows a new code every step; a code is accepted for two steps (≤ 60 s),
so a photo taken an hour ago, a code of another session or an edited code are all refused.
"""

from __future__ import annotations

import hashlib
import hmac
import time

STEP = 30


def _mac(session, step: int) -> str:
    key = f"{session.qr_secret}:{session.pk}".encode()
    return hmac.new(key, str(step).encode(), hashlib.sha256).hexdigest()[:20]


def current_token(session, now: float | None = None) -> str:
    step = int((now or time.time()) // STEP)
    return f"{session.pk}.{step}.{_mac(session, step)}"


class BadToken(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def session_id_of(token: str) -> int:
    try:
        return int(token.split(".", 1)[0])
    except ValueError:
        raise BadToken("malformed") from None


def check_token(session, token: str, now: float | None = None) -> None:
    parts = token.split(".")
    if len(parts) != 3:
        raise BadToken("malformed")
    sid, step, mac = parts
    if sid != str(session.pk):
        raise BadToken("other_session")
    try:
        step_n = int(step)
    except ValueError:
        raise BadToken("malformed") from None
    if not hmac.compare_digest(mac, _mac(session, step_n)):
        raise BadToken("forged")
    current = int((now or time.time()) // STEP)
    if not (current - 1 <= step_n <= current):
        raise BadToken("expired")

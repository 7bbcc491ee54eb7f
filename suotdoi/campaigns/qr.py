"""Rotating check-in codes: HMAC of (session, 30-second step) with the session's own secret.

The organiser's screen shows a new code every step; a code is accepted for two steps (≤ 60 s),
so a photo taken an hour ago, a code of another session or an edited code are all refused.
A scan kept on a phone without signal is judged by other rules (ADR 0010; actions.offline).
"""

from __future__ import annotations

import hashlib
import hmac
import time

STEP = 30


def display_key(session) -> str:
    """The key the organiser's screen signs codes with when it has no connection (the same
    codes the server makes). Only ever put in the organiser's own page."""
    return f"{session.qr_secret}:{session.pk}"


def _mac(session, step: int) -> str:
    key = display_key(session).encode()
    return hmac.new(key, str(step).encode(), hashlib.sha256).hexdigest()[:20]


def current_step(now: float | None = None) -> int:
    return int((now or time.time()) // STEP)


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


def session_step_of(token: str) -> int:
    """The step of a code the server itself just made."""
    return int(token.split(".")[1])


def check_token(session, token: str, now: float | None = None) -> None:
    step_n = signed_step(session, token)
    current = current_step(now)
    if not (current - 1 <= step_n <= current):
        raise BadToken("expired")


def signed_step(session, token: str) -> int:
    """The time step a code was made for, once its signature is checked (not its age)."""
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
    if not 0 <= step_n < 10**11:  # (a year 5000 code is an edited one)
        raise BadToken("malformed")
    if not hmac.compare_digest(mac, _mac(session, step_n)):
        raise BadToken("forged")
    return step_n

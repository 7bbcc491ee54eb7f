"""Where the current request comes from, for the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    user_agent: str = ""


_NOWHERE = RequestOrigin()  # frozen, so sharing it is safe
current_origin: ContextVar[RequestOrigin] = ContextVar("current_origin", default=_NOWHERE)

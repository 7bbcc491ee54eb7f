"""Reads that may lag go to the replica; everything else to the primary (issue #26).

Only views marked with `replica_reads` (dashboards, reports, standings, LRS queries, search)
read from the `replica` database, and only when
- a replica is configured (`DATABASE_REPLICA_URL`; without one — SQLite, a small install —
  nothing changes),
- it answers and is streaming from the primary no more than `REPLICA_MAX_LAG_SECONDS` behind
  (checked at most every `REPLICA_CHECK_SECONDS` per process),
- the person has not written in the last `REPLICA_PIN_SECONDS` (a browser carries a signed
  cookie after each write; a machine client's Authorization header is remembered in the shared
  cache), so everyone reads their own writes,
- and no transaction is open on the primary (a read inside one must see its writes).
When the replica fails in the middle of a view, the view runs again on the primary.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "sd_primary"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_lag_ok: ContextVar[bool] = ContextVar("suotdoi_lag_ok", default=False)
_pinned: ContextVar[bool] = ContextVar("suotdoi_pinned", default=False)

# On the replica: 0 when it is the primary or has replayed all it received while streaming;
# else the age of the last replayed transaction; NULL when it is not streaming at all.
_LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


class _Health:
    """What this process last learned about the replica."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ok = False
        self.lag: float | None = None
        self.next_check = 0.0

    def reset(self) -> None:
        with self.lock:
            self.ok, self.lag, self.next_check = False, None, 0.0


health = _Health()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _probe() -> float | None:
    """The replica's lag in seconds, or None when it cannot serve."""
    conn = connections[REPLICA]
    try:
        if conn.vendor != "postgresql":
            conn.ensure_connection()
            return 0.0
        with conn.cursor() as cur:
            cur.execute(_LAG_SQL)
            row = cur.fetchone()
        return None if row is None or row[0] is None else float(row[0])
    except DatabaseError:
        try:
            conn.close()
        except DatabaseError:
            pass
        return None


def replica_usable() -> bool:
    now = time.monotonic()
    if now < health.next_check:
        return health.ok
    with health.lock:
        if now < health.next_check:
            return health.ok
        lag = _probe()
        ok = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
        if ok != health.ok:
            log.warning("replica %s (lag %s s)", "in use" if ok else "not used", lag)
        health.ok, health.lag = ok, lag
        health.next_check = now + settings.REPLICA_CHECK_SECONDS
        return ok


def mark_replica_down() -> None:
    with health.lock:
        health.ok = False
        health.next_check = time.monotonic() + settings.REPLICA_CHECK_SECONDS


def _in_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def read_alias() -> str:
    """Where a read may go right now."""
    if not _lag_ok.get() or _pinned.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if _in_transaction():
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_usable() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


@contextmanager
def reads_may_lag():
    token = _lag_ok.set(True)
    try:
        yield
    finally:
        _lag_ok.reset(token)


def lagging(fn: Callable, *args, **kwargs):
    """Run a read-only callable with reads on the replica when allowed; when the replica fails
    during it, run it again on the primary."""
    if not replica_configured():
        return fn(*args, **kwargs)
    with reads_may_lag():
        try:
            result = fn(*args, **kwargs)
            if callable(getattr(result, "render", None)) and not result.is_rendered:
                result.render()
            return result
        except DatabaseError:
            if _probe() is not None:
                raise
            log.warning("the replica failed during a read: it runs again on the primary")
            mark_replica_down()
    return fn(*args, **kwargs)


def lag_seconds() -> float:
    """How far behind the reads of the current `lagging` call may be (0 on the primary)."""
    return (health.lag or 0.0) if read_alias() == REPLICA else 0.0


def replica_reads(view: Callable) -> Callable:
    """Mark a read-only view whose figures may be a few seconds old."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in _SAFE:
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - the session and person come from the primary
        return lagging(view, request, *args, **kwargs)

    return wrapper


def _client_key(request) -> str | None:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if not auth:
        return None
    return "dbpin:" + hashlib.sha256(auth.encode("utf-8", "replace")).hexdigest()[:32]


def _cookie_pinned(request) -> bool:
    raw = request.COOKIES.get(PIN_COOKIE)
    if not raw:
        return False
    try:
        signing.loads(raw, salt=PIN_COOKIE, max_age=settings.REPLICA_PIN_SECONDS)
    except signing.BadSignature:
        return False
    return True


class PrimaryAfterWriteMiddleware:
    """A person who has just written reads from the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        key = _client_key(request)
        pinned = _cookie_pinned(request) or (key is not None and bool(cache.get(key)))
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        # A write that may have happened pins: not a server error, and not a request refused
        # for its credentials (any client could otherwise fill the cache with pins).
        if (
            request.method not in _SAFE
            and response.status_code < 500
            and (response.status_code not in (401, 403))
        ):
            seconds = settings.REPLICA_PIN_SECONDS
            if key is not None:
                cache.set(key, 1, seconds)
            else:
                response.set_cookie(
                    PIN_COOKIE,
                    signing.dumps(1, salt=PIN_COOKIE),
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response

"""Making, checking and revoking API tokens and OAuth clients (see models.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import TokenScope, can, forget_grants
from suotdoi.organisations.policies import Capability

from .models import ApiAccessToken, ApiToken

PERSONAL_PREFIX, ACCESS_PREFIX = "sdt_", "sda_"
ACCESS_TTL = dt.timedelta(hours=1)
LAST_USE_EVERY = dt.timedelta(minutes=1)  # do not write on every request


def _is_public_id(value: str) -> bool:
    """Ids are 16 hex digits: anything else (a NUL byte, a huge string) never reaches a query."""
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def grantable(actor, unit) -> list[Capability]:
    """The capabilities `actor` may put on a token for `unit`: those they hold there."""
    return [c for c in Capability if can(actor, unit, c)]


@transaction.atomic
def token_create(*, actor, unit, kind: str, name: str, capabilities, days: int | None):
    """A new token or client. Returns (row, secret); the secret is never stored nor shown
    again. Personal tokens are used as `sdt_<id>_<secret>`; clients authenticate with
    client_id = <id> and client_secret = <secret> at /api/v1/oauth/token."""
    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    allowed = {c.value for c in grantable(actor, unit)}
    wanted = sorted({str(c) for c in capabilities})
    if not wanted:
        raise ValidationFailed(_("Choose at least one thing the token may do."))
    if not set(wanted) <= allowed:
        raise ValidationFailed(_("You can only give a token what you may do yourself."))
    if kind not in (ApiToken.PERSONAL, ApiToken.CLIENT):
        raise ValidationFailed(_("Unknown kind of token."))
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationFailed(_("Give the token a name (which system uses it)."))
    secret = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        kind=kind,
        name=name,
        owner=actor,
        unit=unit,
        capabilities=wanted,
        public_id=secrets.token_hex(8),
        secret_hash=_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    audit_log(
        actor=actor,
        verb="api.token_create",
        target=row,
        unit=unit,
        data={"kind": kind, "capabilities": wanted, "days": days},
    )
    shown = f"{PERSONAL_PREFIX}{row.public_id}_{secret}" if kind == ApiToken.PERSONAL else secret
    return row, shown


@transaction.atomic
def token_revoke(*, actor, token_id) -> ApiToken:
    row = ApiToken.objects.select_related("unit").filter(pk=token_id).first()
    if row is None or not (
        row.owner_id == actor.pk or can(actor, row.unit, Capability.MANAGE_MEMBERS)
    ):
        raise NotFound()
    if row.revoked_at is None:
        ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
        ApiAccessToken.objects.filter(client=row).delete()
        audit_log(actor=actor, verb="api.token_revoke", target=row, unit=row.unit)
    return row


def _live(row: ApiToken | None, now) -> bool:
    return (
        row is not None
        and row.revoked_at is None
        and (row.expires_at is None or row.expires_at > now)
        and row.owner.is_active
    )


def _as_owner(row: ApiToken, now):
    """The owner, carrying the token's scope: every access check sees the narrowed powers."""
    person = row.owner
    forget_grants(person)
    person.is_superuser = False  # a token never carries platform-administrator power
    person._suotdoi_token_scope = TokenScope(
        path=row.unit.path, unit_id=row.unit_id, capabilities=frozenset(row.capabilities)
    )
    person._suotdoi_token = row
    if row.last_used_at is None or now - row.last_used_at > LAST_USE_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return person


def authenticate_bearer(value: str):
    """The person a bearer token acts as (scoped), or None."""
    now = timezone.now()
    value = (value or "").strip()
    if value.startswith(PERSONAL_PREFIX):
        public_id, _sep, secret = value[len(PERSONAL_PREFIX) :].partition("_")
        if not _is_public_id(public_id):
            return None
        row = (
            ApiToken.objects.select_related("owner", "unit")
            .filter(public_id=public_id, kind=ApiToken.PERSONAL)
            .first()
        )
        if not _live(row, now) or not hmac.compare_digest(row.secret_hash, _digest(secret)):
            return None
        return _as_owner(row, now)
    if value.startswith(ACCESS_PREFIX):
        access = (
            ApiAccessToken.objects.select_related("client__owner", "client__unit")
            .filter(token_hash=_digest(value), expires_at__gt=now)
            .first()
        )
        if access is None or not _live(access.client, now):
            return None
        return _as_owner(access.client, now)
    return None


def client_token(*, client_id: str, client_secret: str) -> tuple[str, int] | None:
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4): a one-hour access token."""
    now = timezone.now()
    if not _is_public_id(str(client_id)):
        return None
    row = (
        ApiToken.objects.select_related("owner")
        .filter(public_id=str(client_id), kind=ApiToken.CLIENT)
        .first()
    )
    if not _live(row, now) or not hmac.compare_digest(row.secret_hash, _digest(str(client_secret))):
        return None
    value = ACCESS_PREFIX + secrets.token_urlsafe(32)
    ApiAccessToken.objects.filter(client=row, expires_at__lte=now).delete()
    ApiAccessToken.objects.create(
        client=row, token_hash=_digest(value), expires_at=now + ACCESS_TTL
    )
    return value, int(ACCESS_TTL.total_seconds())

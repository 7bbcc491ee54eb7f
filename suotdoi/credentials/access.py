"""Permission-checked fetches of credentials: 404 for absent and forbidden alike."""

from __future__ import annotations

import uuid

from suotdoi.core.errors import NotFound
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability

from .models import Achievement, Credential, Issuer


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound() from None


def access_own_credential(person, uid) -> Credential:
    c = (
        Credential.objects.select_related("achievement__issuer__unit", "person")
        .filter(uid=_uuid(uid), person=person)
        .first()
    )
    if c is None:
        raise NotFound()
    return c


def access_shared_credential(token: str) -> Credential:
    if not token or len(token) > 64:
        raise NotFound()
    c = (
        Credential.objects.select_related("achievement__issuer", "person")
        .filter(share_token=token)
        .first()
    )
    if c is None:
        raise NotFound()
    return c


def access_checked_credential(uid, digest: str) -> Credential | None:
    """The credential a printed QR code names. None when the link does not match one exactly
    (a changed id or digest): the page then says "not valid" rather than "not found"."""
    try:
        key = uuid.UUID(str(uid))
    except ValueError:
        return None
    c = Credential.objects.select_related("achievement__issuer").filter(uid=key).first()
    if c is None or c.digest[:32] != digest:
        return None
    return c


def access_issuing_unit(person, unit_id):
    return access_unit_by_id(person, unit_id, Capability.ISSUE_CREDENTIALS)


def access_unit_credential(person, unit, uid) -> Credential:
    """A credential issued by `unit`'s issuer, for an officer who may issue there."""
    c = (
        Credential.objects.select_related("achievement__issuer__unit", "person")
        .filter(uid=_uuid(uid), achievement__issuer__unit=unit)
        .first()
    )
    if c is None or not can(person, unit, Capability.ISSUE_CREDENTIALS):
        raise NotFound()
    return c


def access_endorsable_achievement(person, unit, uid) -> Achievement:
    """An achievement of a unit strictly below `unit`, which the person may endorse for."""
    a = (
        Achievement.objects.select_related("issuer__unit")
        .filter(uid=_uuid(uid), issuer__unit__path__startswith=unit.path)
        .exclude(issuer__unit=unit)
        .first()
    )
    if a is None or not can(person, unit, Capability.ISSUE_CREDENTIALS):
        raise NotFound()
    return a


def issuer_of(unit) -> Issuer | None:
    return Issuer.objects.filter(unit=unit).first()

"""Writes of the LRS that people make: client credentials."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from suotdoi.audit.actions import audit_log

from .auth import forget_client, hash_secret, new_credentials
from .models import LrsClient


@transaction.atomic
def lrs_client_create(*, actor, unit, name: str) -> tuple[LrsClient, str]:
    """A new key and secret for a tool writing to the LRS on behalf of `unit`. The secret is
    returned once and stored only as a keyed hash."""
    key, secret = new_credentials()
    client = LrsClient.objects.create(
        unit=unit,
        name=name.strip()[:120],
        key=key,
        secret_hash=hash_secret(secret),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        verb="lrs.client_create",
        target=client,
        unit=unit,
        data={"key": key, "name": client.name},
    )
    return client, secret


@transaction.atomic
def lrs_client_revoke(*, actor, client: LrsClient) -> None:
    if LrsClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        audit_log(actor=actor, verb="lrs.client_revoke", target=client, unit=client.unit)
    forget_client(client.key)


@transaction.atomic
def lrs_client_origins_set(*, actor, client: LrsClient, origins: list[str], any_origin: bool):
    """Which web origins may call the LRS with this client's credentials (CORS)."""
    from .cors import forget_origins

    client.allowed_origins = sorted(set(origins))[:50]
    client.any_origin = any_origin
    client.save(update_fields=["allowed_origins", "any_origin"])
    audit_log(
        actor=actor,
        verb="lrs.client_origins",
        target=client,
        unit=client.unit,
        data={"origins": client.allowed_origins, "any": any_origin},
    )
    forget_origins()
    forget_client(client.key)
    return client


# --- what a learning tool reports about someone outside its unit ------------------------------


def _reported(actor, entry_id: int):
    from suotdoi.core.errors import NotFound
    from suotdoi.records.models import EntryStatus, LearningEntry

    e = (
        LearningEntry.objects.select_for_update()
        .filter(pk=entry_id, person=actor, status=EntryStatus.REPORTED)
        .first()
    )
    if e is None:
        raise NotFound()
    return e


@transaction.atomic
def reported_accept(*, actor, entry_id: int):
    """The learner takes a tool's report into their record: it counts from now on, as their
    own, not verified by any unit."""
    from suotdoi.records.actions import _figure
    from suotdoi.records.models import EntryStatus

    e = _reported(actor, entry_id)
    e.status = EntryStatus.UNVERIFIED
    e.save(update_fields=["status", "updated_at"])
    _figure(e, entries=1, hours=e.hours, verified=0)
    audit_log(actor=actor, verb="entry.report_accept", target=e, data={"from": e.issued_by})
    return e


@transaction.atomic
def reported_dismiss(*, actor, entry_id: int):
    from suotdoi.records.models import EntryStatus

    e = _reported(actor, entry_id)
    e.status = EntryStatus.REJECTED
    e.reject_reason = "dismissed by the learner"
    e.save(update_fields=["status", "reject_reason", "updated_at"])
    audit_log(actor=actor, verb="entry.report_dismiss", target=e, data={"from": e.issued_by})
    return e


def platform_client(*, unit, purpose: str, name: str) -> LrsClient:
    """The client the platform itself writes statements through for a unit (the catalogue's
    completions, e-learning packages): key `<purpose>-<unit id>`, a secret nobody holds."""
    import hashlib
    import secrets

    client, _created = LrsClient.objects.get_or_create(
        key=f"{purpose}-{unit.pk}",
        defaults={
            "unit": unit,
            "name": name,
            "secret_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        },
    )
    return client

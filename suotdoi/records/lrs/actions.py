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

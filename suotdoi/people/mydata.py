"""Everything the platform holds about a person, for them to download (Decree 13/2023/NĐ-CP
and the Personal Data Protection Law: the right of access).

Built by walking the models rather than listing them: every row of every table of ours that
points at the person (as learner, member, actor, "on behalf of", recipient…) is included, so
a table added later cannot be forgotten. Secrets are left out (password hashes, keys, one-time
code hashes). Capabilities add what is about the person without pointing at them (the xAPI
statements naming them) with `register_personal_data`.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

# Field names never exported, whatever the table: secrets and what only guards them.
SECRET_FIELDS = {
    "password",
    "secret_hash",
    "code_hash",
    "qr_secret",
    "secret",
    "private_key",
    "private_jwk",
    "token_hash",
    # Ciphertext and keyed hash of the CCCD: the person gets the number itself instead.
    "national_id_cipher",
    "national_id_hash",
}
# Tables whose rows about a person hold secrets only (allauth's TOTP seeds, recovery codes).
SECRET_TABLES = {"mfa.authenticator", "sessions.session", "socialaccount.socialtoken"}
_extra: list[tuple[str, Callable]] = []


def register_personal_data(name: str, provider: Callable) -> None:
    """`provider(person) -> list | dict`, added to the export under `name`."""
    if all(n != name for n, _p in _extra):
        _extra.append((name, provider))


def _value(v):
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, decimal.Decimal | uuid.UUID):
        return str(v)
    if isinstance(v, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(v)).decode()}
    if hasattr(v, "name") and hasattr(v, "storage"):  # a FieldFile
        return v.name or None
    return v


def _row(obj: models.Model) -> dict:
    out = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS or isinstance(f, models.BinaryField):
            continue
        key = f.attname if f.is_relation else f.name
        out[key] = _value(getattr(obj, key))
    return out


def personal_data(person) -> dict:
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    tables: dict[str, list] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SECRET_TABLES:
            continue
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.related_model is person_model):
                continue
            rows = model._base_manager.filter(**{f.name: person}).order_by("pk")[:20000]
            found = [_row(r) for r in rows]
            if found:
                tables[f"{label} ({f.name})"] = found
    audit = apps.get_model("audit", "AuditEvent")
    about = audit._base_manager.filter(
        target_type=person._meta.label_lower, target_id=str(person.pk)
    )
    if about.exists():
        tables["audit.auditevent (target)"] = [_row(r) for r in about.order_by("pk")[:20000]]
    data = {
        "format": "suotdoi.personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "person": {**_row(person), "national_id": person.national_id},
        "tables": tables,
    }
    for name, provider in _extra:
        data[name] = provider(person)
    return data

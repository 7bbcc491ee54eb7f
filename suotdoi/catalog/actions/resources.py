"""Open educational resources and 'I studied this'."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import ValidationFailed
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from .. import rules
from ..models import (
    Provider,
    Resource,
)
from .courses import index_resource

# --- open educational resources -------------------------------------------------------------


@transaction.atomic
def resource_add(*, actor, provider: Provider, upload=None, **fields) -> Resource:
    if upload is not None:
        rules.check_upload("video" if fields.get("kind") == "video" else "document", upload)
    elif not fields.get("url"):
        raise ValidationFailed(_("Attach the file or give its address."))
    r = Resource(provider=provider, created_by=actor, **fields)
    if upload is not None:
        r.file.save(upload.name, upload, save=False)
    r.save()
    index_resource(r)
    audit_log(actor=actor, verb="catalog.resource_add", target=r, unit=provider.unit)
    return r


def resource_studied(*, person, resource: Resource):
    """ "I studied this": a self-declared entry (once per resource)."""
    entry, created = entry_record(
        actor=person,
        person=person,
        source_key=f"oer:{resource.pk}:{person.pk}",
        title=resource.title,
        kind=EntryKind.READING if resource.kind != "video" else EntryKind.SELF_STUDY,
        start_date=timezone.localdate(),
        hours=(Decimal(resource.minutes) / 60).quantize(Decimal("0.1")),
        provenance=Provenance.SELF_DECLARED,
        issued_by=resource.provider.unit.name,
        evidence_url=f"{settings.PUBLIC_URL.rstrip('/')}/catalog/resources/{resource.pk}/",
    )
    return entry, created

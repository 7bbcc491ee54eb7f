"""Assisted use: an officer acts for a member who has no phone — declares their learning —
only under the member's recorded consent (the signed paper form, photographed). Every entry
made so names the officer (`LearningEntry.entered_by`) and the audit row says "on behalf of";
the member sees both, and the consent can be withdrawn at any time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import AssistConsent
from .rules import check_evidence


def active_consent(*, unit, person) -> AssistConsent | None:
    return (
        AssistConsent.objects.filter(unit=unit, person=person, withdrawn_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def consent_record(*, actor, membership, given_on, form_photo, note: str = "") -> AssistConsent:
    if not can(actor, membership.unit, Capability.MANAGE_MEMBERS) or membership.end_date:
        raise NotFound()
    if form_photo is None:
        raise ValidationFailed(_("Attach a photo of the form the member signed."))
    if given_on > timezone.localdate():
        raise ValidationFailed(_("The date of the consent cannot be in the future."))
    head = form_photo.read(16)
    form_photo.seek(0)
    check_evidence(form_photo.name, form_photo.size, head)
    consent = AssistConsent(
        person=membership.person,
        unit=membership.unit,
        given_on=given_on,
        note=note.strip()[:300],
        recorded_by=actor,
    )
    consent.form_photo.save(form_photo.name, form_photo, save=False)
    consent.save()
    audit_log(
        actor=actor,
        verb="assist.consent",
        target=consent,
        unit=membership.unit,
        on_behalf_of=membership.person,
        data={"given_on": given_on.isoformat()},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent_id) -> AssistConsent:
    """By the member, or by an officer of the unit (at the member's request)."""
    consent = (
        AssistConsent.objects.select_for_update()
        .select_related("unit", "person")
        .filter(pk=consent_id, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None or not (
        consent.person_id == actor.pk or can(actor, consent.unit, Capability.MANAGE_MEMBERS)
    ):
        raise NotFound()
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_log(
        actor=actor,
        verb="assist.withdraw",
        target=consent,
        unit=consent.unit,
        on_behalf_of=consent.person if actor.pk != consent.person_id else None,
    )
    return consent


def declare_for(*, actor, membership, **fields):
    """Declare learning for the member of `membership` under an active consent: their own
    claim (self-declared, sent to the unit to verify), marked as entered by the officer."""
    from .actions import entry_record

    if not can(actor, membership.unit, Capability.MANAGE_MEMBERS) or membership.end_date:
        raise NotFound()
    if active_consent(unit=membership.unit, person=membership.person) is None:
        raise ValidationFailed(_("Record the member's consent first."))
    entry, created = entry_record(
        actor=actor,
        person=membership.person,
        provenance="self_declared",
        unit=membership.unit,
        **fields,
    )
    if created:
        type(entry).objects.filter(pk=entry.pk).update(entered_by=actor)
        entry.entered_by = actor
    return entry, created

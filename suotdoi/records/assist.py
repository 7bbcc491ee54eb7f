"""Assisted use: an officer acts for a member who cannot use the app — declares their
learning, checks them in to a session, fills their self-assessment — only under the member's
recorded consent: the signed paper form, photographed, or a code sent to the member's phone and
read out by them to the officer. Every entry made so names the officer
(`LearningEntry.entered_by`) and the audit row says "on behalf of"; the member sees both, and
the consent can be withdrawn at any time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core import onetime
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


def assisting_unit(actor, person):
    """A unit where `actor` may act for `person`: the person is a current member, the actor
    manages its members, and the person's consent for that unit stands. None otherwise."""
    from suotdoi.organisations.models import Membership

    if actor is None or person is None or actor.pk == person.pk:
        return None
    units = [
        m.unit
        for m in Membership.objects.filter(person=person, end_date__isnull=True).select_related(
            "unit"
        )
    ]
    with_consent = set(
        AssistConsent.objects.filter(
            person=person, unit__in=units, withdrawn_at__isnull=True
        ).values_list("unit_id", flat=True)
    )
    for unit in units:
        if unit.pk in with_consent and can(actor, unit, Capability.MANAGE_MEMBERS):
            return unit
    return None


# Consent by a code: sent by SMS to the member's phone, read out by them to the officer.


def _code_key(membership) -> str:
    return f"assist-code:{membership.pk}"


def consent_code_send(*, actor, membership) -> None:
    """Send a six-digit code to the member's phone. Three per member per quarter hour."""
    from suotdoi.core import ratelimit
    from suotdoi.core.sms import send_sms

    if not can(actor, membership.unit, Capability.MANAGE_MEMBERS) or membership.end_date:
        raise NotFound()
    person = membership.person
    if not person.phone:
        raise ValidationFailed(
            _("This member has no phone number: record their signed paper form instead.")
        )
    if not ratelimit.allow(f"assist-code:{membership.pk}", 3, 15 * 60):
        raise ValidationFailed(_("Three codes were sent already. Wait a quarter of an hour."))
    code = onetime.issue(_code_key(membership), bound={"by": actor.pk})
    from django.utils import translation

    with translation.override(person.language or "vi"):
        text = _(
            "Suốt Đời: %(officer)s (%(unit)s) asks to enter your learning for you. If you "
            "agree, read them this code: %(code)s. Valid 10 minutes."
        ) % {"officer": actor.full_name, "unit": membership.unit.name, "code": code}
    send_sms(person.phone, text)
    audit_log(
        actor=actor,
        verb="assist.code_sent",
        target=membership,
        unit=membership.unit,
        on_behalf_of=person,
    )


def code_pending(*, actor, membership) -> bool:
    return onetime.pending(_code_key(membership)) == {"by": actor.pk}


def consent_code_confirm(*, actor, membership, code: str) -> AssistConsent:
    """The code the member read out: right, in time, by the officer who asked, at most five
    tries; spent once used."""
    if not can(actor, membership.unit, Capability.MANAGE_MEMBERS) or membership.end_date:
        raise NotFound()
    if not onetime.check(_code_key(membership), code, bound={"by": actor.pk}):
        raise ValidationFailed(_("That code is not right, or it has expired. Send a new one."))
    return _consent_create(
        actor=actor, membership=membership, method=AssistConsent.CODE, given_on=None
    )


@transaction.atomic
def _consent_create(*, actor, membership, method, given_on, form_photo=None, note: str = ""):
    consent = AssistConsent(
        person=membership.person,
        unit=membership.unit,
        method=method,
        given_on=given_on or timezone.localdate(),
        note=note.strip()[:300],
        recorded_by=actor,
    )
    if form_photo is not None:
        consent.form_photo.save(form_photo.name, form_photo, save=False)
    consent.save()
    audit_log(
        actor=actor,
        verb="assist.consent",
        target=consent,
        unit=membership.unit,
        on_behalf_of=membership.person,
        data={"given_on": consent.given_on.isoformat(), "method": method},
    )
    return consent


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
    return _consent_create(
        actor=actor,
        membership=membership,
        method=AssistConsent.PAPER,
        given_on=given_on,
        form_photo=form_photo,
        note=note,
    )


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

"""Commendations: proposals go up the tree with their justification from the record; the
deciding level approves them in bulk, with one decision number; each person receives a
credential with its certificate."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability

from .metrics import metric_value
from .models import Commendation, Holding


def record_summary(person, year: int) -> dict:
    hours, _s = metric_value("hours", person, year)
    courses, _s = metric_value("courses", person, year)
    sessions, _s = metric_value("sessions", person, year)
    titles = list(
        Holding.objects.filter(person=person, year=year).values_list("title_code", flat=True)
    )
    return {
        "hours": str(hours),
        "courses": int(courses),
        "sessions": int(sessions),
        "titles": titles,
    }


@transaction.atomic
def commendation_propose(
    *, actor, proposed_by: Unit, deciding_unit: Unit, kind: str, year: int, justification: str,
    person=None, subject_unit: Unit | None = None, award_name: str = "",
) -> Commendation:  # fmt: skip
    if not can(actor, proposed_by, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if not proposed_by.path.startswith(deciding_unit.path) or proposed_by.pk == deciding_unit.pk:
        raise ValidationFailed(_("A proposal goes to a level above the proposing unit."))
    if kind not in (Commendation.GIAY_KHEN, Commendation.BANG_KHEN, Commendation.UNION_AWARD):
        raise ValidationFailed(_("Choose the form of commendation."))
    if len(justification.strip()) < 20:
        raise ValidationFailed(_("Write the justification (what they achieved)."))
    if person is not None:
        if not Membership.objects.filter(
            person=person, unit_path__startswith=proposed_by.path, end_date__isnull=True
        ).exists():
            raise ValidationFailed(_("Only members of the proposing unit can be proposed."))
        if Commendation.objects.filter(
            person=person,
            year=year,
            kind=kind,
            award_name=award_name,
            status__in=["proposed", "approved"],
        ).exists():
            raise ValidationFailed(_("One achievement is rewarded once: this proposal exists."))
    elif subject_unit is None or not subject_unit.path.startswith(proposed_by.path):
        raise ValidationFailed(_("Propose a member or a unit of the proposing unit."))
    c = Commendation.objects.create(
        kind=kind, award_name=award_name.strip()[:200], year=year, person=person,
        subject_unit=subject_unit, proposed_by=proposed_by, deciding_unit=deciding_unit,
        deciding_path=deciding_unit.path, justification=justification.strip(),
        record_summary=record_summary(person, year) if person else {}, created_by=actor,
    )  # fmt: skip
    audit_log(actor=actor, verb="commendation.propose", target=c, unit=proposed_by)
    return c


@transaction.atomic
def commendations_approve(
    *, actor, deciding_unit: Unit, ids: list[int], number: str, date: dt.date, signer: str,
    signer_title: str,
) -> int:  # fmt: skip
    """The deciding level approves several proposals with one decision."""
    if not can(actor, deciding_unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if not number.strip() or not signer.strip():
        raise ValidationFailed(_("The decision needs its number and its signer."))
    rows = list(
        Commendation.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=ids, deciding_unit=deciding_unit, status=Commendation.PROPOSED)
    )
    if not rows:
        raise ValidationFailed(_("Choose the proposals to approve."))
    for c in rows:
        c.status, c.decision_number, c.decision_date = Commendation.APPROVED, number.strip(), date
        c.signer, c.signer_title = signer.strip(), signer_title.strip()
        if c.person_id:
            c.credential_id = _credential(actor, deciding_unit, c).pk
        c.save()
        audit_log(
            actor=actor, verb="commendation.approve", target=c, unit=deciding_unit,
            on_behalf_of=c.person, data={"decision": c.decision_number},
        )  # fmt: skip
    return len(rows)


@transaction.atomic
def commendation_reject(*, actor, commendation: Commendation, reason: str) -> None:
    c = (
        Commendation.objects.select_for_update()
        .select_related("deciding_unit")
        .get(pk=commendation.pk)
    )
    if not can(actor, c.deciding_unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if c.status != Commendation.PROPOSED:
        raise ValidationFailed(_("This proposal was decided already."))
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Give the reason."))
    c.status, c.reject_reason = Commendation.REJECTED, reason.strip()[:500]
    c.save(update_fields=["status", "reject_reason", "updated_at"])
    audit_log(actor=actor, verb="commendation.reject", target=c, unit=c.deciding_unit)


def _credential(actor, unit: Unit, c: Commendation):
    from suotdoi.credentials.actions import achievement_ensure, credential_issue, issuer_enable
    from suotdoi.credentials.models import CredentialKind

    issuer = issuer_enable(actor=actor, unit=unit)
    name = f"{c.label} {c.year}"
    achievement = achievement_ensure(
        issuer=issuer,
        key=f"commendation:{c.kind}:{c.award_name}:{c.year}",
        kind=CredentialKind.COMMENDATION,
        name=name,
        description=_("Commended by %(unit)s for %(year)s.") % {"unit": unit.name, "year": c.year},
        criteria=_("Proposed by the unit with its justification; decided by %(unit)s.")
        % {"unit": unit.name},
    )
    cred, _created = credential_issue(
        actor=actor,
        person=c.person,
        achievement=achievement,
        source_key=f"commendation:{c.pk}",
        start_date=dt.date(c.year, 1, 1),
        end_date=c.decision_date or timezone.localdate(),
        evidence_narrative=_(
            "Decision %(n)s of %(date)s, %(unit)s; signed by %(signer)s, %(title)s."
        )
        % {
            "n": c.decision_number,
            "date": c.decision_date.strftime("%d/%m/%Y"),
            "unit": unit.name,
            "signer": c.signer,
            "title": c.signer_title,
        },
    )
    return cred


@transaction.atomic
def commendation_revoke(*, actor, commendation: Commendation, reason: str) -> None:
    """Withdraw a commendation (a decision found wrong): its credential is revoked too."""
    from suotdoi.credentials.actions import credential_revoke
    from suotdoi.credentials.models import Credential

    c = (
        Commendation.objects.select_for_update()
        .select_related("deciding_unit")
        .get(pk=commendation.pk)
    )
    if not can(actor, c.deciding_unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if c.status != Commendation.APPROVED:
        raise ValidationFailed(_("Only a decided commendation can be revoked."))
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Give the reason."))
    c.status, c.reject_reason = Commendation.REVOKED, reason.strip()[:500]
    c.save(update_fields=["status", "reject_reason", "updated_at"])
    cred = Credential.objects.filter(pk=c.credential_id, revoked_at__isnull=True).first()
    if cred is not None:
        credential_revoke(actor=actor, credential=cred, reason=reason)
    audit_log(
        actor=actor, verb="commendation.revoke", target=c, unit=c.deciding_unit,
        data={"reason": reason},
    )  # fmt: skip

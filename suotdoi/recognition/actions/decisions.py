"""Recognition decisions: issue, publish (with a credential each), revoke."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability

from ..models import (
    Assessment,
    Decision,
    Holding,
    Status,
)
from .assessments import WrongStep
from .rollups import _rollup_after

# --- decisions ------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(
    *, actor, unit: Unit, assessments: list[Assessment], number: str, date: dt.date,
    signer: str, signer_title: str,
) -> Decision:  # fmt: skip
    """Quyết định công nhận for approved assessments under `unit` (one set, one year)."""
    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    rows = list(
        Assessment.objects.select_for_update()
        .select_related("criteria_set")
        .filter(pk__in=[a.pk for a in assessments])
    )
    if not rows:
        raise ValidationFailed(_("Choose the approved assessments the decision recognises."))
    if any(not r.unit_path.startswith(unit.path) for r in rows):
        raise NotFound()
    if any(r.status != Status.APPROVED for r in rows):
        raise WrongStep(_("Only approved assessments can be recognised."))
    sets = {(r.criteria_set_id, r.year) for r in rows}
    if len(sets) != 1:
        raise ValidationFailed(_("One decision recognises one title for one year."))
    if not number.strip() or not signer.strip():
        raise ValidationFailed(_("The decision needs its number and its signer."))
    if Decision.objects.filter(unit=unit, number=number.strip()).exists():
        raise ValidationFailed(
            _("%(unit)s already has a decision numbered %(n)s.") % {"unit": unit.name, "n": number}
        )
    set_id, year = next(iter(sets))
    d = Decision.objects.create(
        unit=unit, criteria_set_id=set_id, year=year, number=number.strip(), date=date,
        signer=signer.strip(), signer_title=signer_title.strip(), created_by=actor,
    )  # fmt: skip
    Assessment.objects.filter(pk__in=[r.pk for r in rows]).update(decision=d)
    audit_log(
        actor=actor, verb="recognition.decision", target=d, unit=unit, data={"subjects": len(rows)}
    )
    return d


@transaction.atomic
def decision_publish(*, actor, decision: Decision) -> int:
    """Công bố: the titles are held, each subject gets a credential with its certificate, and
    the units above recompute their shares."""
    d = (
        Decision.objects.select_for_update()
        .select_related("unit", "criteria_set")
        .get(pk=decision.pk)
    )
    if not can(actor, d.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if d.published_at or d.revoked_at:
        raise WrongStep(_("This decision was published already."))
    d.published_at = timezone.now()
    d.save(update_fields=["published_at", "updated_at"])
    rows = list(d.assessments.select_related("person", "subject_unit"))
    for a in rows:
        h = Holding.objects.create(
            title_code=d.criteria_set.code, year=d.year, person=a.person, unit=a.subject_unit,
            outcome=a.outcome, decision=d,
        )  # fmt: skip
        if a.person_id:
            h.credential_id = _credential_for(actor, d, a).pk
            h.save(update_fields=["credential_id"])
    Assessment.objects.filter(decision=d).update(status=Status.DECIDED)
    _rollup_after(d)
    audit_log(
        actor=actor, verb="recognition.publish", target=d, unit=d.unit, data={"subjects": len(rows)}
    )
    return len(rows)


def _credential_for(actor, d: Decision, a: Assessment):
    from suotdoi.credentials.actions import achievement_ensure, credential_issue, issuer_enable
    from suotdoi.credentials.models import CredentialKind

    issuer = issuer_enable(actor=actor, unit=d.unit)
    achievement = achievement_ensure(
        issuer=issuer,
        key=f"title:{d.criteria_set.code}:{d.year}",
        kind=CredentialKind.RECOGNITION,
        name=f"{d.criteria_set.title} {d.year}",
        description=_("Recognised as “%(title)s” for %(year)s.")
        % {"title": d.criteria_set.title, "year": d.year},
        criteria=_("Criteria of %(doc)s; decision %(n)s of %(date)s, signed by %(signer)s.")
        % {
            "doc": d.criteria_set.document_number,
            "n": d.number,
            "date": d.date.strftime("%d/%m/%Y"),
            "signer": d.signer,
        },
    )
    cred, _created = credential_issue(
        actor=actor,
        person=a.person,
        achievement=achievement,
        source_key=f"recognition:{d.pk}:{a.pk}",
        start_date=dt.date(d.year, 1, 1),
        end_date=d.date,
        evidence_narrative=_(
            "Decision %(n)s of %(date)s, %(unit)s; signed by %(signer)s, %(title)s."
        )
        % {
            "n": d.number,
            "date": d.date.strftime("%d/%m/%Y"),
            "unit": d.unit.name,
            "signer": d.signer,
            "title": d.signer_title,
        },
    )
    return cred


@transaction.atomic
def decision_revoke(*, actor, decision: Decision, reason: str) -> int:
    """Thu hồi: the titles are no longer held, the credentials are revoked, shares recomputed."""
    from suotdoi.credentials.actions import credential_revoke
    from suotdoi.credentials.models import Credential

    d = (
        Decision.objects.select_for_update()
        .select_related("unit", "criteria_set")
        .get(pk=decision.pk)
    )
    if not can(actor, d.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if d.revoked_at:
        return 0
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Give the reason for revoking the decision."))
    d.revoked_at, d.revoke_reason = timezone.now(), reason.strip()[:500]
    d.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
    holdings = list(d.holdings.all())
    for c in Credential.objects.filter(
        pk__in=[h.credential_id for h in holdings if h.credential_id], revoked_at__isnull=True
    ):
        credential_revoke(actor=actor, credential=c, reason=reason)
    d.holdings.all().delete()
    Assessment.objects.filter(decision=d).update(status=Status.REJECTED)
    _rollup_after(d)
    audit_log(
        actor=actor, verb="recognition.revoke", target=d, unit=d.unit, data={"reason": reason}
    )
    return len(holdings)

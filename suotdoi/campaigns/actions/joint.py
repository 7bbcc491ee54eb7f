"""Joint campaigns with a partner tree, and sub-campaigns that carry a campaign further down."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Say
from suotdoi.organisations.models import Membership, Unit

from ..errors import CampaignClosed
from ..models import (
    Campaign,
    CampaignStatus,
    Task,
)
from ..selectors import target_units
from ._common import _create_tasks, _event

# --- joint campaigns and sub-campaigns ------------------------------------------------------


@transaction.atomic
def partner_invite(*, actor, campaign: Campaign, unit: Unit):
    """Invite a unit of another tree to run the campaign jointly; its officers are told."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.organisations.policies import STAFF_ROLES

    from ..models import CampaignPartner

    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    issuer = campaign.issuer
    if unit.path.startswith(issuer.path) or issuer.path.startswith(unit.path):
        raise ValidationFailed(
            _("%(unit)s is in the issuer's own tree; its units take part already.")
            % {"unit": unit.name}
        )
    partner, created = CampaignPartner.objects.get_or_create(
        campaign=campaign, unit=unit, defaults={"invited_by": actor}
    )
    if not created:
        return partner
    for m in Membership.objects.filter(
        unit=unit, role__in=STAFF_ROLES, end_date__isnull=True
    ).select_related("person"):
        with override(m.person.language):
            notify(
                recipient=m.person,
                kind="campaign.partner",
                title=Say(
                    gettext_noop("%(issuer)s invites %(unit)s to run a campaign jointly"),
                    issuer=issuer.name,
                    unit=unit.name,
                ),
                body=campaign.title,
                url=f"/campaigns/{campaign.pk}/partners/{partner.pk}/",
                dedupe_key=f"campaign.partner:{partner.pk}:{m.person_id}",
            )
    # The code the issuer typed, never the name: nothing about the unit shows before it accepts.
    _event(campaign, actor, "partner_invite", unit=unit.code)
    return partner


@transaction.atomic
def partner_accept(*, actor, partner) -> int:
    """The partner's officer accepts: its units join (tasks at once if the campaign runs)."""
    from ..models import CampaignPartner

    p = CampaignPartner.objects.select_for_update().select_related("campaign__issuer", "unit")
    p = p.get(pk=partner.pk)
    if p.accepted_at is not None:
        return 0
    if p.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    p.accepted_at, p.accepted_by = timezone.now(), actor
    p.save(update_fields=["accepted_at", "accepted_by"])
    n = 0
    if p.campaign.status == CampaignStatus.LAUNCHED:
        units = list(target_units(p.campaign, [p.unit]).only("pk", "path", "depth"))
        n = _create_tasks(p.campaign, units, [p.unit])
    _event(p.campaign, actor, "partner_accept", unit=p.unit.name, tasks=n)
    audit_log(actor=actor, verb="campaign.partner_accept", target=p, unit=p.unit)
    return n


@transaction.atomic
def subcampaign_create(*, actor, task: Task, target_type_codes: list[str], report_due: dt.date):
    """A target unit carries the campaign further down: a draft of its own, with the same
    title, purpose, period and requirements, for the unit types it chooses below it. Its
    roll-ups show on the parent campaign's page."""
    from suotdoi.core.errors import ValidationFailed

    parent = task.campaign
    if parent.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    if report_due > parent.report_due:
        raise ValidationFailed(
            _("Your units must report by %(date)s, so that you can report in time.")
            % {"date": parent.report_due.strftime("%d/%m/%Y")}
        )
    sub = Campaign.objects.create(
        issuer=task.unit,
        parent=parent,
        title=parent.title,
        purpose=parent.purpose,
        target_type_codes=list(target_type_codes),
        starts_on=parent.starts_on,
        ends_on=parent.ends_on,
        report_due=report_due,
        min_sessions=parent.min_sessions,
        min_attendance_pct=parent.min_attendance_pct,
        quiz_pass_pct=parent.quiz_pass_pct,
        quiz_required=parent.quiz_required,
        quiz_draw=parent.quiz_draw,
        reflection_required=parent.reflection_required,
        created_by=actor,
    )
    _event(sub, actor, "create", title=sub.title, parent=parent.pk)
    return sub

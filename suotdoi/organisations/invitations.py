"""Invitations: how a unit reaches a person who already has an account.

An officer who types the phone, citizen ID or email of somebody outside their own subtree learns
nothing about that person: the person is sent an invitation, and joins (with the offered role)
only by accepting it. Staff roles — which make the person sign in with two-factor — are always
offered this way to an existing account, even inside the officer's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Say, Term

from .access import forget_grants
from .errors import InvitationClosed
from .models import InvitationStatus, Membership, MembershipInvitation, Role, Unit
from .policies import ROLES_REQUIRING_MFA


@dataclass
class Registered:
    """What adding a person to a unit did: a membership now, or an invitation they answer."""

    membership: Membership | None = None
    invitation: MembershipInvitation | None = None
    created: bool = False


def needs_acceptance(role: str) -> bool:
    return role in ROLES_REQUIRING_MFA


def _tell_invited(inv: MembershipInvitation) -> None:
    person = inv.person
    with translation.override(person.language or "vi"):
        notify(
            recipient=person,
            kind="membership_invitation",
            title=Say(
                gettext_noop("%(unit)s invites you to join as %(role)s"),
                unit=inv.unit.name,
                role=Term(inv.get_role_display()),
            ),
            body=Say(
                gettext_noop(
                    "Open “Where you belong” to accept or decline. Nothing changes until you "
                    "answer."
                )
            ),
            url=reverse("organisations:my_memberships"),
            dedupe_key=f"invitation:{inv.pk}",
        )


@transaction.atomic
def membership_invite(
    *,
    actor,
    unit: Unit,
    person,
    role: str = Role.MEMBER,
    position_title: str = "",
    start_date=None,
    membership: Membership | None = None,
    import_batch=None,
) -> tuple[MembershipInvitation, bool]:
    """Invite `person` to `unit` (or to a new role on `membership`). Idempotent while pending."""
    existing = MembershipInvitation.objects.filter(
        person=person, unit=unit, status=InvitationStatus.PENDING
    ).first()
    if existing is not None:
        return existing, False
    inv = MembershipInvitation.objects.create(
        person=person,
        unit=unit,
        role=role,
        position_title=position_title,
        start_date=start_date,
        membership=membership,
        invited_by=actor if getattr(actor, "pk", None) else None,
        import_batch=import_batch,
    )
    audit_log(actor=actor, verb="membership.invite", target=inv, unit=unit, data={"role": role})
    _tell_invited(inv)
    return inv, True


def membership_invite_many(*, actor, items: list[dict], import_batch) -> int:
    """Invitations for an import's rows (inside the import's transaction)."""
    n = 0
    for item in items:
        _inv, created = membership_invite(actor=actor, import_batch=import_batch, **item)
        n += created
    return n


def _lock_pending(invitation: MembershipInvitation) -> MembershipInvitation:
    inv = (
        # Lock only the invitation row: PostgreSQL refuses FOR UPDATE across the nullable join.
        MembershipInvitation.objects.select_for_update(of=("self",))
        .select_related("unit", "person", "invited_by")
        .get(pk=invitation.pk)
    )
    if inv.status != InvitationStatus.PENDING:
        raise InvitationClosed()
    return inv


@transaction.atomic
def invitation_accept(*, actor, invitation: MembershipInvitation) -> Membership:
    from .actions import membership_add

    inv = _lock_pending(invitation)
    if inv.person_id != actor.pk:
        raise NotFound()
    if inv.membership_id:
        m = Membership.objects.select_for_update().get(pk=inv.membership_id)
        if m.end_date is not None:
            raise InvitationClosed()
        m.role = inv.role
        m.position_title = inv.position_title or m.position_title
        m.save(update_fields=["role", "position_title", "updated_at"])
    else:
        m, _created = membership_add(
            actor=actor,
            unit=inv.unit,
            person=actor,
            role=inv.role,
            position_title=inv.position_title,
            start_date=inv.start_date,
        )
        if not _created and m.role != inv.role:
            m.role = inv.role
            m.save(update_fields=["role", "updated_at"])
    inv.status = InvitationStatus.ACCEPTED
    inv.decided_at = timezone.now()
    inv.save(update_fields=["status", "decided_at", "updated_at"])
    audit_log(actor=actor, verb="membership.invitation_accept", target=inv, unit=inv.unit)
    forget_grants(actor)
    if inv.invited_by is not None:
        with translation.override(inv.invited_by.language or "vi"):
            notify(
                recipient=inv.invited_by,
                kind="membership_invitation_accepted",
                title=Say(
                    gettext_noop("%(name)s accepted the invitation to %(unit)s"),
                    name=actor.full_name,
                    unit=inv.unit.name,
                ),
                url=reverse("organisations:member_list", args=[inv.unit_id]),
                email=False,
            )
    return m


@transaction.atomic
def invitation_decline(*, actor, invitation: MembershipInvitation) -> MembershipInvitation:
    inv = _lock_pending(invitation)
    if inv.person_id != actor.pk:
        raise NotFound()
    inv.status = InvitationStatus.DECLINED
    inv.decided_at = timezone.now()
    inv.save(update_fields=["status", "decided_at", "updated_at"])
    audit_log(actor=actor, verb="membership.invitation_decline", target=inv, unit=inv.unit)
    return inv


@transaction.atomic
def invitation_withdraw(*, actor, invitation: MembershipInvitation) -> MembershipInvitation:
    """The unit takes back an invitation (the caller checked the actor manages the unit)."""
    inv = _lock_pending(invitation)
    inv.status = InvitationStatus.WITHDRAWN
    inv.decided_at = timezone.now()
    inv.save(update_fields=["status", "decided_at", "updated_at"])
    audit_log(actor=actor, verb="membership.invitation_withdraw", target=inv, unit=inv.unit)
    return inv

"""Every write to units and memberships goes through these functions."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log

from .errors import InvalidDate, InvalidMerge, InvalidMove, UnitCodeTaken
from .models import (
    Membership,
    Role,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitParentPeriod,
    UnitType,
)
from .paths import refresh_path_copies, run_merge_hooks


def _check_effective(date: dt.date) -> dt.date:
    if date > timezone.localdate():
        raise InvalidDate()
    return date


def _code_taken(tree_key: str, code: str, exclude_pk: int | None = None) -> bool:
    qs = Unit.objects.filter(tree_key=tree_key, code=code.strip().upper())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    name: str,
    code: str,
    unit_type: UnitType,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    active_from: dt.date | None = None,
) -> Unit:
    """Add a root unit (parent None) or a child unit at the end of its parent's children."""
    fields = {
        "name": name,
        "code": code,
        "unit_type": unit_type,
        "short_name": short_name,
        "address": address,
        "phone": phone,
        "email": email,
        "active_from": active_from or timezone.localdate(),
    }
    if parent is not None and _code_taken(parent.tree_key, code):
        raise UnitCodeTaken()
    try:
        with transaction.atomic():
            if parent is None:
                unit = Unit.objects.add_root(fields)
            else:
                parent.refresh_from_db()
                unit = Unit.objects.add_child(parent, fields)
    except IntegrityError as exc:
        raise UnitCodeTaken() from exc
    UnitParentPeriod.objects.create(unit=unit, parent=parent, valid_from=unit.active_from)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.CREATED,
        effective_date=unit.active_from,
        actor=actor,
        data={"parent": parent.pk if parent else None},
    )
    audit_log(actor=actor, verb="unit.create", target=unit, unit=unit)
    return unit


UNIT_EDITABLE = ("name", "short_name", "code", "unit_type", "address", "phone", "email")


@transaction.atomic
def unit_update(*, actor, unit: Unit, data: dict) -> Unit:
    changed = [f for f in UNIT_EDITABLE if f in data and getattr(unit, f) != data[f]]
    if "code" in changed and _code_taken(unit.tree_key, data["code"], exclude_pk=unit.pk):
        raise UnitCodeTaken()
    for f in changed:
        setattr(unit, f, data[f])
    if changed:
        unit.save(update_fields=[*changed, "search_text", "tree_key"])
        UnitEvent.objects.create(
            unit=unit,
            kind=UnitEventKind.UPDATED,
            effective_date=timezone.localdate(),
            actor=actor,
            data={"fields": changed},
        )
        audit_log(actor=actor, verb="unit.update", target=unit, unit=unit, data={"fields": changed})
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit, effective_date: dt.date) -> Unit:
    """Re-parent a unit and its whole subtree, keeping the history of its parents."""
    _check_effective(effective_date)
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if unit.is_root():
        raise InvalidMove()
    if new_parent.path.startswith(unit.path):
        raise InvalidMove(code="move_into_itself")
    if new_parent.tree_key != unit.tree_key:
        raise InvalidMove(code="move_across_trees")
    old_parent = Unit.objects.get_parent(unit)
    if old_parent and old_parent.pk == new_parent.pk:
        return unit
    current = UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is not None and effective_date < current.valid_from:
        # History must stay a sequence: a move cannot predate the unit's current placement.
        raise InvalidDate(
            _("The effective date is before the unit's current placement."),
            code="before_current_placement",
        )
    old_path = unit.path
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    # Every registered copy of the subtree's paths follows, in this transaction (ADR 0006).
    refreshed = refresh_path_copies(old_path, unit.path)
    UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).update(
        valid_to=effective_date
    )
    UnitParentPeriod.objects.create(unit=unit, parent=new_parent, valid_from=effective_date)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.MOVED,
        effective_date=effective_date,
        actor=actor,
        data={"from": old_parent.pk if old_parent else None, "to": new_parent.pk},
    )
    audit_log(
        actor=actor,
        verb="unit.move",
        target=unit,
        unit=unit,
        data={
            "from": old_parent.pk if old_parent else None,
            "to": new_parent.pk,
            "effective_date": effective_date.isoformat(),
            "copies": {k: v for k, v in refreshed.items() if v},
        },
    )
    return unit


@transaction.atomic
def unit_merge(*, actor, source: Unit, target: Unit, effective_date: dt.date) -> Unit:
    """Merge `source` into `target`: members, child units and history follow.

    The source's memberships end on the effective date and continue in the target from that
    date, so a report for an earlier date still counts them where they were.
    """
    _check_effective(effective_date)
    source.refresh_from_db()
    target.refresh_from_db()
    if source.pk == target.pk or target.path.startswith(source.path):
        raise InvalidMerge()
    if source.tree_key != target.tree_key or source.merged_into_id:
        raise InvalidMerge()
    for child in list(Unit.objects.get_children(source)):
        unit_move(actor=actor, unit=child, new_parent=target, effective_date=effective_date)
    moved = 0
    for m in Membership.objects.select_related("person").filter(unit=source, end_date__isnull=True):
        _end(m, effective_date, reason="merged")
        if not Membership.objects.filter(
            unit=target, person=m.person, end_date__isnull=True
        ).exists():
            Membership.objects.create(
                person=m.person,
                unit=target,
                role=m.role,
                position_title=m.position_title,
                start_date=effective_date,
                unit_path=target.path,
                person_name_sort=m.person_name_sort,
            )
            Unit.objects.filter(pk=target.pk).update(member_count=F("member_count") + 1)
            moved += 1
    followed = run_merge_hooks(source=source, target=target)
    Unit.objects.filter(pk=source.pk).update(active_to=effective_date, merged_into=target)
    UnitEvent.objects.create(
        unit=source,
        kind=UnitEventKind.MERGED_INTO,
        effective_date=effective_date,
        actor=actor,
        data={"into": target.pk, "members": moved},
    )
    UnitEvent.objects.create(
        unit=target,
        kind=UnitEventKind.ABSORBED,
        effective_date=effective_date,
        actor=actor,
        data={"from": source.pk, "members": moved},
    )
    audit_log(
        actor=actor,
        verb="unit.merge",
        target=source,
        unit=target,
        data={
            "into": target.pk,
            "members": moved,
            "effective_date": effective_date.isoformat(),
            "followed": {k: v for k, v in followed.items() if v},
        },
    )
    source.refresh_from_db()
    return source


def _end(m: Membership, end_date: dt.date, reason: str) -> None:
    m.end_date = end_date
    m.end_reason = reason[:200]
    m.save(update_fields=["end_date", "end_reason", "updated_at"])
    Unit.objects.filter(pk=m.unit_id).update(member_count=F("member_count") - 1)


@transaction.atomic
def membership_add(
    *,
    actor,
    unit: Unit,
    person,
    role: str = Role.MEMBER,
    position_title: str = "",
    start_date: dt.date | None = None,
    on_behalf: bool = False,
    consent_note: str = "",
    occupation_group: str = "",
    income_group: str = "",
) -> tuple[Membership, bool]:
    """Give `person` a membership in `unit`. Idempotent: an active one is returned as is."""
    existing = Membership.objects.filter(unit=unit, person=person, end_date__isnull=True).first()
    if existing is not None:
        return existing, False
    m = Membership.objects.create(
        person=person,
        unit=unit,
        role=role,
        position_title=position_title,
        start_date=start_date or timezone.localdate(),
        unit_path=unit.path,
        person_name_sort=person.name_sort,
        added_on_behalf=on_behalf,
        consent_note=consent_note,
        occupation_group=occupation_group,
        income_group=income_group,
    )
    Unit.objects.filter(pk=unit.pk).update(member_count=F("member_count") + 1)
    audit_log(
        actor=actor,
        verb="membership.add",
        target=m,
        unit=unit,
        on_behalf_of=person if on_behalf else None,
        data={"role": role, "person": person.pk},
    )
    return m, True


@transaction.atomic
def member_register(
    *,
    actor,
    unit: Unit,
    role: str = Role.MEMBER,
    position_title: str = "",
    start_date: dt.date | None = None,
    person=None,
    full_name: str = "",
    phone: str | None = None,
    email: str | None = None,
    national_id: str | None = None,
    date_of_birth: dt.date | None = None,
    gender: str = "",
    consent_note: str = "",
    occupation_group: str = "",
    income_group: str = "",
):
    """An officer adds a member (returns an `invitations.Registered`).

    A person already on the platform (by citizen ID, phone, then email) is added at once only
    when they already belong to a unit the officer manages and the role is a plain membership;
    anyone else is sent an invitation, and the officer learns nothing about them (not even the
    name) until they accept. Somebody not on the platform is registered on their behalf, with
    their consent recorded."""
    from suotdoi.core.errors import NotFound, PermissionDenied, ValidationFailed
    from suotdoi.people.actions import person_create
    from suotdoi.people.selectors import person_find_by_identity

    from .access import can
    from .invitations import Registered, membership_invite, needs_acceptance
    from .policies import Capability
    from .selectors import person_known_to

    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."))
    if role == Role.ADMIN and not can(actor, unit, Capability.MANAGE_UNITS):
        raise PermissionDenied(_("Only a unit admin can appoint another unit admin."))
    on_behalf = person is None
    if person is not None and not person_known_to(actor=actor, person=person):
        raise NotFound()  # named by id: only people the officer already manages
    if person is None:
        person = person_find_by_identity(national_id=national_id, phone=phone, email=email)
        outsider = person is not None and not person_known_to(actor=actor, person=person)
    else:
        outsider = False
    if person is not None and (outsider or needs_acceptance(role)):
        # Somebody with an account outside the officer's units, or offered a staff role:
        # an invitation they answer; nothing about them is shown before.
        existing = Membership.objects.filter(
            unit=unit, person=person, end_date__isnull=True
        ).first()
        inv, _created = membership_invite(
            actor=actor,
            unit=unit,
            person=person,
            role=role,
            position_title=position_title,
            start_date=start_date,
            membership=existing,
        )
        return Registered(invitation=inv)
    if person is None:
        if not full_name:
            raise ValidationFailed(_("Give the person's full name."))
        if not consent_note:
            raise ValidationFailed(_("The person's consent is required."))
        person = person_create(
            actor=actor,
            full_name=full_name,
            phone=phone,
            email=email,
            date_of_birth=date_of_birth,
            gender=gender,
            national_id=national_id,
            on_behalf_consent=consent_note,
        )
    m, created = membership_add(
        actor=actor,
        unit=unit,
        person=person,
        role=role,
        position_title=position_title,
        start_date=start_date,
        on_behalf=on_behalf,
        consent_note=consent_note,
        occupation_group=occupation_group,
        income_group=income_group,
    )
    return Registered(membership=m, created=created)


def membership_export_record(*, actor, unit: Unit) -> None:
    """Exports of personal data are audited like writes."""
    audit_log(actor=actor, verb="membership.export", target=unit, unit=unit)


@transaction.atomic
def membership_change_role(
    *, actor, membership: Membership, role: str, position_title: str | None = None
) -> Membership:
    """Change a member's role. A staff role (two-factor sign-in) is offered as an invitation
    the person accepts; until then the membership keeps its role."""
    from .invitations import membership_invite, needs_acceptance

    if role != membership.role and needs_acceptance(role):
        membership_invite(
            actor=actor,
            unit=membership.unit,
            person=membership.person,
            role=role,
            position_title=position_title or membership.position_title,
            membership=membership,
        )
        return membership
    fields = []
    if membership.role != role:
        membership.role = role
        fields.append("role")
    if position_title is not None and membership.position_title != position_title:
        membership.position_title = position_title
        fields.append("position_title")
    if fields:
        membership.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            verb="membership.change_role",
            target=membership,
            unit=membership.unit,
            data={"role": role},
        )
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: Membership, end_date: dt.date | None = None, reason: str = ""
) -> Membership:
    """A person leaves a unit. The membership is kept with its end date, never deleted."""
    end_date = _check_effective(end_date or timezone.localdate())
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.end_date is not None:
        return m
    if end_date < m.start_date:
        raise InvalidDate(code="end_before_start")
    _end(m, end_date, reason)
    audit_log(
        actor=actor,
        verb="membership.end",
        target=m,
        unit=m.unit,
        data={"end_date": end_date.isoformat(), "reason": reason[:200]},
    )
    return m


def unit_recount_members(*, root: Unit | None = None) -> int:
    """Recompute the pre-aggregated member counts (after bulk loads, or to repair drift)."""
    from django.db.models import Count

    units = Unit.objects.all() if root is None else Unit.objects.filter(path__startswith=root.path)
    counts = dict(
        Membership.objects.filter(unit__in=units, end_date__isnull=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    changed = 0
    for unit_id, current in units.values_list("pk", "member_count"):
        want = counts.get(unit_id, 0)
        if want != current:
            Unit.objects.filter(pk=unit_id).update(member_count=want)
            changed += 1
    return changed

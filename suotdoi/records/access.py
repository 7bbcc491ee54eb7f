"""Permission-checked fetches of learning entries: 404 for absent and forbidden alike."""

from __future__ import annotations

from django.db.models import Q

from suotdoi.core.errors import NotFound
from suotdoi.organisations.access import can, scope_q
from suotdoi.organisations.policies import Capability

from .models import LearningEntry


def can_verify(person, unit) -> bool:
    return unit is not None and (
        can(person, unit, Capability.MANAGE_MEMBERS) or can(person, unit, Capability.EVALUATE)
    )


def verify_scope_q(person) -> Q | None:
    """Units (by path) whose entries the person may verify; None = everything."""
    a = scope_q(person, Capability.MANAGE_MEMBERS, field="unit_path")
    b = scope_q(person, Capability.EVALUATE, field="unit_path")
    if a is None or b is None:
        return None
    return a | b


def access_own_entry_by_id(person, entry_id) -> LearningEntry:
    try:
        return LearningEntry.objects.select_related("unit").get(pk=int(entry_id), person=person)
    except (LearningEntry.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def access_entry_to_verify_by_id(person, entry_id) -> LearningEntry:
    try:
        entry = LearningEntry.objects.select_related("unit", "person").get(pk=int(entry_id))
    except (LearningEntry.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can_verify(person, entry.unit):
        raise NotFound()
    return entry


def access_share_by_token(token: str):
    """A learner's share link, while it is neither stopped nor expired."""
    from django.utils import timezone

    from .models import RecordShare

    share = (
        RecordShare.objects.select_related("person")
        .filter(token=token, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if share is None:
        raise NotFound()
    return share

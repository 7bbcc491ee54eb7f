from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Campaign, Session, Task


def access_campaign(person, campaign_id, capability=Capability.VIEW) -> Campaign:
    """A campaign, for someone with `capability` on its issuing unit."""
    c = Campaign.objects.select_related("issuer").filter(pk=_int(campaign_id)).first()
    if c is None or not can(person, c.issuer, capability):
        raise NotFound()
    return c


def access_task(person, task_id, capability=Capability.VIEW) -> Task:
    """A campaign task, for staff of the target unit or above it (the issuer's side too)."""
    t = Task.objects.select_related("campaign__issuer", "unit").filter(pk=_int(task_id)).first()
    if t is None or not can(person, t.unit, capability):
        raise NotFound()
    return t


def is_member_below(person, unit_path: str) -> bool:
    """An active member of the unit at `unit_path` or of a unit below it."""
    from suotdoi.organisations.models import Membership

    return Membership.objects.filter(
        person=person, unit_path__startswith=unit_path, end_date__isnull=True
    ).exists()


def access_task_as_member(person, task_id) -> Task:
    """A campaign task, for a member of its unit (to write a reflection, take the quiz)."""
    t = Task.objects.select_related("campaign", "unit").filter(pk=_int(task_id)).first()
    if t is None or not is_member_below(person, t.unit_path):
        raise NotFound()
    return t


def access_session(person, session_id, capability=Capability.MANAGE_MEMBERS) -> Session:
    s = (
        Session.objects.select_related("task__campaign", "task__unit")
        .filter(pk=_int(session_id))
        .first()
    )
    if s is None or not can(person, s.task.unit, capability):
        raise NotFound()
    return s


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1

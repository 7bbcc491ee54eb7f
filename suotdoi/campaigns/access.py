from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Campaign, Session, Task


def access_campaign(person, campaign_id, capability=Capability.VIEW) -> Campaign:
    """A campaign, for someone with `capability` on its issuing unit, or (to view it) on a
    partner unit that accepted to run it jointly."""
    c = Campaign.objects.select_related("issuer", "parent").filter(pk=_int(campaign_id)).first()
    if c is None:
        raise NotFound()
    if can(person, c.issuer, capability):
        return c
    if capability == Capability.VIEW and visible_roots(person, c):
        return c
    raise NotFound()


def visible_roots(person, campaign, roots: list | None = None) -> list:
    """The campaign's trees whose progress `person` may see: every tree for the issuer's side
    (the partners' acceptance is their grant), else the partner trees they have a grant in.
    `roots`: the campaign's trees when the caller has them already."""
    from .selectors import campaign_roots

    roots = roots if roots is not None else campaign_roots(campaign)
    if can(person, campaign.issuer, Capability.VIEW):
        return roots
    return [r for r in roots[1:] if can(person, r, Capability.VIEW)]


def may_read_material(person, campaign) -> bool:
    """Study material is for the campaign's staff and for every member of a unit with a task
    (or below one)."""
    from django.db.models import Q

    from suotdoi.organisations.access import grants_for

    if can(person, campaign.issuer, Capability.VIEW) or visible_roots(person, campaign):
        return True
    from suotdoi.organisations.selectors import member_path_prefixes

    prefixes = member_path_prefixes(person)
    q = Q(unit_path__in=prefixes)
    for g in grants_for(person):
        q |= Q(unit_path__startswith=g.path)
    return Task.objects.filter(q, campaign=campaign).exists()


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

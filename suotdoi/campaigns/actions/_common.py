"""What the campaign actions share: the history row, done-ness and task creation."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from suotdoi.audit.actions import audit_log
from suotdoi.organisations.models import Unit
from suotdoi.organisations.selectors import unit_subtree_counts

from ..models import (
    Campaign,
    CampaignEvent,
    Task,
)


def _event(campaign, actor, verb, **data):
    CampaignEvent.objects.create(campaign=campaign, actor=actor, verb=verb, data=data)
    audit_log(
        actor=actor, verb=f"campaign.{verb}", target=campaign, unit=campaign.issuer, data=data
    )


def _refresh_done(campaign: Campaign, task_filter: Q) -> None:
    """A task is done when every requirement holds and the report is in. The same share of
    members (the attendance threshold) must attend, pass the quiz and have a reflection
    accepted, when the campaign asks for those."""
    share = campaign.min_attendance_pct / 100.0
    rule = (
        Q(sessions_held__gte=campaign.min_sessions)
        & Q(attendees__gte=F("members") * share)
        & Q(reported_at__isnull=False)
    )
    if campaign.quiz_required:
        rule &= Q(quiz_passed__gte=F("members") * share)
    if campaign.reflection_required:
        rule &= Q(reflections_accepted__gte=F("members") * share)
    Task.objects.filter(task_filter, campaign=campaign).update(
        done=ExpressionWrapper(rule, output_field=BooleanField())
    )


def _subtree_members(root: Unit) -> dict[str, int]:
    """Members under every unit of `root`'s subtree, from the pre-aggregated unit rows: one
    read of (path, member_count), summed by prefix in Python."""
    sums: dict[str, int] = {}
    step = Unit.steplen
    for path, n in Unit.objects.filter(path__startswith=root.path).values_list(
        "path", "member_count"
    ):
        if n:
            for end in range(len(root.path), len(path) + 1, step):
                sums[path[:end]] = sums.get(path[:end], 0) + n
    return sums


def _create_tasks(campaign: Campaign, units: list[Unit], roots: list[Unit] | None = None) -> int:
    if len(units) > 20:
        sums: dict[str, int] = {}
        for root in roots or [campaign.issuer]:
            sums |= _subtree_members(root)
        members = {u.pk: sums.get(u.path, 0) for u in units}
    else:
        members = {k: v["members"] for k, v in unit_subtree_counts(units=units).items()}
    tasks = [
        Task(campaign=campaign, unit=u, unit_path=u.path, members=members[u.pk]) for u in units
    ]
    Task.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return len(tasks)

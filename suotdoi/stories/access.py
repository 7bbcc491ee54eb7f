"""Who may work on a story: the officers of its unit (or above) who manage members; its
subject or guardian for their consent; everyone for a published one."""

from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Story


def access_story_officer(actor, story_id) -> Story:
    story = (
        Story.objects.select_related("unit", "subject", "guardian")
        .filter(pk=int_or(story_id))
        .first()
    )
    if story is None or not can(actor, story.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    return story


def access_story_subject(actor, story_id) -> Story:
    """The subject or the guardian: the only people who answer the consent page."""
    story = (
        Story.objects.select_related("unit", "subject", "guardian")
        .filter(pk=int_or(story_id))
        .first()
    )
    if story is None or actor.pk not in (story.subject_id, story.guardian_id):
        raise NotFound()
    return story


def access_story_private(actor, story_id) -> Story:
    """A story before or beside its publication (its photos): the subject, the guardian and
    the officers of its unit."""
    story = Story.objects.select_related("unit").filter(pk=int_or(story_id)).first()
    if story is None:
        raise NotFound()
    if actor.pk not in (story.subject_id, story.guardian_id) and not can(
        actor, story.unit, Capability.MANAGE_MEMBERS
    ):
        raise NotFound()
    return story

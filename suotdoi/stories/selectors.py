"""Reads of stories: the facts the system holds about a subject (quoted, never typed), the
consent in force, what a public page may show, and the public lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.core.text import fold

from .models import Story, StoryConsent, StoryPhoto


def facts_for(*, person) -> list[dict]:
    """What a story may quote about a person: name, verified hours this year and in all,
    titles held, credentials earned. Each is shown only if the person agrees."""
    from suotdoi.credentials.models import Credential
    from suotdoi.recognition.models import Commendation, Holding
    from suotdoi.records.models import EntryStatus, LearningEntry

    year = timezone.localdate().year
    verified = LearningEntry.objects.filter(person=person, status=EntryStatus.VERIFIED)
    this_year = verified.filter(start_date__year=year).aggregate(h=Sum("hours"))["h"] or 0
    total = verified.aggregate(h=Sum("hours"))["h"] or 0
    facts = [{"key": "name", "label": _("Full name"), "value": person.full_name}]
    if total:
        facts.append(
            {"key": "hours_total", "label": _("Verified hours of learning"), "value": f"{total:g}"}
        )
    if this_year:
        facts.append(
            {
                "key": "hours_year",
                "label": _("Verified hours this year (%(year)s)") % {"year": year},
                "value": f"{this_year:g}",
            }
        )
    for h in Holding.objects.filter(person=person).select_related("decision").order_by("-year")[:5]:
        facts.append(
            {
                "key": f"title:{h.pk}",
                "label": _("Title"),
                "value": f"{h.decision.criteria_set.title} {h.year}",
            }
        )
    for c in Commendation.objects.filter(person=person, status=Commendation.APPROVED).order_by(
        "-year"
    )[:5]:
        facts.append(
            {
                "key": f"commendation:{c.pk}",
                "label": _("Commendation"),
                "value": f"{c.label} {c.year}",
            }
        )
    for c in (
        Credential.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("achievement")
        .order_by("-issued_at")[:5]
    ):
        facts.append(
            {"key": f"credential:{c.pk}", "label": _("Credential"), "value": c.achievement.name}
        )
    return facts


def facts_for_unit(*, unit) -> list[dict]:
    """What a unit's or a model's story may quote: its commendations and the titles its
    members hold this year (counts)."""
    from suotdoi.recognition.models import Commendation
    from suotdoi.recognition.selectors import public_titles_of

    facts = [{"key": "unit", "label": _("Unit"), "value": unit.name}]
    for c in Commendation.objects.filter(subject_unit=unit, status=Commendation.APPROVED)[:5]:
        facts.append(
            {
                "key": f"commendation:{c.pk}",
                "label": _("Commendation"),
                "value": f"{c.label} {c.year}",
            }
        )
    for t in public_titles_of(unit=unit, year=timezone.localdate().year):
        facts.append(
            {"key": f"titles:{t['title']}", "label": t["title"], "value": str(t["holders"])}
        )
    return facts


def consenter_of(story: Story):
    """Who must consent: the guardian of a minor, else the subject (none for a unit's story,
    which its approving officer answers for)."""
    return story.guardian or story.subject


def live_consent(story: Story) -> StoryConsent | None:
    """The consent that covers the story as it now stands, if any."""
    return (
        story.consents.filter(withdrawn_at__isnull=True, content_hash=story.content_hash)
        .order_by("-given_at")
        .first()
    )


def shown(story: Story) -> dict:
    """What the public page may show: the consented photos and facts (all of a unit's or
    model's story, which has no personal subject)."""
    photos = list(story.photos.all())
    if story.subject_id is None:
        return {"photos": photos, "facts": story.facts, "name": True}
    consent = live_consent(story)
    if consent is None:
        return {"photos": [], "facts": [], "name": False}
    ok_photos = set(consent.photos)
    ok_facts = set(consent.facts)
    return {
        "photos": [p for p in photos if p.pk in ok_photos],
        "facts": [f for f in story.facts if f["key"] in ok_facts and f["key"] != "name"],
        "name": "name" in ok_facts,
    }


def public_stories(*, q: str = "", topic: str = "", under=None) -> QuerySet[Story]:
    qs = Story.objects.filter(status=Story.PUBLISHED).select_related("unit")
    if under is not None:
        qs = qs.filter(unit_path__startswith=under.path)
    if topic:
        qs = qs.filter(topic=topic)
    for word in fold(q).split()[:5]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-published_at")


def first_photo(stories) -> dict[int, StoryPhoto]:
    """For each story, its first photo that may be shown (one query for the stories, one for
    their live consents)."""
    ids = [s.pk for s in stories]
    photos: dict[int, list[StoryPhoto]] = {}
    for p in StoryPhoto.objects.filter(story_id__in=ids).order_by("order", "pk"):
        photos.setdefault(p.story_id, []).append(p)
    allowed: dict[int, set[int]] = {}
    hashes = {s.pk: s.content_hash for s in stories}
    for c in StoryConsent.objects.filter(story_id__in=ids, withdrawn_at__isnull=True):
        if c.content_hash == hashes[c.story_id]:
            allowed.setdefault(c.story_id, set()).update(c.photos)
    out = {}
    for s in stories:
        for p in photos.get(s.pk, []):
            if s.subject_id is None or p.pk in allowed.get(s.pk, set()):
                out[s.pk] = p
                break
    return out


def featured_for(unit) -> QuerySet[Story]:
    """A unit's public page: stories it featured, then those published in its subtree."""
    return (
        Story.objects.filter(status=Story.PUBLISHED)
        .filter(Q(featured_path=unit.path) | Q(unit_path__startswith=unit.path))
        .select_related("unit")
        .order_by("-featured_path", "-published_at")
    )

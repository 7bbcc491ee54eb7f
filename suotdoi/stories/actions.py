"""Writes of stories: nominate, edit, add photos, ask for consent (in the app or by a code
read back to the officer), consent, decline, withdraw, approve, feature, take down. Each in
one transaction with an audit row; nothing is public without a consent to what is shown."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import Conflict, PermissionDenied, ValidationFailed
from suotdoi.core.text import fold
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Say

from . import rules, selectors
from .models import Story, StoryConsent, StoryPhoto

MAX_PHOTOS = 6
EDITABLE = (Story.DRAFT, Story.ASKED, Story.CONSENTED)


def _clean(body: str) -> str:
    """The story as safe HTML. Text typed without any tag (most officers) keeps its
    paragraphs and line breaks."""
    from django.utils.html import escape

    from suotdoi.catalog.rules import clean_html

    body = body or ""
    if "<" not in body:
        paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        body = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return clean_html(body)[:20000]


def _search(story: Story) -> str:
    return fold(f"{story.title} {story.short_text} {story.unit.name}")[:600]


@transaction.atomic
def story_nominate(
    *,
    actor,
    unit,
    subject_kind: str,
    subject=None,
    subject_unit=None,
    topic: str,
    title: str,
    body: str,
    short_text: str,
    source: str = "record",
    guardian=None,
) -> Story:
    """Nominate someone (or a family, a unit, a model) with the facts the system holds."""
    if subject_kind in (Story.PERSON, Story.FAMILY) and subject is None:
        raise ValidationFailed(_("Choose the person the story is about."), code="no_subject")
    if subject_kind in (Story.UNIT, Story.MODEL) and subject is not None:
        raise ValidationFailed(
            _("A unit's or a model's story is about no single person."), code="subject_person"
        )
    story = Story(
        unit=unit,
        unit_path=unit.path,
        subject_kind=subject_kind,
        subject=subject,
        subject_unit=subject_unit,
        guardian=guardian,
        topic=topic,
        title=title.strip()[:160],
        body=_clean(body),
        short_text=short_text.strip()[:280],
        source=source[:40],
        facts=selectors.facts_for(person=subject)
        if subject is not None
        else selectors.facts_for_unit(unit=subject_unit or unit),
        created_by=actor,
    )
    story.search_text = _search(story)
    story.save()
    audit_log(
        actor=actor,
        verb="stories.nominate",
        target=story,
        unit=unit,
        data={"subject_kind": subject_kind, "source": story.source},
    )
    return story


def _locked(story: Story) -> Story:
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("unit", "subject", "guardian")
        .get(pk=story.pk)
    )


@transaction.atomic
def story_edit(
    *, actor, story: Story, title: str, body: str, short_text: str, topic: str, guardian=None
) -> Story:
    """Change the words; a consent already given no longer covers them and is asked again."""
    story = _locked(story)
    if story.status not in EDITABLE:
        raise Conflict(_("Take the story down before changing it."), code="not_editable")
    story.title, story.body = title.strip()[:160], _clean(body)
    story.short_text, story.topic = short_text.strip()[:280], topic
    if guardian is not None:
        story.guardian = guardian
    story.status = Story.DRAFT
    story.search_text = _search(story)
    story.save()
    audit_log(actor=actor, verb="stories.edit", target=story, unit=story.unit)
    return story


@transaction.atomic
def photo_add(*, actor, story: Story, upload, caption: str, alt_text: str) -> StoryPhoto:
    story = _locked(story)
    if story.status not in EDITABLE:
        raise Conflict(_("Take the story down before changing it."), code="not_editable")
    if story.photos.count() >= MAX_PHOTOS:
        raise ValidationFailed(_("A story has at most %(n)s photos.") % {"n": MAX_PHOTOS})
    if not caption.strip() or not alt_text.strip():
        raise ValidationFailed(_("Give each photo a caption and a description."), code="no_alt")
    full, thumb, width, height = rules.safe_photo(upload)
    photo = StoryPhoto(
        story=story,
        caption=caption.strip()[:200],
        alt_text=alt_text.strip()[:300],
        width=width,
        height=height,
        order=story.photos.count(),
    )
    photo.image.save("p.jpg", ContentFile(full), save=False)
    photo.thumb.save("t.jpg", ContentFile(thumb), save=False)
    photo.save()
    story.status = Story.DRAFT
    story.save(update_fields=["status"])
    audit_log(
        actor=actor,
        verb="stories.photo_add",
        target=story,
        unit=story.unit,
        data={"photo": photo.pk, "bytes": len(full)},
    )
    return photo


def _hash(story: Story) -> str:
    photos = [(p.pk, p.caption, p.alt_text) for p in story.photos.all()]
    return rules.content_hash(
        title=story.title, body=story.body, short_text=story.short_text, photos=photos
    )


def _consenter(story: Story):
    if story.subject_id and rules.is_minor(story.subject.date_of_birth, timezone.localdate()):
        if story.guardian_id is None:
            raise ValidationFailed(
                _("The subject is under 18: name a parent or guardian to consent."),
                code="guardian_needed",
            )
        return story.guardian
    return selectors.consenter_of(story)


@transaction.atomic
def consent_ask(*, actor, story: Story) -> Story:
    """Put this version of the story to its subject (or guardian) in the app."""
    story = _locked(story)
    if story.status not in EDITABLE:
        raise Conflict(_("Take the story down before changing it."), code="not_editable")
    who = _consenter(story)
    story.content_hash = _hash(story)
    story.status = Story.ASKED if who is not None else Story.CONSENTED
    story.save(update_fields=["content_hash", "status"])
    if who is not None:
        notify(
            recipient=who,
            kind="stories.consent",
            url=f"/stories/{story.pk}/consent/",
            title=Say(
                gettext_noop("%(unit)s would like to publish a story about you"),
                unit=story.unit.name,
            ),
            body=Say(
                gettext_noop("Read it and choose what may be shown: %(title)s"), title=story.title
            ),
        )
    audit_log(actor=actor, verb="stories.consent_ask", target=story, unit=story.unit)
    return story


def code_key(story: Story) -> str:
    return f"story-consent:{story.pk}"


def consent_code_send(*, actor, story: Story) -> None:
    """For someone without the app: a code by SMS that they read back to the officer once
    the story has been read to them."""
    from suotdoi.core import onetime
    from suotdoi.core.sms import send_sms

    who = _consenter(story)
    if who is None or not who.phone or story.status != Story.ASKED:
        raise ValidationFailed(
            _("A code can be sent only to a phone, once consent is asked."), code="no_phone"
        )
    code = onetime.issue(code_key(story), bound={"story": story.pk, "hash": story.content_hash})
    send_sms(
        who.phone,
        _(
            "Code %(code)s: you agree to publish the story “%(title)s”. Give it "
            "only to the officer who read it to you."
        )
        % {"code": code, "title": story.title[:60]},
    )
    audit_log(actor=actor, verb="stories.consent_code", target=story, unit=story.unit)


@transaction.atomic
def consent_give(
    *, person, story: Story, photos, facts, code: str | None = None, recorded_by=None
) -> StoryConsent:
    """The subject (or guardian) agrees to this version, to the photos and facts chosen. In the
    app it is the person themselves; by code, the officer records it with the code."""
    from suotdoi.core import onetime

    story = _locked(story)
    who = _consenter(story)
    if story.status != Story.ASKED or who is None:
        raise Conflict(_("This story is not waiting for consent."), code="not_asked")
    if code is None:
        if person.pk != who.pk:
            raise PermissionDenied()
    elif not onetime.check(
        code_key(story), code, bound={"story": story.pk, "hash": story.content_hash}
    ):
        raise ValidationFailed(_("The code is wrong or has expired."), code="bad_code")
    photo_ids = set(story.photos.values_list("pk", flat=True))
    fact_keys = {f["key"] for f in story.facts}
    consent = StoryConsent.objects.create(
        story=story,
        person=who,
        as_guardian=who.pk != story.subject_id,
        content_hash=story.content_hash,
        photos=sorted({int(p) for p in photos if str(p).isdigit() and int(p) in photo_ids}),
        facts=sorted({f for f in facts if f in fact_keys}),
        method=StoryConsent.CODE if code is not None else StoryConsent.APP,
        recorded_by=recorded_by,
    )
    story.status = Story.CONSENTED
    story.save(update_fields=["status"])
    audit_log(
        actor=recorded_by or who,
        verb="stories.consent",
        target=story,
        unit=story.unit,
        data={"photos": consent.photos, "facts": consent.facts, "method": consent.method},
    )
    return consent


@transaction.atomic
def consent_decline(*, person, story: Story) -> Story:
    story = _locked(story)
    who = _consenter(story)
    if who is None or person.pk != who.pk or story.status != Story.ASKED:
        raise Conflict(_("This story is not waiting for your consent."), code="not_asked")
    story.status = Story.DRAFT
    story.save(update_fields=["status"])
    audit_log(actor=person, verb="stories.consent_decline", target=story, unit=story.unit)
    return story


@transaction.atomic
def consent_withdraw(*, person, story: Story) -> Story:
    """Withdraw consent: the story is unpublished at once and answers 410."""
    story = _locked(story)
    mine = story.consents.filter(person=person, withdrawn_at__isnull=True)
    if not mine.exists():
        raise Conflict(_("You have no consent to withdraw here."), code="no_consent")
    now = timezone.now()
    mine.update(withdrawn_at=now)
    story.status, story.ended_at = Story.WITHDRAWN, now
    story.end_reason = "consent withdrawn"
    story.save(update_fields=["status", "ended_at", "end_reason"])
    audit_log(actor=person, verb="stories.consent_withdraw", target=story, unit=story.unit)
    return story


@transaction.atomic
def story_approve(*, actor, story: Story) -> Story:
    """The unit approves and publishes; refused without a consent to exactly this version."""
    story = _locked(story)
    if story.status != Story.CONSENTED:
        raise Conflict(_("The story needs its subject's consent first."), code="no_consent")
    if story.subject_id and selectors.live_consent(story) is None:
        raise Conflict(_("The story needs its subject's consent first."), code="no_consent")
    story.status, story.published_at, story.approved_by = Story.PUBLISHED, timezone.now(), actor
    story.save(update_fields=["status", "published_at", "approved_by"])
    audit_log(actor=actor, verb="stories.publish", target=story, unit=story.unit)
    return story


@transaction.atomic
def story_feature(*, actor, story: Story, unit) -> Story:
    """A level above features a published story on its own public page."""
    story = _locked(story)
    if story.status != Story.PUBLISHED:
        raise Conflict(_("Only a published story can be featured."), code="not_published")
    if not story.unit_path.startswith(unit.path):
        raise PermissionDenied()
    story.featured_by, story.featured_path = unit, unit.path
    story.save(update_fields=["featured_by", "featured_path"])
    audit_log(actor=actor, verb="stories.feature", target=story, unit=unit)
    return story


@transaction.atomic
def story_take_down(*, actor, story: Story, reason: str) -> Story:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the story is taken down."), code="no_reason")
    story = _locked(story)
    if story.status != Story.PUBLISHED:
        raise Conflict(_("Only a published story can be taken down."), code="not_published")
    story.status, story.ended_at, story.end_reason = Story.TAKEN_DOWN, timezone.now(), reason[:300]
    story.save(update_fields=["status", "ended_at", "end_reason"])
    audit_log(
        actor=actor,
        verb="stories.take_down",
        target=story,
        unit=story.unit,
        data={"reason": reason[:300]},
    )
    return story

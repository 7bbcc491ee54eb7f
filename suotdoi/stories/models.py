"""Exemplary learners and models (tấm gương sáng, mô hình hay): a story nominated by a unit
from what the system knows, published only with its subject's consent — to the text, to each
photo and to each personal fact shown — and unpublished the moment that consent is withdrawn."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _public_id() -> str:
    return secrets.token_urlsafe(9)


class Topic(models.TextChoices):
    CITIZEN = "citizen", _("Learning citizen")
    FAMILY = "family", _("Learning family")
    WORKPLACE = "workplace", _("Learning at work")
    DIGITAL = "digital", _("Digital skills")
    COMMUNITY = "community", _("Learning community")
    MODEL = "model", _("New model")


class Story(models.Model):
    PERSON, FAMILY, UNIT, MODEL = "person", "family", "unit", "model"
    SUBJECTS = [
        (PERSON, _("a person")),
        (FAMILY, _("a family")),
        (UNIT, _("a unit")),
        (MODEL, _("a model")),
    ]
    DRAFT, ASKED, CONSENTED, PUBLISHED, WITHDRAWN, TAKEN_DOWN = (
        "draft",
        "asked",
        "consented",
        "published",
        "withdrawn",
        "taken_down",
    )
    STATUSES = [
        (DRAFT, _("being written")),
        (ASKED, _("waiting for consent")),
        (CONSENTED, _("consented, waiting for approval")),
        (PUBLISHED, _("published")),
        (WITHDRAWN, _("consent withdrawn")),
        (TAKEN_DOWN, _("taken down")),
    ]
    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    subject_kind = models.CharField(max_length=8, choices=SUBJECTS)
    subject = models.ForeignKey(  # the person, or who speaks for the family
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guardian = models.ForeignKey(  # consents for a minor
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("story"), max_length=20000)  # sanitised HTML
    short_text = models.CharField(_("short version for social networks"), max_length=280)
    facts = models.JSONField(default=list)  # [{"key", "label", "value"}] quoted from the system
    source = models.CharField(
        max_length=40, blank=True
    )  # "record", "decision:12", "commendation:3"
    status = models.CharField(max_length=12, choices=STATUSES, default=DRAFT)
    content_hash = models.CharField(max_length=64, blank=True)  # what was put to the subject
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    featured_by = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    featured_path = models.CharField(max_length=255, blank=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # withdrawn or taken down
    end_reason = models.CharField(max_length=300, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["status", "unit_path"], name="story_status_path_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.PUBLISHED


def _photo_path(instance, filename: str) -> str:
    return f"stories/{instance.story.public_id}/{secrets.token_hex(8)}.jpg"


class StoryPhoto(models.Model):
    """A photo, re-encoded on upload: at most 1,200 px, JPEG, with no EXIF (no place, no
    camera); a small copy for lists and previews."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=_photo_path)
    thumb = models.ImageField(upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200)
    alt_text = models.CharField(_("description for people who cannot see it"), max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption


class StoryConsent(models.Model):
    """The subject's (or guardian's) consent to one version of the story: the text, the photos
    and the facts they agreed to show. Withdrawing ends it and unpublishes the story."""

    APP, CODE = "app", "code"
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    as_guardian = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64)
    photos = models.JSONField(default=list)  # ids of the photos agreed to
    facts = models.JSONField(default=list)  # keys of the facts agreed to
    method = models.CharField(max_length=6, default=APP)
    recorded_by = models.ForeignKey(  # the officer, when given by a code read out to them
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.story_id}:{self.person_id}"

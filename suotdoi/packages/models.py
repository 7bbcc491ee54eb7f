"""E-learning packages (SCORM 1.2, SCORM 2004, cmi5) as lessons of catalogue courses, the
learners' attempts at them, what each launchable item tracked, and the launches that let a
browser on the content host talk to the platform for one attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Standard(models.TextChoices):
    SCORM12 = "scorm12", "SCORM 1.2"
    SCORM2004 = "scorm2004", "SCORM 2004"
    CMI5 = "cmi5", "cmi5"


class Package(models.Model):
    """An uploaded, checked and unpacked package. Its files live in the default storage under
    `packages/<key>/`; it is the content of one lesson of kind "package"."""

    lesson = models.OneToOneField(
        "catalog.Lesson", on_delete=models.CASCADE, related_name="package"
    )
    key = models.CharField(max_length=32, unique=True)  # the storage folder
    standard = models.CharField(max_length=10, choices=Standard.choices)
    edition = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=250)
    course_iri = models.CharField(max_length=500, blank=True)  # cmi5 course id
    items = models.JSONField(default=list)  # manifest.Item.as_dict() for each launchable item
    files = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    use_tracked_time = models.BooleanField(
        _("count the time the learner spent instead of the course's hours"), default=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    def item(self, ident: str) -> dict | None:
        return next((i for i in self.items if i["ident"] == ident), None)


class Attempt(models.Model):
    """One learner's attempt at a package; a new one starts only after the last ended."""

    IN_PROGRESS, COMPLETED, PASSED, FAILED = "in_progress", "completed", "passed", "failed"
    STATUS = [
        (IN_PROGRESS, _("in progress")),
        (COMPLETED, _("completed")),
        (PASSED, _("passed")),
        (FAILED, _("failed")),
    ]
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    registration = models.UUIDField(unique=True)
    status = models.CharField(max_length=12, choices=STATUS, default=IN_PROGRESS)
    score = models.FloatField(null=True, blank=True)  # scaled 0..1, the best of its items
    seconds = models.PositiveIntegerField(default=0)  # tracked time, all sessions
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    entry = models.ForeignKey(
        "records.LearningEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["package", "person", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "person", "number"], name="one_package_attempt_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package_id}/{self.person_id}#{self.number}"

    @property
    def done(self) -> bool:
        return self.status in (self.COMPLETED, self.PASSED)


class ItemState(models.Model):
    """What one launchable item (a SCO, an AU) tracked in an attempt: the runtime data as the
    content last committed it (SCORM), or what the AU's statements said (cmi5)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="states")
    ident = models.CharField(max_length=200)
    completion = models.CharField(max_length=20, blank=True)  # completed | incomplete | …
    success = models.CharField(max_length=20, blank=True)  # passed | failed | unknown
    score = models.FloatField(null=True, blank=True)  # scaled 0..1
    location = models.CharField(max_length=1000, blank=True)
    seconds = models.PositiveIntegerField(default=0)  # total over the attempt's sessions
    base_seconds = models.PositiveIntegerField(default=0)  # total before the current session
    cmi = models.JSONField(default=dict)  # SCORM: the data model to resume with
    commits = models.PositiveIntegerField(default=0)
    satisfied = models.BooleanField(default=False)  # its moveOn (cmi5) / completion is met
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "ident"], name="one_state_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.ident}"


class Launch(models.Model):
    """One opening of an item: the token the content host's pages carry (only its hash is
    kept), the content origin it was issued for, and for cmi5 the session and the one-time
    fetch of the auth token."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="launches")
    ident = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    auth_hash = models.CharField(max_length=64, blank=True, db_index=True)  # cmi5 auth token
    session = models.UUIDField()  # cmi5 session id
    origin = models.CharField(max_length=200)  # where the content is served
    parent_origin = models.CharField(max_length=200)  # the platform page that frames it
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    fetched_at = models.DateTimeField(null=True, blank=True)
    initialized_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.ident}@{self.created_at:%Y-%m-%d %H:%M}"

"""The catalogue: providers, courses (modules, lessons, quiz), runs, enrolments, open resources
and the search index that serves both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel


class Category(models.TextChoices):
    POLITICAL = "political", _("Political theory")
    PROFESSIONAL = "professional", _("Professional skills")
    DIGITAL = "digital", _("Digital skills")
    LANGUAGES = "languages", _("Foreign languages")
    LAW = "law", _("Law")
    HEALTH = "health", _("Health")
    SAFETY = "safety", _("Occupational safety")
    TRADES = "trades", _("Trades and vocations")
    LIFE = "life", _("Life skills")
    CULTURE = "culture", _("Culture")


class Format(models.TextChoices):
    ONLINE = "online", _("Online, self-paced")
    IN_PERSON = "in_person", _("In person")
    BLENDED = "blended", _("Blended")
    EXTERNAL = "external", _("Elsewhere (link)")


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    PUBLIC = "public-document", _("Public document of the State")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Waiting for review")
    PUBLISHED = "published", _("Published")


class Provider(TimeStampedModel):
    """A unit that teaches: a community learning centre, a vocational school, a union's
    training department, an enterprise."""

    unit = models.OneToOneField(
        "organisations.Unit", on_delete=models.PROTECT, related_name="provider"
    )
    description = models.TextField(_("about the provider"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    issues_credentials = models.BooleanField(
        _("issue a verifiable credential when a course is completed"), default=False
    )

    def __str__(self) -> str:
        return self.unit.name


class Course(TimeStampedModel):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=2000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tags = models.JSONField(_("competences"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default="basic")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    credits = models.DecimalField(
        _("credits"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    price = models.PositiveIntegerField(_("price (VND)"), default=0)
    audience_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for members of"),
        help_text=_("Leave empty for a course open to everyone."),
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.ALL_RIGHTS
    )
    external_url = models.URLField(_("link to the course elsewhere"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    pass_pct = models.PositiveSmallIntegerField(_("quiz pass mark (%)"), default=70)
    attempts_limit = models.PositiveSmallIntegerField(
        _("quiz attempts allowed"), default=3, help_text=_("0: no limit.")
    )
    quiz_draw = models.PositiveSmallIntegerField(
        _("questions drawn for each attempt"), default=0, help_text=_("0: every question.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.format in (Format.ONLINE, Format.BLENDED)


class CourseRun(models.Model):
    """A scheduled in-person (or blended) run with seats."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.course_id} @ {self.starts_at:%Y-%m-%d}"


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=250)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Image")
    LINK = "link", _("Link")
    PACKAGE = "package", _("E-learning package (SCORM, cmi5)")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=8, choices=LessonKind.choices, default="text")
    # (a package lesson's content is its suotdoi.packages Package)
    body = models.TextField(_("text"), blank=True)  # sanitised HTML
    file = models.FileField(_("file"), upload_to="lessons/%Y/%m/", blank=True)
    url = models.URLField(_("link or video address"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)

    class Meta:
        ordering = ["module__order", "order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One right answer")
    MULTIPLE = "multiple", _("Several right answers")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer")


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=QuestionKind.choices, default="single")
    text = models.CharField(_("question"), max_length=500)
    # [{"text": "...", "correct": bool}] for choice kinds; accepted answers for short ones.
    choices = models.JSONField(default=list)
    answers = models.JSONField(default=list)
    feedback = models.CharField(_("explanation shown after answering"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Enrolment(models.Model):
    ACTIVE, WAITLISTED, CANCELLED, COMPLETED = "active", "waitlisted", "cancelled", "completed"
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        CourseRun, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(max_length=10, default=ACTIVE)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lessons_done = models.PositiveSmallIntegerField(default=0)
    quiz_passed = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="one_enrolment_each")
        ]
        indexes = [models.Index(fields=["run", "status", "enrolled_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.course_id}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_each")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz")
    number = models.PositiveSmallIntegerField()
    score_pct = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)
    # answered without signal and sent later: the phone's key, so a resend counts once
    offline_key = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="one_attempt_number"),
            models.UniqueConstraint(
                fields=["enrolment", "offline_key"],
                condition=~models.Q(offline_key=""),
                name="one_attempt_per_offline_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}#{self.number}"


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")
    LINK = "link", _("Link")


class Resource(TimeStampedModel):
    """An open educational resource in a unit's library."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    file = models.FileField(_("file"), upload_to="resources/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices)
    author = models.CharField(_("author"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes to study"), default=30)
    published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class SearchDoc(models.Model):
    """One row per published course or resource: the folded text the search box reads and the
    columns its filters use. Kept by the catalogue's actions; on SQLite an FTS5 table mirrors
    it, on PostgreSQL a GIN index over its text does the same job."""

    COURSE, RESOURCE = "course", "resource"
    kind = models.CharField(max_length=10)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=250)
    title_folded = models.CharField(max_length=250)
    body_folded = models.TextField()
    category = models.CharField(max_length=20, db_index=True)
    format = models.CharField(max_length=10, blank=True)
    price = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    audience_path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_doc_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchWord(models.Model):
    """The vocabulary of the index (folded words), for typo correction."""

    word = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.word

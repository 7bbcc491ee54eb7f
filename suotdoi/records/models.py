"""The lifelong learning record: one timeline of learning entries per person."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import BilingualLabel, TimeStampedModel


class EntryKind(models.TextChoices):
    COURSE = "course", _("Course")
    SESSION = "session", _("Study session or seminar")
    SELF_STUDY = "self_study", _("Self-study")
    READING = "reading", _("Reading")
    VISIT = "visit", _("Visit to a library, museum or cultural centre")
    ONLINE_ELSEWHERE = "online_elsewhere", _("Online course elsewhere")
    WORKPLACE = "workplace", _("Workplace training")
    QUALIFICATION = "qualification", _("Formal qualification")
    CONTEST = "contest", _("Contest")
    OTHER = "other", _("Other")


class Provenance(models.TextChoices):
    SELF_DECLARED = "self_declared", _("Self-declared")
    UNIT_VERIFIED = "unit_verified", _("Verified by a unit")
    ISSUED = "issued", _("Issued by a provider")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    UNVERIFIED = "unverified", _("Not submitted for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not accepted")
    SUPERSEDED = "superseded", _("Corrected by a newer entry")
    # A tool outside the learner's units said so: counted nowhere until the learner accepts.
    REPORTED = "reported", _("Reported by a learning tool, waiting for you")


# Entries that count in no total, figure, transcript or shared record.
NOT_COUNTING = (EntryStatus.REJECTED, EntryStatus.SUPERSEDED, EntryStatus.REPORTED)


class CompetenceTag(BilingualLabel, models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150, blank=True)
    framework = models.CharField(max_length=30)  # "tt02-2025" or "category"
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["framework", "order"]

    def __str__(self) -> str:
        return self.label


class LearningEntry(TimeStampedModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_entries"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    credits = models.DecimalField(
        _("credits"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tags = models.ManyToManyField(CompetenceTag, blank=True, verbose_name=_("competences"))
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_entries",
        verbose_name=_("unit"),
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    provenance = models.CharField(max_length=20, choices=Provenance.choices)
    status = models.CharField(max_length=12, choices=EntryStatus.choices)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=300, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # An officer who typed it in for the person (assisted use, with their recorded consent).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Idempotency: one entry per source event ("attendance:123", "xapi:<uuid>", "self:<uuid>").
    source_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("learning entry")
        verbose_name_plural = _("learning entries")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["person", "-start_date"], name="entry_person_date_idx"),
            models.Index(fields=["status", "unit_path"], name="entry_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counts(self) -> bool:
        """Whether it counts in totals: not rejected and not replaced by a correction."""
        return self.status not in NOT_COUNTING

    @property
    def is_locked(self) -> bool:
        return self.status in (EntryStatus.VERIFIED, EntryStatus.SUPERSEDED) or (
            self.provenance == Provenance.ISSUED
        )


class UnitFigure(models.Model):
    """Pre-aggregated learning per unit and month, maintained by the records actions."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="learning_figures"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    entries = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    verified_hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="unit_figure_once")
        ]
        indexes = [models.Index(fields=["year", "unit_path"], name="unit_figure_year_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}-{self.month:02d}"


class LearningGoal(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals"
    )
    year = models.PositiveSmallIntegerField()
    hours = models.PositiveIntegerField(validators=[MaxValueValidator(2000)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_goal_per_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.hours}"


class RecordShare(models.Model):
    """A link the learner gives to whomever they choose (an employer, a unit): read-only,
    expiring, revocable. The record is the learner's; nothing is visible without it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_shares"
    )
    token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share {self.pk} of {self.person_id}"


class AssistConsent(models.Model):
    """A member who cannot use the app agrees that officers of a unit act for them (declare
    their learning, check them in, fill a self-assessment): the signed paper form,
    photographed, or a code sent to the member's phone and read out by them; and who recorded
    it. Withdrawable by the member or, at their request, by an officer; every write made under
    it is marked."""

    PAPER, CODE = "paper", "code"
    METHODS = [(PAPER, _("signed paper form")), (CODE, _("code read out by the member"))]

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assist_consents"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField(_("consent given on"))
    method = models.CharField(
        _("how consent was given"), max_length=8, choices=METHODS, default=PAPER
    )
    form_photo = models.FileField(
        _("photo of the signed form"), upload_to="consents/%Y/%m/", blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.person} → {self.unit}"

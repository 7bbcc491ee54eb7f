"""Credit accumulation: providers accredited to grant credit, the programmes they publish (rules
as data), each person's recognised credits, and requests to recognise prior learning (RPL).

Recognised credit is granted by an accredited provider (a credit-bearing course completed, or an
RPL decision). Hours of learning convert to "credit-equivalents" (50 hours each, TT 17/2021) only
for display: they are computed from the record, never stored here and never added to recognised
credit (DOMAIN.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel

HOURS_PER_CREDIT = 50  # TT 17/2021/TT-BGDĐT Art. 7


class VqfLevel(models.IntegerChoices):
    """The Vietnamese Qualifications Framework (QĐ 1982/QĐ-TTg)."""

    L1 = 1, _("Level 1 — Elementary certificate I")
    L2 = 2, _("Level 2 — Elementary certificate II")
    L3 = 3, _("Level 3 — Elementary certificate III")
    L4 = 4, _("Level 4 — Intermediate")
    L5 = 5, _("Level 5 — College")
    L6 = 6, _("Level 6 — Bachelor")
    L7 = 7, _("Level 7 — Master")
    L8 = 8, _("Level 8 — Doctorate")


# The least credits a programme of each level may ask for (QĐ 1982/QĐ-TTg).
VQF_MIN_CREDITS = {1: 5, 2: 15, 3: 25, 4: 35, 5: 60, 6: 120, 7: 30, 8: 90}
TRANSFER_CAP_MAX_PCT = 50  # TT 08/2021 Art. 13: at most half of a programme's load


class Accreditation(models.Model):
    """A provider allowed to grant recognised credit, and the document that says so."""

    provider = models.OneToOneField(
        "catalog.Provider", on_delete=models.PROTECT, related_name="accreditation"
    )
    reference = models.CharField(
        _("decision or licence number"), max_length=120, help_text=_("e.g. 123/QĐ-LĐTBXH")
    )
    issued_by = models.CharField(_("issued by"), max_length=200)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("the document"), upload_to="accreditations/%Y/")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.reference}"


class Programme(TimeStampedModel):
    """A programme or qualification as its provider publishes it."""

    DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"
    STATUSES = [(DRAFT, _("Draft")), (PUBLISHED, _("Published")), (CLOSED, _("Closed"))]
    provider = models.ForeignKey(
        "catalog.Provider", on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    vqf_level = models.PositiveSmallIntegerField(_("level"), choices=VqfLevel.choices)
    min_credits = models.DecimalField(
        _("credits required"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
    )
    transfer_cap_pct = models.PositiveSmallIntegerField(
        _("at most this share may be recognised from earlier learning (%)"),
        default=TRANSFER_CAP_MAX_PCT,
        validators=[MaxValueValidator(TRANSFER_CAP_MAX_PCT)],
    )
    max_result_age_years = models.PositiveSmallIntegerField(
        _("results count for this many years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Empty: results never grow too old."),
    )
    yearly_cap = models.DecimalField(
        _("at most this many credits count per year"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
        help_text=_("Empty: no yearly limit."),
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="programme_code_per_provider")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def transfer_cap(self):
        from decimal import Decimal

        return (self.min_credits * self.transfer_cap_pct / Decimal(100)).quantize(Decimal("0.1"))


class ProgrammeModule(models.Model):
    """A part of a programme: its credits, whether it is mandatory, its area, and the catalogue
    courses whose completion fills it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=250)
    area = models.CharField(_("area"), max_length=20)  # a catalogue category
    credits = models.DecimalField(
        _("credits"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(60)],
    )
    mandatory = models.BooleanField(_("mandatory"), default=False)
    courses = models.ManyToManyField(
        "catalog.Course", blank=True, related_name="+", verbose_name=_("courses that fill it")
    )
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="module_code_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Following(models.Model):
    """A learner following a programme (to see their progress and apply for RPL)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="followers")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "programme"], name="follow_programme_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.programme_id}"


class RplRequest(TimeStampedModel):
    """A learner asks a provider to recognise earlier learning toward one of its programmes."""

    SUBMITTED, DECIDED, APPEALED, FINAL, WITHDRAWN = (
        "submitted",
        "decided",
        "appealed",
        "final",
        "withdrawn",
    )
    STATUSES = [
        (SUBMITTED, _("Waiting for the assessor")),
        (DECIDED, _("Decided (an appeal is possible once)")),
        (APPEALED, _("Appealed, waiting for a second assessor")),
        (FINAL, _("Final")),
        (WITHDRAWN, _("Withdrawn")),
    ]
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rpl_requests")
    statement = models.TextField(_("what you learned and how"), max_length=4000, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("reasons"), max_length=4000, blank=True)
    appeal_text = models.TextField(_("why you appeal"), max_length=4000, blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status__in=["submitted", "appealed"]),
                name="rpl_one_open_request_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"RPL {self.pk}: {self.person_id} → {self.programme_id}"


class RplClaim(models.Model):
    """One module claimed in a request, with its evidence, and what the assessor granted."""

    request = models.ForeignKey(RplRequest, on_delete=models.CASCADE, related_name="claims")
    module = models.ForeignKey(ProgrammeModule, on_delete=models.PROTECT, related_name="+")
    entries = models.ManyToManyField("records.LearningEntry", blank=True, related_name="+")
    credentials = models.ManyToManyField("credentials.Credential", blank=True, related_name="+")
    verified_evidence = models.BooleanField(default=False)  # checked when submitted
    granted = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "module"], name="rpl_claim_once_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.module_id}"


class CreditAward(models.Model):
    """A line of a person's credit account: recognised credit from a credit-bearing course
    completed at an accredited provider, or granted by an RPL decision."""

    COURSE, RPL = "course", "rpl"
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_awards"
    )
    provider = models.ForeignKey("catalog.Provider", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=[(COURSE, _("Course")), (RPL, _("Recognised"))])
    title = models.CharField(max_length=250)
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    area = models.CharField(max_length=20, blank=True)
    vqf_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=VqfLevel.choices)
    awarded_on = models.DateField()
    grade = models.CharField(max_length=20, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    course = models.ForeignKey(
        "catalog.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey(
        ProgrammeModule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        RplClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    credential = models.ForeignKey(
        "credentials.Credential", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_key = models.CharField(max_length=120, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "awarded_on"], name="credit_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.credits} ({self.title})"

"""Criteria sets (versioned rules as data), assessments through their workflow, recognition
decisions, the titles they confer, and the yearly roll-ups of titles over units."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel

from . import engine


class SubjectType(models.TextChoices):
    PERSON = "person", _("Person")
    FAMILY = "family", _("Family")
    CLAN = "clan", _("Clan")
    VILLAGE = "village", _("Village")
    UNIT = "unit", _("Unit")
    COMMUNE = "commune", _("Commune")


class Confirmation(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed against the official text")
    PARTLY = "partly", _("Thresholds as in the official text; indicators summarised")
    EXAMPLE = "example", _("An example a unit can adapt; not an official text")


class CriteriaSet(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    subject_type = models.CharField(_("assessed"), max_length=10, choices=SubjectType.choices)
    issuer_name = models.CharField(_("issued by"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    confirmation = models.CharField(max_length=10, choices=Confirmation.choices)
    rule_kind = models.CharField(
        _("pass rule"),
        max_length=10,
        choices=[(engine.RULE_POINTS, _("Points")), (engine.RULE_LEVELS, _("Levels"))],
    )
    pass_total = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    min_each = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    bands = models.JSONField(default=list, blank=True)  # [["Tốt", 85], ["Khá", 70], …]
    level_labels = models.JSONField(default=list, blank=True)  # ["Mức 1", "Mức 2"]
    pass_label = models.CharField(max_length=60, default="Đạt")
    fail_label = models.CharField(max_length=60, default="Không đạt")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_set_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def rule(self) -> engine.SetRule:
        return engine.SetRule(
            kind=self.rule_kind,
            indicators=tuple(i.rule() for i in self.indicators.all()),
            pass_total=self.pass_total,
            min_each=self.min_each,
            bands=tuple((b[0], Decimal(str(b[1]))) for b in self.bands),
            pass_label=self.pass_label,
            fail_label=self.fail_label,
            level_labels=tuple(self.level_labels),
        )


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("criterion"), max_length=300)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Metric(models.TextChoices):
    HOURS = "hours", _("Verified learning hours in the year")
    COURSES = "courses", _("Courses completed in the year")
    SESSIONS = "sessions", _("Study sessions attended in the year")
    QUIZ = "campaign_quiz", _("Campaign quizzes passed in the year")
    DIGITAL = "digital", _("Digital-skills learning in the year (entries)")
    ENTRIES = "entries", _("Verified learning entries in the year")


class Indicator(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="indicators"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=1)
    code = models.SlugField(max_length=30)
    text = models.CharField(_("indicator"), max_length=500)
    measure = models.CharField(
        _("measure"),
        max_length=10,
        choices=[
            (engine.POINTS, _("Points given by the evaluator")),
            (engine.YES_NO, _("Yes / no condition")),
            (engine.RECORD, _("Computed from the learning record")),
            (engine.SHARE, _("Share of members holding a title")),
        ],
    )
    max_points = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("10"))
    target = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal("0"))
    metric = models.CharField(max_length=20, choices=Metric.choices, blank=True)
    share_of = models.SlugField(_("title held by members"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criterion__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="one_indicator_code")
        ]

    def __str__(self) -> str:
        return self.text

    def rule(self) -> engine.IndicatorRule:
        return engine.IndicatorRule(
            code=self.code,
            measure=self.measure,
            max_points=self.max_points,
            target=self.target,
            level=self.level,
        )

    @property
    def computed(self) -> bool:
        return self.measure in (engine.RECORD, engine.SHARE)


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SUBMITTED = "submitted", _("Self-assessment submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved by the unit")
    DECIDED = "decided", _("Recognised by decision")
    REJECTED = "rejected", _("Not recognised")


class Assessment(TimeStampedModel):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The unit that reviews and approves: the person's unit, or the unit above a unit.
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)
    # indicator code → {"self": v, "review": v, "reason": "", "computed": v, "sources": [ids]}
    values = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    outcome = models.CharField(max_length=60, blank=True)
    passed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=500, blank=True)
    decision = models.ForeignKey(
        "Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "year", "person"],
                condition=models.Q(person__isnull=False),
                name="one_person_assessment",
            ),
            models.UniqueConstraint(
                fields=["criteria_set", "year", "subject_unit"],
                condition=models.Q(subject_unit__isnull=False),
                name="one_unit_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set.title} · {self.year}"

    def value_of(self, code: str):
        v = self.values.get(code) or {}
        for key in ("review", "computed", "self"):
            if v.get(key) is not None and v.get(key) != "":
                return v[key]
        return None


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.SlugField(max_length=30)
    note = models.CharField(_("what it shows"), max_length=500)
    file = models.FileField(_("file"), upload_to="evidence/recognition/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.note


class Decision(TimeStampedModel):
    """Quyết định công nhận: number, date, signer, the subjects it recognises."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("signer's position"), max_length=200)
    published_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_decision_number")
        ]

    def __str__(self) -> str:
        return self.number


class Holding(models.Model):
    """A title held for a year, by a person or a unit, through a decision (or computed, for a
    unit's level from its members' titles)."""

    title_code = models.SlugField(max_length=60)
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=60)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="holdings")
    credential_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["title_code", "year", "person"])]
        constraints = [
            models.UniqueConstraint(
                fields=["title_code", "year", "person"],
                condition=models.Q(person__isnull=False),
                name="one_person_holding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title_code}/{self.year}"


class UnitYearFigure(models.Model):
    """How many members of a unit's subtree held a title in a year (recomputed from the
    holdings, never incremented, so a recomputation is idempotent and order-free)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    title_code = models.SlugField(max_length=60)
    year = models.PositiveSmallIntegerField()
    members = models.PositiveIntegerField(default=0)
    holders = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title_code", "year"], name="one_unit_year_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.title_code}/{self.year}: {self.holders}/{self.members}"

    @property
    def share_pct(self) -> Decimal:
        if not self.members:
            return Decimal("0")
        return (Decimal(100) * self.holders / self.members).quantize(Decimal("0.1"))


class Round(models.Model):
    """The calendar of a title's assessment for a year, set by a unit for its subtree: self-
    assessments due, reviews due, decisions due (e.g. dossiers before 15 January)."""

    title_code = models.SlugField(max_length=60)
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    submit_by = models.DateField(_("self-assessments due"))
    review_by = models.DateField(_("reviews due"))
    decide_by = models.DateField(_("decisions due"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["title_code", "year", "unit"], name="one_round_each")
        ]

    def __str__(self) -> str:
        return f"{self.title_code}/{self.year}@{self.unit_id}"


class Movement(TimeStampedModel):
    """Phong trào thi đua: people or units register; standings are computed from the record
    and compared fairly (rates per member, size bands), never by raw headcount."""

    PERSONS, UNITS = "persons", "units"
    HOURS, TITLE_SHARE = "hours", "title_share"
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    subjects = models.CharField(
        _("who takes part"),
        max_length=10,
        choices=[(PERSONS, _("People")), (UNITS, _("Units"))],
    )
    metric = models.CharField(
        _("measured by"),
        max_length=12,
        choices=[
            (HOURS, _("Verified learning hours (per member, for units)")),
            (TITLE_SHARE, _("Share of members holding a title (units)")),
        ],
        default=HOURS,
    )
    title_code = models.SlugField(
        _("title members hold"), max_length=60, default="cong-dan-hoc-tap", blank=True
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    public = models.BooleanField(_("show me in the public standings"), default=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    # The standing, as last computed.
    members = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    rate = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    band = models.CharField(max_length=20, blank=True)
    rank = models.PositiveIntegerField(default=0)  # within the band
    band_size = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "person"],
                condition=models.Q(person__isnull=False),
                name="one_person_participation",
            ),
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=models.Q(unit__isnull=False),
                name="one_unit_participation",
            ),
        ]
        indexes = [models.Index(fields=["movement", "band", "rank"])]

    def __str__(self) -> str:
        return f"{self.movement_id}:{self.person_id or self.unit_id}"


class Commendation(TimeStampedModel):
    """Đề nghị khen thưởng going up the tree, and, once the deciding level approves it, the
    commendation itself (decision number, date, signer; a credential for a person)."""

    GIAY_KHEN, BANG_KHEN, UNION_AWARD = "giay_khen", "bang_khen", "union_award"
    PROPOSED, APPROVED, REJECTED, REVOKED = "proposed", "approved", "rejected", "revoked"
    kind = models.CharField(
        _("form"),
        max_length=12,
        choices=[
            (GIAY_KHEN, _("Certificate of merit (giấy khen)")),
            (BANG_KHEN, _("Diploma of merit (bằng khen)")),
            (UNION_AWARD, _("Trade-union award")),
        ],
    )
    award_name = models.CharField(_("award"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+"
    )
    deciding_unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+"
    )
    deciding_path = models.CharField(max_length=255, db_index=True)
    justification = models.TextField(_("justification"), max_length=4000)
    record_summary = models.JSONField(default=dict)  # from the record, when proposed
    status = models.CharField(max_length=10, default=PROPOSED)
    decision_number = models.CharField(max_length=60, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    signer = models.CharField(max_length=200, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    reject_reason = models.CharField(max_length=500, blank=True)
    credential_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def label(self) -> str:
        return self.award_name or str(self.get_kind_display())

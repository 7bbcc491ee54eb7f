"""Periodic reports: a report form as data (sections of indicators), a period a level opens
for the units below it, each unit's report with its figures, and the history of each report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportForm(models.Model):
    """One version of a report form (mẫu báo cáo). Sections and items are data:

    [{"number": "I", "title": "…", "items": [{"code": "members", "label": "…",
      "kind": "computed" | "typed" | "ratio" | "text", "unit": "người",
      "source": "members" (computed), "num": "hours", "den": "members", "scale": 1 (ratio)}]}]

    A change makes a new version; a report keeps the version it was made with."""

    code = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=300)
    tree_kind = models.CharField(_("tree"), max_length=20)
    issuer_name = models.CharField(_("issued by"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    note = models.TextField(blank=True)
    sections = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_report_form_version")
        ]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def items(self) -> list[dict]:
        return [item for section in self.sections for item in section["items"]]


class Period(models.Model):
    """A reporting period a level opens for the unit types below it (kỳ báo cáo)."""

    PREPARING, OPEN, CLOSED = "preparing", "open", "closed"
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="periods")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    deadline = models.DateField(_("deadline"))
    type_codes = models.JSONField(default=list)  # the unit types below that report
    status = models.CharField(max_length=10, default=PREPARING)
    reports_total = models.PositiveIntegerField(default=0)
    prefilled = models.PositiveIntegerField(default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ends_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """A unit's report for a period. `own` holds the unit's own rows (itself, the units below
    it that do not report, the units merged into it); `values` what it reports for them
    (computed figures, corrected with a note, and typed ones); the consolidation adds its
    accepted children's reports and is kept, once submitted, in `consolidated`."""

    DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
    STATUSES = [
        (DRAFT, _("being prepared")),
        (SUBMITTED, _("submitted")),
        (RETURNED, _("returned for correction")),
        (ACCEPTED, _("accepted")),
    ]
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    own_units = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=STATUSES, default=DRAFT)
    computed = models.JSONField(default=dict)  # code → figure the system found (string)
    values = models.JSONField(default=dict)  # code → figure reported (string)
    notes = models.JSONField(default=dict)  # code → the unit's explanation
    texts = models.JSONField(default=dict)  # code → text section
    consolidated = models.JSONField(null=True, blank=True)
    included = models.JSONField(default=list)  # the child reports in the consolidation sent
    figures_as_of = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit")
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_period_status_idx")]

    def __str__(self) -> str:
        return f"{self.period_id}:{self.unit_id}"


class ReportEvent(models.Model):
    """The history of a report: prepared, refreshed, saved, submitted, returned, accepted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    KINDS = [
        ("prepared", _("prepared with the figures")),
        ("refreshed", _("figures computed again")),
        ("saved", _("saved")),
        ("submitted", _("submitted")),
        ("returned", _("returned for correction")),
        ("accepted", _("accepted")),
        ("reopened", _("taken back to correct")),
    ]
    kind = models.CharField(max_length=12, choices=KINDS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.kind}"


class UnitYear(models.Model):
    """A unit's own figures for a year so far (not its subtree's), recomputed nightly and when
    asked: what dashboards sum by path prefix instead of counting the record on each view."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    members = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    verified_hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    sessions = models.PositiveIntegerField(default=0)
    attendances = models.PositiveIntegerField(default=0)
    tasks = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    titles = models.PositiveIntegerField(default=0)
    credits = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    fund_paid = models.PositiveBigIntegerField(default=0)
    contestants = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_unit_year")]
        indexes = [models.Index(fields=["year", "unit_path"], name="unit_year_path_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}"

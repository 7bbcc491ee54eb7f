"""Organisation trees, units, memberships and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from suotdoi.core.models import BilingualLabel, TimeStampedModel
from suotdoi.core.text import clean_name, fold

STEPLEN = 4  # 36**4 ≈ 1.7 million children per unit


class TreeKind(models.TextChoices):
    UNION = "union", _("Trade union")
    ADMINISTRATIVE = "administrative", _("Administrative")
    STUDY_PROMOTION = "study_promotion", _("Study Promotion Association")
    AGENCY = "agency", _("Agency, enterprise or school")
    VENUE = "venue", _("Learning venue")
    FAMILY = "family", _("Clan and family")


class UnitType(BilingualLabel, models.Model):
    """A configurable list of unit types, seeded with the Vietnamese ones."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    tree_kind = models.CharField(_("tree"), max_length=20, choices=TreeKind.choices)
    is_venue = models.BooleanField(_("learning venue"), default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")
        ordering = ["tree_kind", "order", "name"]

    def __str__(self) -> str:
        return self.label


class Unit(MP_Node):
    steplen = STEPLEN

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    code = models.CharField(_("code"), max_length=40)
    unit_type = models.ForeignKey(
        UnitType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="units"
    )
    tree_key = models.CharField(max_length=STEPLEN, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Pre-aggregated: active memberships held directly in this unit. Maintained by actions
    # with F() so a subtree total is a sum over unit rows, never a scan of memberships.
    member_count = models.PositiveIntegerField(default=0)
    search_text = models.CharField(max_length=300, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["tree_key", "code"], name="unit_code_unique_in_tree")
        ]

    def __str__(self) -> str:
        return self.name

    def fill_derived(self) -> None:
        self.name = clean_name(self.name)
        self.code = (self.code or "").strip().upper()
        self.tree_key = (self.path or "")[:STEPLEN]
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")[:300]

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.active_to is None or self.active_to >= today

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    OFFICER = "officer", _("Officer")
    ADMIN = "admin", _("Unit admin")
    EVALUATOR = "evaluator", _("Evaluator")
    REPORTER = "reporter", _("Reporter (read-only)")


class OccupationGroup(models.TextChoices):
    """The ten major groups of Vietnam's occupation list (Quyết định 34/2020/QĐ-TTg, after
    ISCO-08), by their one-digit code."""

    LEADERS = "1", _("Leaders and managers")
    PROFESSIONALS = "2", _("Professionals")
    ASSOCIATES = "3", _("Technicians and associate professionals")
    CLERKS = "4", _("Clerical support workers")
    SERVICE = "5", _("Service and sales workers")
    AGRICULTURE = "6", _("Skilled agricultural, forestry and fishery workers")
    CRAFT = "7", _("Craft and related trades workers")
    OPERATORS = "8", _("Plant and machine operators and assemblers")
    ELEMENTARY = "9", _("Elementary occupations")
    ARMED = "0", _("Armed forces")


class IncomeGroup(models.TextChoices):
    """A household's standing in the commune's official poverty review, as the unit records
    it for support programmes (a learning fund may pay only for these)."""

    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    AVERAGE = "average", _("Household of average living standard")
    OTHER = "other", _("Other household")


class Membership(TimeStampedModel):
    """A person's belonging to a unit, with a role and dates. Ended, never deleted."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    position_title = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    # Denormalised for fast subtree lists: the unit's path and the person's sort key.
    unit_path = models.CharField(max_length=255, editable=False, db_index=True)
    person_name_sort = models.CharField(max_length=310, editable=False)
    import_batch = models.ForeignKey(
        "MemberImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_on_behalf = models.BooleanField(
        _("added by an officer on the person's behalf"), default=False
    )
    consent_note = models.CharField(_("consent"), max_length=300, blank=True)
    # The id another system (an HR or union register) gives this membership; unique among a
    # unit's active memberships. Bulk upserts through the API match on it.
    external_id = models.CharField(_("external id"), max_length=64, blank=True, default="")
    # What the unit's register says, for funds and programmes that target them; seen only by
    # the unit's officers and those above, and by the person.
    occupation_group = models.CharField(
        _("occupation group"), max_length=1, choices=OccupationGroup.choices, blank=True
    )
    income_group = models.CharField(
        _("household income group"), max_length=10, choices=IncomeGroup.choices, blank=True
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"],
                condition=Q(end_date__isnull=True),
                name="membership_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=["unit", "external_id"],
                condition=Q(end_date__isnull=True) & ~Q(external_id=""),
                name="membership_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["person_name_sort", "id"], name="membership_name_idx"),
            models.Index(fields=["unit", "end_date"], name="membership_unit_active_idx"),
            models.Index(fields=["person", "end_date"], name="membership_person_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.unit} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.end_date is None or self.end_date > timezone.localdate()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MembershipInvitation(TimeStampedModel):
    """A unit asks a person who already has an account to join it, or to take a staff role.

    Nothing about the person is shown to the unit until they accept, and a role never changes
    how they sign in (two-factor for staff) before they accept it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    position_title = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    # Set when the invitation offers a new role on a membership the person already holds.
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    import_batch = models.ForeignKey(
        "MemberImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_unit",
            )
        ]
        indexes = [models.Index(fields=["unit", "status"], name="invitation_unit_status_idx")]

    def __str__(self) -> str:
        # Never the person's name: audit rows and pages of the inviting unit show this.
        return f"#{self.pk} ({self.get_role_display()})"


class UnitEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Details changed")
    MOVED = "moved", _("Moved")
    MERGED_INTO = "merged_into", _("Merged into another unit")
    ABSORBED = "absorbed", _("Absorbed another unit")
    CLOSED = "closed", _("Closed")


class UnitEvent(models.Model):
    """History of a unit's structure: what changed, effective when, by whom."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=UnitEventKind.choices)
    effective_date = models.DateField(_("effective date"))
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.effective_date}"


class UnitParentPeriod(models.Model):
    """Which parent a unit had over which dates, so reports for a past date stay true."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="parent_periods")
    parent = models.ForeignKey(
        Unit, null=True, on_delete=models.PROTECT, related_name="child_periods"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.unit_id} under {self.parent_id} from {self.valid_from}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Waiting to be checked")
    CHECKING_NOW = "checking_now", _("Checking the rows")
    VALIDATED = "validated", _("Checked, waiting for confirmation")
    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("File rejected")


class MemberImport(TimeStampedModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    # The checked rows (gzipped JSON), so the import itself does not parse the file again.
    rows_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    file_error = models.TextField(blank=True)
    header = models.JSONField(default=list, blank=True)
    row_errors = models.JSONField(default=list, blank=True)  # [{"row": 5, "errors": [...]}]
    people_created = models.PositiveIntegerField(default=0)
    people_matched = models.PositiveIntegerField(default=0)
    memberships_created = models.PositiveIntegerField(default=0)
    memberships_unchanged = models.PositiveIntegerField(default=0)
    memberships_updated = models.PositiveIntegerField(default=0)  # found by external id
    invitations_sent = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.unit}"


class CorrectionRequest(models.Model):
    """A person asks a unit that holds data about them to correct it (their name, birth date,
    membership, an entry…); the unit's officers answer. The right to correction, routed to
    whoever can act on it."""

    OPEN, DONE, DECLINED = "open", "done", "declined"
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="correction_requests"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("what is wrong and what it should say"), max_length=2000)
    status = models.CharField(max_length=10, default=OPEN)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.pk}"

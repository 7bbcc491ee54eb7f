"""Study campaigns cascaded down the organisation tree, their sessions and attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class Campaign(TimeStampedModel):
    issuer = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="campaigns_issued"
    )
    title = models.CharField(_("title"), max_length=250)
    purpose = models.TextField(_("purpose"), max_length=4000)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcampaigns",
        help_text=_("The campaign this one carries out further down the tree."),
    )
    target_type_codes = models.JSONField(default=list)  # unit types that receive a task
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    report_due = models.DateField(_("report due"))
    min_sessions = models.PositiveSmallIntegerField(_("sessions each unit holds"), default=1)
    min_attendance_pct = models.PositiveSmallIntegerField(
        _("attendance each unit reaches (%)"), default=80
    )
    quiz_pass_pct = models.PositiveSmallIntegerField(
        _("quiz pass mark (%)"),
        default=70,
        help_text=_("Used when the campaign has quiz questions."),
    )
    quiz_required = models.BooleanField(
        _("members pass the quiz"),
        default=False,
        help_text=_("The same share of members as for attendance must pass."),
    )
    quiz_draw = models.PositiveSmallIntegerField(
        _("questions drawn for each attempt"),
        default=0,
        help_text=_("0: every question of the bank."),
    )
    reflection_required = models.BooleanField(
        _("members write a reflection (bài thu hoạch)"),
        default=False,
        help_text=_("The same share of members as for attendance must have one accepted."),
    )
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default="draft")
    launched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CampaignPartner(models.Model):
    """A unit of another tree that runs the campaign jointly: invited by the issuer, its
    subtree receives tasks once one of its officers accepts (that acceptance is the grant
    that lets the issuer see its units' progress)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="partners")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_partnership_each")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} + {self.unit_id}"


class CampaignDocument(models.Model):
    """Material to study: a file or a link. A new version of a document keeps the old ones."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(_("file"), upload_to="campaign-docs/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "title", "version"], name="one_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class CampaignDay(models.Model):
    """The roll-up of a campaign as it stood at the end of a day: the progress chart's points."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    tasks = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    quiz_passed = models.PositiveIntegerField(default=0)
    reflections = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="one_day_each")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class CampaignEvent(models.Model):
    """What happened to a campaign, shown as its history (launch, extension, closing)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(max_length=20)
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.verb}"

    @property
    def label(self) -> str:
        return str(
            {
                "create": _("drafted"),
                "launch": _("launched to the units"),
                "extend": _("extended"),
                "close": _("closed"),
                "document": _("added material"),
                "partner_invite": _("invited a partner to run it jointly"),
                "partner_accept": _("partner accepted"),
            }.get(self.verb, self.verb)
        )


class Task(models.Model):
    """A campaign's work for one target unit, with counters kept by the actions."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    members = models.PositiveIntegerField(default=0)  # members when launched (or joined)
    sessions_held = models.PositiveIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)  # distinct members who attended
    reflections_accepted = models.PositiveIntegerField(default=0)
    quiz_passed = models.PositiveIntegerField(default=0)  # distinct members who passed
    reported_at = models.DateTimeField(null=True, blank=True)
    done = models.BooleanField(default=False)  # requirements met and reported (kept by actions)
    report_note = models.TextField(blank=True, max_length=4000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_task_per_unit")
        ]
        indexes = [models.Index(fields=["campaign", "unit_path"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.unit_id}"

    @property
    def attendance_pct(self) -> int:
        return round(100 * self.attendees / self.members) if self.members else 0


class SessionKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference (hội nghị)")
    WORKSHOP = "workshop", _("Workshop (hội thảo)")
    TALK = "talk", _("Round-table (tọa đàm)")
    THEMATIC = "thematic", _("Thematic session (sinh hoạt chuyên đề)")
    ONLINE = "online", _("Online")


class Session(TimeStampedModel):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=Decimal("2"))
    place = models.CharField(_("place or online link"), max_length=300, blank=True)
    qr_secret = models.CharField(max_length=64, editable=False)
    held = models.BooleanField(default=False)
    minutes = models.FileField(_("minutes"), upload_to="minutes/%Y/%m/", blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    invite_all = models.BooleanField(
        _("invite every member of the unit"),
        default=True,
        help_text=_("Untick to choose who is invited."),
    )

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    # Check-in is open from an hour before the start until an hour after the planned end.
    CHECK_IN_MARGIN = dt.timedelta(hours=1)

    @property
    def check_in_opens(self) -> dt.datetime:
        return self.starts_at - self.CHECK_IN_MARGIN

    @property
    def check_in_closes(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(hours=float(self.hours)) + self.CHECK_IN_MARGIN


class SessionInvitee(models.Model):
    """Who was invited, when the organiser chose rather than inviting every member."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.person_id}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="session-photos/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.image.name


class Attendance(models.Model):
    PRESENT, EXCUSED = "present", "excused"
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, default=PRESENT)
    method = models.CharField(max_length=10)  # qr | qr_offline | manual | assisted
    at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)  # counters and record done

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_each")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.person_id}"


class SessionDisplay(models.Model):
    """Which 30-second codes a session's screen showed, as ranges of time steps: written by
    the server while the organiser's screen fetches its codes, and by the organiser's screen
    when it uploads what it showed in a hall without signal. A scan sent later is accepted
    only for a code that was shown (ADR 0010)."""

    SERVER, SCREEN = "server", "screen"
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="displays")
    first_step = models.BigIntegerField()
    last_step = models.BigIntegerField()
    source = models.CharField(max_length=8, default=SERVER)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["session", "last_step"], name="display_session_last")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.first_step}-{self.last_step}"


class OfflineScan(models.Model):
    """A check-in code scanned on a phone without signal and sent later with its scan time.
    Pending while no upload of the organiser's screen says the code was shown."""

    PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="offline_scans")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.BigIntegerField()
    scanned_at = models.DateTimeField()  # the phone's clock, checked against the code's step
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, default=PENDING)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_offline_scan_each")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.person_id}:{self.status}"


class Participant(models.Model):
    """A member who attended at least one session of a task: the distinct count's rows."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="one_participant_each")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.person_id}"


class Reflection(models.Model):
    """A member's written reflection (bài thu hoạch) on a campaign, reviewed by the unit."""

    SUBMITTED, ACCEPTED, RETURNED = "submitted", "accepted", "returned"
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reflections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your reflection"), max_length=10000, blank=True)
    file = models.FileField(_("file"), upload_to="reflections/%Y/%m/", blank=True)
    status = models.CharField(max_length=10, default=SUBMITTED)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="one_reflection_each")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.person_id}"


class Question(models.Model):
    """A quiz question of a campaign: one right answer among the choices."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField()  # list of strings
    correct = models.PositiveSmallIntegerField()  # index into choices
    explanation = models.CharField(
        _("explanation"),
        max_length=500,
        blank=True,
        help_text=_("Shown to members after they answer: why the right answer is right."),
    )

    def __str__(self) -> str:
        return self.text


class QuizResult(models.Model):
    """A member's latest attempt at a campaign's quiz."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="quiz_results")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score_pct = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    attempts = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="one_quiz_result")]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.person_id} {self.score_pct}%"

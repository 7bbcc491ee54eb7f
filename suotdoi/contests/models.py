"""Online knowledge contests: a unit's contest for its subtree (or everyone), rounds with their
draw and timing, a question bank by category, sittings timed on the server with answers saved
one by one, and the results the board publishes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel


class Contest(TimeStampedModel):
    SUBTREE, PUBLIC = "subtree", "public"
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    rules = models.TextField(_("rules"), max_length=8000)
    prizes = models.TextField(_("prizes (overall)"), max_length=4000, blank=True)
    audience = models.CharField(
        _("who may take part"),
        max_length=10,
        choices=[
            (SUBTREE, _("Members of the unit and the units below it")),
            (PUBLIC, _("Everyone with a verified phone")),
        ],
        default=SUBTREE,
    )
    requires_cccd = models.BooleanField(
        _("each contestant gives a citizen ID (one entry per CCCD)"), default=False
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    board = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("organising board")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of the contest's bank: one right answer among the choices."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    category = models.CharField(_("category"), max_length=60, default="")
    text = models.CharField(_("question"), max_length=600)
    choices = models.JSONField()  # list of 2–6 strings
    correct = models.PositiveSmallIntegerField()  # index into choices

    def __str__(self) -> str:
        return self.text


class Round(models.Model):
    END, CLOSE = "end", "close"
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes for a sitting"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    draw = models.JSONField(
        _("questions drawn per category"), default=dict
    )  # {"category": n}; "" is the whole bank
    tiebreak = models.CharField(
        _("tie-break question"),
        max_length=300,
        default="",
        blank=True,
        help_text=_("Answered with a number; the real number of participants decides."),
    )
    show_result = models.CharField(
        _("the contestant sees the score"),
        max_length=6,
        choices=[(END, _("when the sitting ends")), (CLOSE, _("when the round closes"))],
        default=END,
    )
    prizes = models.TextField(_("prizes of the round"), max_length=4000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The published results as a verifiable credential signed by the organising unit (unsigned
    # when the unit has no key yet), written once at publication.
    results = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_number_once"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}#{self.number}"


class Sitting(models.Model):
    """One attempt at a round: its own draw (from `seed`), a deadline kept by the server,
    answers saved as they come, the tie-break prediction."""

    OPEN, SUBMITTED, EXPIRED = "open", "submitted", "expired"
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="sittings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField()
    seed = models.CharField(max_length=64)
    questions = models.JSONField()  # [[question_id, [choice order…]], …] in the order shown
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    status = models.CharField(max_length=10, default=OPEN)
    submitted_at = models.DateTimeField(null=True, blank=True)
    prediction = models.PositiveIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)  # the home unit
    origin = models.CharField(max_length=64, blank=True)  # a digest of the address
    device = models.CharField(max_length=64, blank=True)  # a digest of the browser
    flags = models.JSONField(default=list, blank=True)
    excluded = models.BooleanField(default=False)  # by the board, after review
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "attempt"], name="sitting_attempt_once"
            ),
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(status="open"),
                name="sitting_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status", "score"], name="sitting_rank_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.person_id}#{self.attempt}"


class Answer(models.Model):
    """The answer to one question of a sitting (the position shown), saved when given; the
    last one given before the deadline counts."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    choice = models.PositiveSmallIntegerField()  # index into the question's own choices
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sitting", "position"], name="answer_once_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id}:{self.position}={self.choice}"


class Entrant(models.Model):
    """The one account a person takes part with (and their CCCD digest when the contest asks
    for one): a second account with the same CCCD is refused."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entrants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cccd_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "person"], name="entrant_once"),
            models.UniqueConstraint(
                fields=["contest", "cccd_hash"],
                condition=~Q(cccd_hash=""),
                name="entrant_one_account_per_cccd",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.person_id}"

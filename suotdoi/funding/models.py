"""Personal learning accounts: funds with their rules, a double-entry ledger in whole đồng, and
spends (credit held for a course, paid to the provider once the learning is evidenced)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel


class Fund(TimeStampedModel):
    """A unit's fund and its rules, as data the officers read on the fund's page."""

    OPEN, CLOSED = "open", "closed"
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(max_length=8, default=OPEN)
    per_person = models.PositiveBigIntegerField(_("credit for each person (đồng)"))
    per_course_max = models.PositiveBigIntegerField(
        _("at most for one course (đồng)"), default=0, help_text=_("0: no limit.")
    )
    copay_pct = models.PositiveSmallIntegerField(
        _("the learner pays this share of the price (%)"), default=0
    )
    credit_days = models.PositiveSmallIntegerField(_("credit expires after (days)"), default=365)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    categories = models.JSONField(
        _("course categories it pays for"), default=list, blank=True
    )  # empty: every category
    occupation_groups = models.JSONField(
        _("occupation groups it is for"), default=list, blank=True
    )  # empty: every occupation; else the member's record must name one of them
    income_groups = models.JSONField(
        _("household income groups it is for"), default=list, blank=True
    )  # empty: every household
    list_only = models.BooleanField(
        _("only the people on the fund's list"),
        default=False,
        help_text=_("A list the officers keep (a decision's annex, a programme's intake)."),
    )
    providers = models.ManyToManyField(
        "catalog.Provider", blank=True, related_name="+", verbose_name=_("vetted providers")
    )
    courses = models.ManyToManyField(
        "catalog.Course", blank=True, related_name="+", verbose_name=_("only these courses")
    )  # empty: any course of a vetted provider (and of the categories, when set)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("fund")

    def __str__(self) -> str:
        return self.name


class FundListEntry(models.Model):
    """A person named on a fund's list (used when the fund is for its list only)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="list_entries")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "person"], name="fund_list_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.person_id}"


class LedgerAccount(models.Model):
    """One account of a fund's books. `balance` is a cache of the sum of its postings, kept by
    the ledger in the same transaction and checked against them by `ledger.verify`."""

    SOURCE = "source"  # the money put into the fund from outside (the only one below zero)
    POOL = "pool"  # the fund's budget not yet granted
    LEARNER = "learner"  # a person's credit
    HELD = "held"  # credit held for courses until the learning is evidenced
    PROVIDER = "provider"  # owed to, or paid to, a provider
    KINDS = [SOURCE, POOL, LEARNER, HELD, PROVIDER]
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=10)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "catalog.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    balance = models.BigIntegerField(default=0)
    expires_on = models.DateField(null=True, blank=True)  # a learner's credit
    # The fund's `held` credit is kept in a few accounts (slots), so that spends at the same
    # moment do not all wait on one row; every other account has one slot, 0.
    slot = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind", "slot"],
                condition=Q(person__isnull=True, provider__isnull=True),
                name="ledger_one_fund_account_of_a_kind",
            ),
            models.UniqueConstraint(
                fields=["fund", "person"],
                condition=Q(person__isnull=False),
                name="ledger_one_account_per_learner",
            ),
            models.UniqueConstraint(
                fields=["fund", "provider"],
                condition=Q(provider__isnull=False),
                name="ledger_one_account_per_provider",
            ),
            models.CheckConstraint(
                condition=Q(kind="source") | Q(balance__gte=0), name="ledger_never_below_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.kind}:{self.person_id or self.provider_id or ''}"


class LedgerTransaction(models.Model):
    """One movement of money; its postings sum to zero. Written once, never changed: a
    correction is another transaction. `key` makes each one idempotent."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transactions")
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12)
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(  # none: the platform's own sweep (expiry, no-show)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    spend = models.ForeignKey(
        "Spend", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField()  # whole đồng; + into the account, − out of it

    class Meta:
        indexes = [models.Index(fields=["account", "id"], name="posting_account_idx")]

    def __str__(self) -> str:
        return f"{self.transaction_id}:{self.account_id}:{self.amount}"


class Spend(models.Model):
    """Credit held for one course; paid to the provider when the learning is evidenced,
    released when it is cancelled or never happened."""

    HELD, REVIEW, PAID, RELEASED, REFUNDED, CLAWED_BACK = (
        "held",
        "review",
        "paid",
        "released",
        "refunded",
        "clawed_back",
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="spends")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        "catalog.CourseRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrolment = models.ForeignKey("catalog.Enrolment", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("catalog.Provider", on_delete=models.PROTECT, related_name="+")
    price = models.PositiveBigIntegerField()  # the catalogue's price when it was held
    amount = models.PositiveBigIntegerField()  # what the fund pays
    STATUSES = [
        (HELD, _("held until completion")),
        (REVIEW, _("waiting for a second officer")),
        (PAID, _("paid to the provider")),
        (RELEASED, _("given back")),
        (REFUNDED, _("refunded to the learner")),
        (CLAWED_BACK, _("clawed back")),
    ]
    held_slot = models.PositiveSmallIntegerField(default=0)  # which of the fund's `held`
    status = models.CharField(max_length=12, choices=STATUSES, default=HELD)
    flags = models.JSONField(default=list, blank=True)  # the fraud rules that fired
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )  # the learner, or an officer with their consent
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)  # of a refund or clawback
    origin = models.CharField(max_length=64, blank=True)  # a digest of the client's address
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "enrolment"],
                condition=Q(status__in=["held", "review", "paid"]),
                name="spend_one_live_per_enrolment",
            )
        ]
        indexes = [  # the fraud checks count recent spends by fund and provider
            models.Index(
                fields=["fund", "provider", "created_at"], name="spend_provider_recent_idx"
            ),
            models.Index(fields=["fund", "made_by", "created_at"], name="spend_maker_recent_idx"),
            models.Index(fields=["fund", "origin", "created_at"], name="spend_origin_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.person_id}:{self.course_id}"

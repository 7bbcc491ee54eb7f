"""Verifiable credentials: issuers and keys, achievements, issued credentials, status lists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suotdoi.core.models import TimeStampedModel


class CredentialKind(models.TextChoices):
    COMPLETION = "completion", _("Course completion")
    ATTENDANCE = "attendance", _("Attendance")
    RECOGNITION = "recognition", _("Recognition")
    COMMENDATION = "commendation", _("Commendation")


class Issuer(TimeStampedModel):
    """A unit that issues credentials (or, with no unit, the platform itself)."""

    unit = models.OneToOneField(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issuer",
    )
    name = models.CharField(_("name on credentials"), max_length=200)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    # Entry kinds whose verification issues a credential on its own (e.g. ["course"]).
    auto_issue_kinds = models.JSONField(default=list, blank=True)
    quality_assurance = models.CharField(
        _("quality assurance"),
        max_length=300,
        blank=True,
        help_text=_("Who oversees the quality of this unit's teaching."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(unit__isnull=True), name="one_platform_issuer"
            )
        ]

    def __str__(self) -> str:
        return self.name


class IssuerKey(models.Model):
    """An Ed25519 key pair of an issuer. The private half is stored encrypted, never shown.

    Rotation makes a new key active and retires the old one: the old key no longer signs new
    credentials but keeps signing its own status lists, so what it signed stays verifiable.
    """

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="keys")
    did = models.CharField(max_length=120, unique=True)
    public_multibase = models.CharField(max_length=80)
    private_key_encrypted = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_key_per_issuer",
            )
        ]

    def __str__(self) -> str:
        return self.did

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.public_multibase}"


class Achievement(TimeStampedModel):
    """What a credential says was achieved: defined once by the issuer, awarded many times."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="achievements")
    key = models.CharField(max_length=200)  # the issuer's own handle, e.g. "course:tin-hoc"
    kind = models.CharField(max_length=20, choices=CredentialKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    criteria = models.TextField(_("criteria"), max_length=2000)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True, max_length=2000)
    level = models.CharField(_("level"), max_length=60, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    assessment = models.CharField(_("assessment type"), max_length=120, blank=True)
    participation = models.CharField(_("form of participation"), max_length=60, blank=True)
    tags = models.ManyToManyField("records.CompetenceTag", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "key"], name="achievement_key_per_issuer")
        ]

    def __str__(self) -> str:
        return self.name


class StatusList(models.Model):
    """A Bitstring Status List of one issuer key; bit i set means credential i is revoked."""

    SIZE = 131072  # bits: 16 KiB, the minimum the specification asks for (herd privacy)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, default="revocation")
    bits = models.BinaryField()
    next_index = models.PositiveIntegerField(default=0)
    signed_json = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.uid)


class Credential(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="credentials"
    )
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    source_key = models.CharField(max_length=120, unique=True)
    entry = models.ForeignKey(
        "records.LearningEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credentials",
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT)
    status_index = models.PositiveIntegerField()
    document = models.JSONField()  # the signed credential exactly as issued
    digest = models.CharField(max_length=64)  # sha256 of the canonical JSON of `document`
    issued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=300, blank=True)
    share_token = models.CharField(max_length=43, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_bit"
            )
        ]
        indexes = [models.Index(fields=["person", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.person_id}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Endorsement(models.Model):
    """A higher unit vouches for a lower unit's achievement (an OB 3.0 EndorsementCredential)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="endorsements"
    )
    endorser = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="endorsements")
    comment = models.TextField(_("comment"), max_length=1000)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["achievement", "endorser"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_endorsement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorser} → {self.achievement}"

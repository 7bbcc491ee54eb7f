"""Machine access to the API: personal access tokens and OAuth 2.0 clients (client
credentials), each tied to a unit's subtree and named capabilities. Only SHA-256 digests of the
secrets are stored (the secrets are 256 random bits: a fast hash is enough, and it is checked on
every request); the secret is shown once, when made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    PERSONAL, CLIENT = "personal", "client"
    KINDS = [(PERSONAL, _("personal access token")), (CLIENT, _("OAuth client (machine)"))]

    kind = models.CharField(max_length=10, choices=KINDS)
    name = models.CharField(_("name"), max_length=120)
    # The token acts as this person, cut down to the unit's subtree and the capabilities below:
    # if the person loses their role there, the token loses it too.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    capabilities = models.JSONField(default=list)
    public_id = models.CharField(max_length=24, unique=True)  # the client_id / token prefix
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class ApiAccessToken(models.Model):
    """A short-lived bearer token a client obtained with its credentials."""

    client = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"access token of {self.client_id}"


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key`: the answer given, replayed to a retry.
    Kept 24 hours (retention)."""

    owner_key = models.CharField(max_length=64)  # who: a digest of the token, or the person
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    url = models.CharField(max_length=500)  # the request path
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)  # 0: being answered
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_key", "key"], name="one_answer_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.url} [{self.key}]"


class WebhookSubscription(models.Model):
    """A system that wants to be told when something happens in a unit's subtree."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(default=list)
    secret_cipher = models.TextField()  # encrypted (core.fieldcrypto): needed to sign
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    PENDING, SENDING, SUCCEEDED, FAILED = "pending", "sending", "succeeded", "failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(unique=True)
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"

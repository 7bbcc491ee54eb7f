"""The xAPI Learning Record Store: clients, statements with their index rows, documents.

Statements are kept as JSON exactly as stored (with id, stored, authority, version) beside
indexed columns for the filters of GET /statements; agents and activities a statement relates
to live in index tables so related_agents / related_activities queries use indexes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LrsClient(models.Model):
    """Credentials a tool uses to write to the LRS, scoped to one unit."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="lrs_clients"
    )
    name = models.CharField(max_length=120)
    key = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)  # HMAC-SHA256(pepper, secret), hex
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class Statement(models.Model):
    seq = models.BigAutoField(primary_key=True)  # insertion order, the paging cursor
    statement_id = models.UUIDField(unique=True)
    stored = models.DateTimeField(db_index=True)
    client = models.ForeignKey(LrsClient, on_delete=models.PROTECT, related_name="statements")
    unit_path = models.CharField(max_length=255, db_index=True)
    actor_key = models.CharField(max_length=300, db_index=True)
    verb_id = models.CharField(max_length=500, db_index=True)
    activity_id = models.CharField(max_length=500, blank=True, db_index=True)
    registration = models.UUIDField(null=True, blank=True, db_index=True)
    ref_id = models.UUIDField(null=True, blank=True, db_index=True)  # object is a StatementRef
    voided = models.BooleanField(default=False)
    is_voiding = models.BooleanField(default=False)
    data = models.JSONField()
    attachment_hashes = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor_key", "verb_id", "stored"]),
            models.Index(fields=["verb_id", "stored"]),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementAgent(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="agents")
    agent_key = models.CharField(max_length=300)
    related = models.BooleanField()  # False: actor or object; True: anywhere else too

    class Meta:
        indexes = [models.Index(fields=["agent_key", "related", "statement"])]

    def __str__(self) -> str:
        return self.agent_key


class StatementActivity(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="activities")
    activity_id = models.CharField(max_length=500)
    related = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["activity_id", "related", "statement"])]

    def __str__(self) -> str:
        return self.activity_id


class Attachment(models.Model):
    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The canonical definition of an activity, as the latest statement described it."""

    activity_id = models.CharField(max_length=500, unique=True)
    definition = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.activity_id


class Document(models.Model):
    """State, activity profile and agent profile documents."""

    STATE, ACTIVITY_PROFILE, AGENT_PROFILE = "state", "activity_profile", "agent_profile"
    scope = models.CharField(max_length=40)  # the key of the client that wrote it
    kind = models.CharField(max_length=20)
    activity_id = models.CharField(max_length=500, blank=True)
    agent_key = models.CharField(max_length=300, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    doc_id = models.CharField(max_length=500)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope",
                    "kind",
                    "activity_id",
                    "agent_key",
                    "registration",
                    "doc_id",
                ],
                name="one_document_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.doc_id}"

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
    # Web pages (e-learning packages in a browser) that may call the LRS with this client's
    # credentials: exact origins ("https://hoc.example.vn"), or any origin for public content.
    allowed_origins = models.JSONField(default=list, blank=True)
    any_origin = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    def allows_origin(self, origin: str) -> bool:
        return self.any_origin or origin in (self.allowed_origins or [])


class Statement(models.Model):
    """On PostgreSQL the table is partitioned by month of `stored` (its primary key is then
    (seq, stored)); a statement id's uniqueness is kept by StatementId, which partitions
    cannot do. ADR 0003."""

    seq = models.BigAutoField(primary_key=True)  # insertion order, the paging cursor
    statement_id = models.UUIDField(db_index=True)  # unique through StatementId
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


class StatementId(models.Model):
    """Every statement id this LRS has stored, written in the statement's transaction. It
    stays when the statement's month is detached for archive or the statement is erased, so
    the id is never stored twice (a tool sending it again is told it is stored)."""

    statement_id = models.UUIDField(primary_key=True)
    stored = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.statement_id)


# The index tables carry the statement's `stored` so that they are partitioned with it (and
# detached with it). A database foreign key cannot point into a partitioned table by `seq`
# alone, so the link is kept by the code: rows are written with their statement and removed
# with it (Django's CASCADE).
class StatementAgent(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="agents", db_constraint=False
    )
    stored = models.DateTimeField()
    agent_key = models.CharField(max_length=300)
    related = models.BooleanField()  # False: actor or object; True: anywhere else too

    class Meta:
        indexes = [models.Index(fields=["agent_key", "related", "statement"])]

    def __str__(self) -> str:
        return self.agent_key


class StatementActivity(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="activities", db_constraint=False
    )
    stored = models.DateTimeField()
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


class LearningUnitType(models.Model):
    """An xAPI activity type an administrator adds to those whose statements may become a
    learning entry (course, module, lesson, assessment, meeting and webinar are built in:
    attempts.BUILTIN_UNIT_TYPES). Slides, interactions and questions are not listed, so they
    never do. The LRS page shows the whole list."""

    iri = models.CharField(max_length=500, unique=True)
    label = models.CharField(max_length=120)
    entry_kind = models.CharField(max_length=20)  # records.EntryKind value
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Attempt(models.Model):
    """One attempt at one activity by one person (same registration, or the same day without
    one): the statements about it fold into a single learning entry, hours counted once."""

    entry = models.OneToOneField(
        "records.LearningEntry", on_delete=models.CASCADE, related_name="xapi_attempt"
    )
    client = models.ForeignKey(LrsClient, on_delete=models.PROTECT, related_name="+")
    activity_id = models.CharField(max_length=500)
    registration = models.CharField(max_length=36, blank=True)
    trusted = models.BooleanField()  # issued by the client's unit, or reported for the learner
    # The longest duration any of its statements gave (None: none gave one, the entry has the
    # rule's default hours). Kept here so a new statement is compared, not the whole history.
    longest = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.activity_id} {self.registration}"

    def best(self) -> dict:
        """The best result among its statements: highest scaled score, and whether any
        statement said it succeeded."""
        rows = list(self.statements.all())
        scores = [r.score_scaled for r in rows if r.score_scaled is not None]
        return {
            "score_pct": round(max(scores) * 100) if scores else None,
            "success": True if any(r.success for r in rows) else None,
            "statements": rows,
        }


class AttemptStatement(models.Model):
    """A statement behind an attempt, with what it said that the entry keeps."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.UUIDField(unique=True)
    verb_id = models.CharField(max_length=500)
    stored = models.DateTimeField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["stored", "id"]

    def __str__(self) -> str:
        return str(self.statement_id)


class LearnerLink(models.Model):
    """A tool's own name for a learner (an xAPI account on the tool's home page), linked to a
    person here: confirmed by the learner with a one-time code, or made by an officer of the
    client's unit for a member who consented. Revocable by the learner."""

    client = models.ForeignKey(LrsClient, on_delete=models.CASCADE, related_name="links")
    home_page = models.CharField(max_length=300)
    account_name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_links"
    )
    how = models.CharField(max_length=10)  # "code" | "officer"
    consent_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "home_page", "account_name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_link_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.home_page}|{self.account_name}"


class LinkRequest(models.Model):
    """A tool asks to link one of its learner accounts; the learner types the code it shows
    on their own page here to confirm. Expires after 30 minutes; used once."""

    client = models.ForeignKey(LrsClient, on_delete=models.CASCADE, related_name="+")
    home_page = models.CharField(max_length=300)
    account_name = models.CharField(max_length=200)
    display_name = models.CharField(max_length=150, blank=True)
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.client_id}:{self.account_name}"

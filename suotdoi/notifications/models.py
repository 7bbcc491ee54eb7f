from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # The words as message ids and parameters ({"title": {"m": ..., "p": {...}}, "body": ...}),
    # rendered in the reader's language each time; `title`/`body` keep the text as first
    # written (the email, the admin, and rows from before messages were kept).
    message = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)  # by Zalo or SMS (texts.py)
    # Makes a replayed event harmless: one notification per (recipient, source key).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="notification_dedupe",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        from .messages import render

        return render(self.message.get("title"), self.title)

    @property
    def body_text(self) -> str:
        from .messages import render

        return render(self.message.get("body"), self.body)


class PushSubscription(models.Model):
    """A browser's Web Push subscription (RFC 8030/8291): where its push service takes
    messages for it and the keys they are encrypted with. Made by the person on their own
    device; removed when they turn it off or the push service says it is gone (404/410)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=800, unique=True)
    p256dh = models.CharField(max_length=120)  # the browser's public key, base64url
    auth = models.CharField(max_length=40)  # the shared authentication secret, base64url
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.endpoint[:60]}"


class DeliveryPreference(models.Model):
    """How a person wants to be reached, per group of notifications (channels.GROUPS): each
    group lists its channels among push, email and SMS. No row: the defaults."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preference"
    )
    channels = models.JSONField(default=dict)  # {"sessions": ["push", "email"], ...}
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.person_id)


class TextUsage(models.Model):
    """How many reminders by Zalo or SMS a unit has had sent this month (texts.py): a unit's
    allowance is TEXT_MONTHLY_CAP_PER_UNIT. The unit by id (notifications sit below the
    organisations in the layers)."""

    unit_id = models.BigIntegerField()
    month = models.DateField()  # the first day of the month
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_id", "month"], name="one_text_usage_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}: {self.sent}"

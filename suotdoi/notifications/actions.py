"""Tell a person something: in the app, and by email in the background."""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .messages import Say, words
from .models import Notification
from .tasks import (
    notification_send_email,
    notification_send_emails,
    notification_send_push,
    notification_send_pushes,
    notification_send_text,
    notification_send_texts,
)


def notify(
    *,
    recipient,
    kind: str,
    title: str | Say,
    body: str | Say = "",
    url: str = "",
    email: bool = True,
    dedupe_key: str | None = None,
    text_unit: int | None = None,
) -> Notification | None:
    """Create a notification; the email is enqueued only once the transaction commits.

    `title` and `body` are `Say` messages (kept as message ids, shown in whatever language
    the reader has when reading) or plain text someone typed. With a `dedupe_key`, a second
    call for the same recipient and key does nothing and returns None. With `text_unit` (a
    unit's id), a person without the app may also get it by Zalo or SMS, paid by that unit.
    """
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                url=url,
                dedupe_key=dedupe_key,
                **_texts(recipient, title, body),
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    if email and recipient.email:
        transaction.on_commit(partial(notification_send_email.enqueue, n.pk))
    if _has_push([recipient]):
        transaction.on_commit(partial(notification_send_push.enqueue, n.pk))
    if text_unit is not None and recipient.phone:
        transaction.on_commit(partial(notification_send_text.enqueue, n.pk, text_unit))
    return n


def _has_push(recipients) -> bool:
    from . import push
    from .models import PushSubscription

    return push.enabled() and PushSubscription.objects.filter(person__in=recipients).exists()


def _texts(recipient, title, body) -> dict:
    """The columns for a notification's words: the text in the recipient's language as of
    now (for the email) and the message behind it (for every later reading)."""
    with translation.override(getattr(recipient, "language", "") or "vi"):
        title_text, title_msg = words(title)
        body_text, body_msg = words(body)
    message = {k: v for k, v in (("title", title_msg), ("body", body_msg)) if v}
    return {"title": title_text[:200], "body": body_text, "message": message}


def notify_many(items: list[dict]) -> int:
    """Create many notifications in one statement. Each item has the arguments of `notify`
    (a `dedupe_key` is required: replays are skipped). Emails go out in one background task."""
    rows = [
        Notification(
            recipient=i["recipient"],
            kind=i["kind"],
            url=i.get("url", ""),
            dedupe_key=i["dedupe_key"],
            **_texts(i["recipient"], i["title"], i.get("body", "")),
        )
        for i in items
    ]
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    keys = [i["dedupe_key"] for i in items if i.get("email", True) and i["recipient"].email]
    if keys:
        transaction.on_commit(partial(notification_send_emails.enqueue, keys))
    if items and _has_push({i["recipient"].pk for i in items}):
        pushed = [i["dedupe_key"] for i in items]
        transaction.on_commit(partial(notification_send_pushes.enqueue, pushed))
    texted = [
        [i["dedupe_key"], i["text_unit"]]
        for i in items
        if i.get("text_unit") is not None and i["recipient"].phone
    ]
    if texted:
        transaction.on_commit(partial(notification_send_texts.enqueue, texted))
    return len(rows)


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())

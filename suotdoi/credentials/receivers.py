"""Hooks into the learning record: a verified entry at a unit that issues becomes a credential."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from suotdoi.records.signals import entries_verified, entry_verified

from .models import Issuer


@receiver(entry_verified)
def _issue_after_verification(sender, entry, **kwargs):
    if entry.unit_id is None:
        return
    if not _issues_kind(entry.unit_id, entry.kind):
        return
    from .tasks import credential_issue_for_entry_task

    transaction.on_commit(partial(credential_issue_for_entry_task.enqueue, entry.pk))


def _issues_kind(unit_id: int, kind: str) -> bool:
    issuer = Issuer.objects.filter(unit_id=unit_id).only("auto_issue_kinds").first()
    return issuer is not None and kind in (issuer.auto_issue_kinds or [])


@receiver(entries_verified)
def _issue_after_batch(sender, entries, unit, **kwargs):
    issuer = Issuer.objects.filter(unit=unit).only("auto_issue_kinds").first()
    if issuer is None:
        return
    wanted = [e for e in entries if e.kind in (issuer.auto_issue_kinds or [])]
    if not wanted:
        return
    from .tasks import credential_issue_for_unit_task

    actor_id = None
    transaction.on_commit(partial(credential_issue_for_unit_task.enqueue, unit.pk, actor_id))

from django.tasks import task


@task()
def credential_issue_for_entry_task(entry_id: int) -> str:
    """Issue the credential of a verified entry, if its unit issues automatically (idempotent)."""
    from .actions import credential_issue_for_entry_if_wanted

    credential = credential_issue_for_entry_if_wanted(entry_id=entry_id)
    return str(credential.uid) if credential else ""


@task()
def credential_issue_for_unit_task(unit_id: int, actor_id: int) -> int:
    """Issue every missing credential of the unit's verified entries (idempotent)."""
    from django.contrib.auth import get_user_model

    from suotdoi.organisations.models import Unit

    from .actions import credential_issue_for_entries
    from .selectors import entries_awaiting_credential

    unit = Unit.objects.get(pk=unit_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    entries = list(entries_awaiting_credential(unit=unit, limit=None))
    return credential_issue_for_entries(actor=actor, unit=unit, entries=entries)

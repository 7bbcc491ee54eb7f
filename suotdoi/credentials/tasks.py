from django.tasks import task


@task()
def credential_issue_for_entry_task(entry_id: int) -> str:
    """Issue the credential of a verified entry, if its unit issues automatically (idempotent)."""
    from .actions import credential_issue_for_entry_if_wanted

    credential = credential_issue_for_entry_if_wanted(entry_id=entry_id)
    return str(credential.uid) if credential else ""

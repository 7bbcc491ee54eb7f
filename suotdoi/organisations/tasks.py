from django.tasks import task


@task(takes_context=True)
def member_import_run(context, import_id: int) -> str:
    """Background part of the member import; safe to run twice (it claims the import). A
    second attempt (its first worker died: suotdoi/core/worker.py) takes over the claim."""
    from .import_actions import member_import_execute

    return member_import_execute(import_id=import_id, retry=context.attempt > 1).status


@task()
def member_import_check_run(import_id: int) -> str:
    """The row-by-row check of an uploaded file (kept out of the request: a 200,000-row sheet
    takes tens of seconds). Safe to run twice (it claims the import)."""
    from .import_actions import member_import_check

    return member_import_check(import_id=import_id).status

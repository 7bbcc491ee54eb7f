from django.tasks import task


@task()
def prefill_task(period_id: int) -> int:
    """Prepare every report of a newly opened period (the period's page shows the progress)."""
    from .actions import period_prefill
    from .models import Period

    period = Period.objects.select_related("unit", "form").get(pk=period_id)
    return period_prefill(period=period)


@task()
def snapshot_task(unit_id: int, year: int) -> int:
    """Recompute the yearly figures of a unit's subtree (the nightly job does every tree)."""
    from suotdoi.organisations.models import Unit

    from .actions import snapshot_year

    return snapshot_year(root=Unit.objects.get(pk=unit_id), year=year)

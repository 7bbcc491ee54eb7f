from django.tasks import task


@task()
def movement_compute_task(movement_id: int) -> int:
    """Recompute a movement's standings (idempotent; a province takes seconds)."""
    from .emulation import movement_compute
    from .models import Movement

    m = Movement.objects.filter(pk=movement_id).first()
    return movement_compute(movement=m) if m else 0

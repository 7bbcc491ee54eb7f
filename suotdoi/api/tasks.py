from django.tasks import task


@task()
def deliver_task(delivery_id: int) -> str:
    from .webhooks import deliver

    return deliver(delivery_id)

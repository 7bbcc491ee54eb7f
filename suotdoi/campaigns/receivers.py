from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from suotdoi.organisations.models import Unit


@receiver(post_save, sender=Unit)
def _new_unit_joins_running_campaigns(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .actions import task_for_new_unit

        transaction.on_commit(lambda: task_for_new_unit(instance))

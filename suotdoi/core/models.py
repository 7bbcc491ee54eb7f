"""Base classes every domain model builds on. Imports no domain app."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BilingualLabel:
    """For data rows with a Vietnamese `name` and an optional English `name_en`."""

    name: str
    name_en: str

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class TaskWorker(models.Model):
    """A running task worker and when it last said it was alive (suotdoi/core/worker.py)."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id

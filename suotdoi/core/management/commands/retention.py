"""manage.py retention: remove what the record of processing says expires (daily)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from suotdoi.core.retention import apply_retention


class Command(BaseCommand):
    help = "Remove expired personal data: old import files, old audit rows, spent codes."

    def handle(self, *args, **options):
        with transaction.atomic():
            done = apply_retention()
        for name, n in done.items():
            self.stdout.write(f"{name}: {n}")

"""manage.py backup [--to DIR]: the database and uploads in one checked archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suotdoi.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (with a manifest)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        try:
            path = backup(Path(options["to"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))

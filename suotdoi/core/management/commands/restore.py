"""manage.py restore ARCHIVE [--force]: into an empty database and uploads folder, then
checked against the archive's manifest (exit status 1 on any difference)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suotdoi.core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and MEDIA_ROOT, and check it."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite what is there")

    def handle(self, *args, **options):
        try:
            report = restore(Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report["problems"]:
            self.stderr.write(problem)
        if report["problems"]:
            raise CommandError(f"{len(report['problems'])} differences after the restore")
        self.stdout.write(
            f"restored and checked: {report['tables']} tables, {report['files']} files"
        )

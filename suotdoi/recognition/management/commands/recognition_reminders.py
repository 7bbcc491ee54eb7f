"""Remind people and evaluators of assessment steps due within a week (run once a day)."""

from django.core.management.base import BaseCommand

from suotdoi.recognition.actions import remind


class Command(BaseCommand):
    help = "Notify subjects and evaluators whose assessment step is due within --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days, **options):
        self.stdout.write(f"{remind(days=days)} reminder(s) sent")

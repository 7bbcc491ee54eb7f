"""Send the webhook deliveries whose next attempt is due. Needed only with a task backend that
cannot schedule for later; harmless with one that can. Run it every minute (docs/operations.md)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Retry due webhook deliveries."

    def handle(self, *args, **options):
        from suotdoi.api.webhooks import retry_due

        self.stdout.write(f"{retry_due()} deliveries succeeded on retry.")

"""Learning accounts' daily sweep: pay providers for completed courses, release credit held for
courses that ended without completion, expire unspent credit past its date. Safe to run again;
run it every night (docs/operations.md)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Pay what is evidenced, release what never happened, expire old credit."

    def handle(self, *args, **options):
        from suotdoi.funding.actions import expire_due, settle_due

        out = settle_due()
        expired = expire_due()
        self.stdout.write(
            f"paid {out['paid']}, waiting for review {out['review']}, released {out['released']}, "
            f"expired accounts {expired}"
        )

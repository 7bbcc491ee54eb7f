"""Keep today's point of every running campaign's progress chart (run once a night)."""

from django.core.management.base import BaseCommand

from suotdoi.campaigns.actions import campaign_snapshot
from suotdoi.campaigns.models import Campaign, CampaignStatus


class Command(BaseCommand):
    help = "Record today's roll-up of every launched campaign for its progress chart."

    def handle(self, *args, **options):
        n = 0
        for campaign in Campaign.objects.filter(status=CampaignStatus.LAUNCHED):
            campaign_snapshot(campaign=campaign)
            n += 1
        self.stdout.write(f"{n} campaign(s)")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suotdoi.demo.world import build_world, seed_campaign, seed_learning, world_is_built


class Command(BaseCommand):
    help = "Build the demo world if the database has none (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["full", "small"], default="full")

    def handle(self, *args, size, **options):
        if not getattr(settings, "SUOTDOI_DEMO", False):
            raise CommandError("The demo world is for development settings only.")
        if world_is_built():
            self.stdout.write("Demo world already present; nothing to do.")
            return
        world = build_world(size=size)
        seed_learning(world)
        seed_campaign(world)
        from suotdoi.demo.catalog_seed import seed_catalog

        seed_catalog(world)
        from suotdoi.demo.recognition_seed import seed_recognition

        seed_recognition(world)
        from suotdoi.demo.accounts_seed import seed_accounts

        seed_accounts(world)
        from suotdoi.demo.reports_seed import seed_reports

        seed_reports(world)
        from suotdoi.demo.stories_seed import seed_stories

        seed_stories(world)
        from suotdoi.demo.packages_seed import seed_packages

        seed_packages(world)
        self.stdout.write(f"Demo world built: {len(world.units)} named units.")

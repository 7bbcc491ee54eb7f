"""Reports' nightly work: recompute every tree's yearly unit figures (what dashboards read),
and remind the units whose report is due within three days or late. Safe to run again (a
unit is reminded once a day); run it every night (docs/operations.md)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Recompute the dashboards' yearly figures and remind units of reports due."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--no-figures", action="store_true")

    def handle(self, *args, **options):
        from suotdoi.organisations.models import Unit
        from suotdoi.reports.actions import period_remind, snapshot_year
        from suotdoi.reports.models import Period

        today = timezone.localdate()
        year = options["year"] or today.year
        units = 0
        if not options["no_figures"]:
            for root in Unit.objects.get_root_nodes():
                units += snapshot_year(root=root, year=year)
        reminded = 0
        due = Period.objects.filter(
            status=Period.OPEN, deadline__lte=today + dt.timedelta(days=3)
        ).select_related("unit", "opened_by")
        for period in due:
            reminded += period_remind(actor=None, period=period)
        self.stdout.write(f"figures of {units} units for {year}; {reminded} reports reminded")

"""manage.py partitions: the monthly partitions of the tables that grow without bound
(PostgreSQL; ADR 0003, docs/operations.md).

    manage.py partitions                      # create the coming months (daily timer)
    manage.py partitions --list               # months and their rows, per table
    manage.py partitions --detach-before 2025-01   # take whole older months out, for archive
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from suotdoi.audit.actions import audit_log
from suotdoi.core import partitions


class Command(BaseCommand):
    help = "Create the coming monthly partitions; list them; detach old months for archive."

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.MONTHS_AHEAD)
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--detach-before", metavar="YYYY-MM")

    def handle(self, *args, **options):
        if not partitions.supported():
            self.stdout.write("SQLite: tables are not partitioned; nothing to do.")
            return
        if not 0 <= options["ahead"] <= 24:
            raise CommandError("--ahead must be between 0 and 24 months")
        with transaction.atomic(), connection.cursor() as cur:
            if options["detach_before"]:
                self._detach(cur, options["detach_before"])
            created = partitions.ensure_ahead(cur, now=timezone.now(), ahead=options["ahead"])
            for name in created:
                self.stdout.write(f"created {name}")
            if options["list"]:
                self._list(cur)

    def _detach(self, cur, month: str) -> None:
        try:
            cutoff = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.UTC)
        except ValueError:
            raise CommandError("--detach-before takes a month: YYYY-MM") from None
        if cutoff > partitions.month_start(timezone.now()):
            raise CommandError("only months that have ended can be detached")
        detached = partitions.detach_before(cur, cutoff)
        if detached:
            audit_log(
                actor=None,
                verb="partitions.detach",
                data={"before": month, "tables": detached},
            )
        for name in detached:
            self.stdout.write(
                f"detached {name}: archive it with `pg_dump -Fc -t {name}`, then DROP TABLE it"
            )
        if not detached:
            self.stdout.write(f"no month ends before {month}")

    def _list(self, cur) -> None:
        for table, column in partitions.partitioned_tables(cur).items():
            self.stdout.write(f"{table} (by month of {column}):")
            for name, lo, _hi in partitions.months(cur, table):
                cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [name])
                rows = max(cur.fetchone()[0], 0)
                self.stdout.write(f"  {name}  {lo:%Y-%m}  ~{rows:,} rows")
            cur.execute(f'SELECT COUNT(*) FROM "{table}_default"')  # noqa: S608
            self.stdout.write(f"  {table}_default  {cur.fetchone()[0]:,} rows without a month")

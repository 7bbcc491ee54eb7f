import json

from django.core.management.base import BaseCommand, CommandError

from suotdoi.organisations.models import Unit
from suotdoi.records.lrs.actions import lrs_client_create


class Command(BaseCommand):
    help = "Create xAPI LRS credentials (key and secret) for a unit; the secret is shown once."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, unit, name, json: bool = False, **options):
        u = Unit.objects.filter(code=unit).first()
        if u is None:
            raise CommandError(f"No unit with code {unit}.")
        client, secret = lrs_client_create(actor=None, unit=u, name=name)
        if json:
            self.stdout.write(
                _json.dumps({"key": client.key, "secret": secret, "unit": u.code, "name": name})
            )
        else:
            self.stdout.write(f"key: {client.key}\nsecret: {secret}  (shown once)")


_json = json

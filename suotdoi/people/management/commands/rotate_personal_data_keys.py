"""Re-encrypt every CCCD with the newest key and re-hash it with the newest lookup key.

Rotation: put the new key first in SUOTDOI_PERSONAL_DATA_KEYS (or SUOTDOI_LOOKUP_KEYS), keep
the old ones after it, deploy, run this command, then drop the old keys. Rows are rewritten in
batches, each in its own transaction; running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from suotdoi.core import fieldcrypto
from suotdoi.people.models import Person


class Command(BaseCommand):
    help = "Re-encrypt and re-hash stored CCCD numbers with the newest keys."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch, **options):
        changed = seen = 0
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    Person.objects.select_for_update()
                    .filter(pk__gt=last)
                    .exclude(national_id_cipher="")
                    .order_by("pk")
                    .only("pk", "national_id_cipher", "national_id_hash")[:batch]
                )
                if not rows:
                    break
                for p in rows:
                    plain = fieldcrypto.decrypt(p.national_id_cipher)
                    cipher = fieldcrypto.reencrypt(p.national_id_cipher)
                    lookup = fieldcrypto.lookup_hash("cccd", plain)
                    if cipher != p.national_id_cipher or lookup != p.national_id_hash:
                        Person.objects.filter(pk=p.pk).update(
                            national_id_cipher=cipher, national_id_hash=lookup
                        )
                        changed += 1
                seen += len(rows)
                last = rows[-1].pk
        self.stdout.write(f"{seen} CCCD numbers checked, {changed} rewritten with the newest keys.")

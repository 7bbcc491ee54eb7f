"""manage.py vapid_key: a new VAPID key for Web Push, as the environment line to set.

Set it once per installation (WEB_PUSH_VAPID_PRIVATE_KEY in /etc/suotdoi/env) and keep it:
browsers subscribed with the public half; a new key means every phone subscribes again."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new VAPID private key for WEB_PUSH_VAPID_PRIVATE_KEY (one line)."

    def handle(self, *args, **options):
        pem = (
            ec.generate_private_key(ec.SECP256R1())
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode()
        )
        one_line = pem.strip().replace("\n", "\\n")
        self.stdout.write(f'WEB_PUSH_VAPID_PRIVATE_KEY="{one_line}"')

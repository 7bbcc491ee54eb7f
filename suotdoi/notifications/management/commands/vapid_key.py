"""manage.py vapid_key: a new VAPID key for Web Push, as the environment line to set.

Set it once per installation (WEB_PUSH_VAPID_PRIVATE_KEY in /etc/suotdoi/env) and keep it:
browsers subscribed with the public half; a new key means every phone subscribes again."""

from django.core.management.base import BaseCommand

from suotdoi.core.vapid import new_private_pem


class Command(BaseCommand):
    help = "Print a new VAPID private key for WEB_PUSH_VAPID_PRIVATE_KEY (one line)."

    def handle(self, *args, **options):
        one_line = new_private_pem().strip().replace("\n", "\\n")
        self.stdout.write(f'WEB_PUSH_VAPID_PRIVATE_KEY="{one_line}"')

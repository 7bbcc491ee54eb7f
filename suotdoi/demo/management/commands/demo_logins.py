import json

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from suotdoi.core.vn import display_phone
from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET, PERSONAS
from suotdoi.organisations.models import Membership
from suotdoi.organisations.policies import ROLES_REQUIRING_MFA
from suotdoi.people.models import Person


def current_totp() -> str:
    import time

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


class Command(BaseCommand):
    help = "Print the demo personas with their login, password, role and unit code (dev only)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if not getattr(settings, "SUOTDOI_DEMO", False):
            raise CommandError("demo_logins refuses to run outside development settings.")
        rows = []
        for p in PERSONAS:
            person = Person.objects.filter(phone=p.phone).first()
            if person is None:
                continue
            ms = list(
                Membership.objects.filter(person=person, end_date__isnull=True)
                .select_related("unit")
                .order_by("-role")
            )
            staff = [m for m in ms if m.role != "member"]
            main = staff[0] if staff else (ms[0] if ms else None)
            rows.append(
                {
                    "persona": p.key,
                    "name": person.full_name,
                    "login": display_phone(person.phone),
                    "email": person.email,
                    "password": DEMO_PASSWORD,
                    "role": main.role if main else "member",
                    "description": p.role_label,
                    "unit_code": main.unit.code if main else "",
                    "unit": main.unit.name if main else "",
                    "two_factor": bool(main and main.role in ROLES_REQUIRING_MFA),
                }
            )
        rows.append(
            {
                "persona": "admin",
                "name": "Quản trị Hệ thống",
                "login": "admin@suotdoi.local",
                "email": "admin@suotdoi.local",
                "password": DEMO_PASSWORD,
                "role": "platform_admin",
                "description": "Platform administrator",
                "unit_code": "",
                "unit": "",
                "two_factor": True,
            }
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"personas": rows, "totp_secret": DEMO_TOTP_SECRET},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for r in rows:
            self.stdout.write(
                f"  {r['login']:<22} {r['name']:<20} {r['description']}"
                f"{' — ' + r['unit_code'] if r['unit_code'] else ''}"
            )
        self.stdout.write(
            f"Officers sign in with two-factor: authenticator secret {DEMO_TOTP_SECRET}; "
            f"code right now: {current_totp()} (or run: make totp)"
        )
        self.stdout.write(
            "SMS codes (sign-up, 'send me a code', new password) land in var/sms-outbox.jsonl "
            "in development: tail -f var/sms-outbox.jsonl"
        )

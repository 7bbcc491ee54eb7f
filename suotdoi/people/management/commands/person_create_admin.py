"""Create a platform administrator (for a new installation; `createsuperuser` does not fit a
model whose login is a phone or an email)."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from suotdoi.audit.actions import audit_log
from suotdoi.core.vn import normalise_phone
from suotdoi.people.models import Person


class Command(BaseCommand):
    help = "Create a platform administrator (password: SUOTDOI_ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--phone", default="")

    def handle(self, *args, name, email, phone, **options):
        from django.contrib.auth.password_validation import validate_password

        password = os.environ.get("SUOTDOI_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            phone = normalise_phone(phone) if phone else None
            person = Person(full_name=name, email=email.strip().lower(), phone=phone)
            validate_password(password, person)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if Person.objects.filter(email__iexact=email).exists() or (
            phone and Person.objects.filter(phone=phone).exists()
        ):
            raise CommandError("A person with this email or phone already exists.")
        with transaction.atomic():
            person.is_staff = person.is_superuser = True
            person.set_password(password)
            person.save()
            audit_log(actor=None, verb="person.create_admin", target=person)
        self.stdout.write(f"Administrator created: {person.email}. Sign in and turn on two-factor.")

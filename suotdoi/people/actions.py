"""Writes about people."""

from __future__ import annotations

from django.db import transaction

from suotdoi.audit.actions import audit_log

from .models import Person

PROFILE_FIELDS = (
    "full_name",
    "phone",
    "email",
    "date_of_birth",
    "gender",
    "national_id",
    "language",
)


@transaction.atomic
def person_create(
    *,
    actor,
    full_name: str,
    phone: str | None = None,
    email: str | None = None,
    date_of_birth=None,
    gender: str = "",
    national_id: str | None = None,
    on_behalf_consent: str = "",
) -> Person:
    """Create a person who has not signed up themselves (an officer acts on their behalf).

    They get no usable password; they can claim the account later with a password reset.
    """
    person = Person(
        full_name=full_name,
        phone=phone or None,
        email=email or None,
        date_of_birth=date_of_birth,
        gender=gender or "",
        national_id=national_id or None,
    )
    person.set_unusable_password()
    person.save()
    audit_log(
        actor=actor,
        verb="person.create_on_behalf",
        target=person,
        on_behalf_of=person,
        data={"consent": on_behalf_consent} if on_behalf_consent else {},
    )
    return person


@transaction.atomic
def person_update_profile(*, actor: Person, person: Person, data: dict) -> Person:
    """Save the fields a person may edit on their own profile; audit what changed."""
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(person, f) != data[f]]
    for field in changed:
        setattr(person, field, data[field])
    if "phone" in changed:
        person.phone_verified = False  # a typed number is proved again by the next code
    if changed:
        person.save(update_fields=changed + (["phone_verified"] if "phone" in changed else []))
        audit_log(
            actor=actor,
            verb="person.update_profile",
            target=person,
            # Never copy the citizen ID itself into the log.
            data={"fields": changed},
        )
    return person


@transaction.atomic
def person_set_language(*, actor: Person, language: str) -> None:
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
        audit_log(actor=actor, verb="person.set_language", target=actor, data={"to": language})

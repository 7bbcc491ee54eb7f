from .models import Person


def person_find_by_identity(
    *, national_id: str | None = None, phone: str | None = None, email: str | None = None
) -> Person | None:
    """The person already on the platform with this citizen ID, else phone, else email."""
    for field, value in (("national_id", national_id), ("phone", phone), ("email", email)):
        if value:
            person = Person.objects.filter(**{field: value}).first()
            if person is not None:
                return person
    return None

from .models import Person, national_id_lookup


def person_find_by_identity(
    *, national_id: str | None = None, phone: str | None = None, email: str | None = None
) -> Person | None:
    """The person already on the platform with this citizen ID, else phone, else email."""
    if national_id:
        person = Person.objects.filter(national_id_lookup(national_id)).first()
        if person is not None:
            return person
    for field, value in (("phone", phone), ("email", email)):
        if value:
            person = Person.objects.filter(**{field: value}).first()
            if person is not None:
                return person
    return None

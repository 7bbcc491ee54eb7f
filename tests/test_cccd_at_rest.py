"""#18.4: CCCD numbers are encrypted at rest, found by a keyed hash, and their keys rotate."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

CCCD = "001190012345"


def _raw_rows() -> str:
    """Every person row as the database stores it, as text."""
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM people_person")
        return "\n".join(repr(r) for r in cur.fetchall())


def test_the_number_is_nowhere_in_the_table_but_the_person_reads_it(people):
    from suotdoi.people.models import Person
    from suotdoi.people.selectors import person_find_by_identity

    mai = people["member"]
    mai.national_id = CCCD
    mai.save()
    assert CCCD not in _raw_rows()
    fresh = Person.objects.get(pk=mai.pk)
    assert fresh.national_id == CCCD and fresh.national_id_masked.endswith("345")
    assert person_find_by_identity(national_id=CCCD) == mai
    assert person_find_by_identity(national_id="001190012346") is None
    # The hash alone does not give the number back without the key: another key, another hash.
    with override_settings(LOOKUP_KEYS=["another-key"]):
        assert person_find_by_identity(national_id=CCCD) is None


def test_a_second_person_cannot_take_the_same_number(people):
    from django.db import IntegrityError, transaction

    people["member"].national_id = CCCD
    people["member"].save()
    other = people["group_leader"]
    other.national_id = CCCD
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_profile_shows_and_saves_the_number(people, client_for):
    mai = people["member"]
    mai.national_id = CCCD
    mai.save()
    c = client_for(mai)
    assert CCCD in c.get("/profile/").content.decode()
    taken = people["group_leader"]
    taken.national_id = "001190099999"
    taken.save()
    form = {
        "full_name": mai.full_name,
        "phone": "0912000001",
        "email": "",
        "gender": "",
        "language": "vi",
        "national_id": "001190099999",
    }
    r = c.post("/profile/", form)
    assert (
        r.status_code == 200
        and "already registered" in r.content.decode().lower()
        or ("đã được đăng ký" in r.content.decode())
    )
    r = c.post("/profile/", {**form, "national_id": "001190077777"})
    assert r.status_code == 302
    mai.refresh_from_db()
    assert mai.national_id == "001190077777"


def test_rotating_both_keys_keeps_every_number_readable_and_findable(people):
    from suotdoi.core import fieldcrypto
    from suotdoi.people.models import Person
    from suotdoi.people.selectors import person_find_by_identity

    # Until now every number was written with the development keys (derived from SECRET_KEY).
    old_data, old_lookup = fieldcrypto._derived("personal"), fieldcrypto._derived("lookup")
    new_data = Fernet.generate_key().decode()
    mai = people["member"]
    mai.national_id = CCCD
    mai.save()
    before = Person.objects.get(pk=mai.pk)
    holders = Person.objects.exclude(national_id_cipher="").count()
    assert holders > 1
    with override_settings(
        PERSONAL_DATA_KEYS=[new_data, old_data], LOOKUP_KEYS=["new-lookup", old_lookup]
    ):
        # Before rotation: readable through the old key, findable through the old hash.
        assert Person.objects.get(pk=mai.pk).national_id == CCCD
        assert person_find_by_identity(national_id=CCCD) == mai
        out = io.StringIO()
        call_command("rotate_personal_data_keys", "--batch", "2", stdout=out)
        assert f"{holders} rewritten" in out.getvalue()
        after = Person.objects.get(pk=mai.pk)
        assert after.national_id_cipher != before.national_id_cipher
        assert after.national_id_hash != before.national_id_hash
        out = io.StringIO()
        call_command("rotate_personal_data_keys", stdout=out)
        assert "0 rewritten" in out.getvalue()
    # Old keys dropped: every number still reads, and is still found.
    with override_settings(PERSONAL_DATA_KEYS=[new_data], LOOKUP_KEYS=["new-lookup"]):
        assert Person.objects.get(pk=mai.pk).national_id == CCCD
        assert person_find_by_identity(national_id=CCCD) == mai
        assert all(p.national_id for p in Person.objects.exclude(national_id_cipher=""))


def test_an_import_matches_people_by_their_encrypted_number(people, units, client_for):
    from suotdoi.organisations.matching import PersonMatcher

    mai = people["member"]
    mai.national_id = CCCD
    mai.save()

    class Row:
        def __init__(self, values):
            self.values = values

    row = Row({"national_id": CCCD, "phone": None, "email": None, "unit_id": units["group"].pk})
    m = PersonMatcher()
    m.load([row])
    assert m.find(row.values) == mai.pk
    # A phone that belongs to a person with another CCCD is a conflict, told as such.
    other = Row({"national_id": "001190055555", "phone": mai.phone, "email": None, "unit_id": 1})
    m = PersonMatcher()
    m.load([other])
    assert m.conflict(other.values)

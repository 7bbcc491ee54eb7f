"""Recognise people already on the platform: citizen ID first, then phone, then email.

Rows that carry none of these are matched by name and date of birth, but only against people
who already belong to the same unit — enough to make re-importing a file harmless without
merging two strangers who share a name and a birthday.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from suotdoi.core import fieldcrypto
from suotdoi.core.text import fold
from suotdoi.people.models import Person

from .models import Membership

CHUNK = 900  # below SQLite's bound-parameter limit


def _plain(cipher: str) -> str | None:
    return fieldcrypto.decrypt(cipher) if cipher else None


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class PersonMatcher:
    """`actor` is who imports: people they do not already manage are matched (to be invited),
    but a conflict between identifiers never tells anything about them."""

    def __init__(self, actor=None) -> None:
        self.actor = actor
        self.known: set[int] | None = None
        self.by_cccd: dict[str, tuple[int, str | None, str | None]] = {}
        self.by_phone: dict[str, tuple[int, str | None, str | None]] = {}
        self.by_email: dict[str, tuple[int, str | None, str | None]] = {}
        self.by_name_dob: dict[tuple[str, object, int], int] = {}

    def load(self, rows) -> None:
        cccds = sorted({r.values["national_id"] for r in rows if r.values.get("national_id")})
        phones = sorted({r.values["phone"] for r in rows if r.values.get("phone")})
        emails = sorted({r.values["email"] for r in rows if r.values.get("email")})
        # CCCDs are stored encrypted and found by their keyed hash (every key in rotation).
        by_hash = {h: c for c in cccds for h in fieldcrypto.lookup_hashes("cccd", c)}
        fields = ("id", "national_id_hash", "phone", "email")
        for chunk in _chunks(sorted(by_hash)):
            for pid, h, p, e in Person.objects.filter(national_id_hash__in=chunk).values_list(
                *fields
            ):
                self.by_cccd[by_hash[h]] = (pid, p, e)
        fields = ("id", "national_id_cipher", "phone", "email")
        for chunk in _chunks(phones):
            for pid, c, p, e in Person.objects.filter(phone__in=chunk).values_list(*fields):
                self.by_phone[p] = (pid, _plain(c), e)
        for chunk in _chunks(emails):
            for pid, c, p, e in Person.objects.filter(email__in=chunk).values_list(*fields):
                self.by_email[e] = (pid, _plain(c), p)
        bare = [
            r
            for r in rows
            if not (r.values.get("national_id") or r.values.get("phone") or r.values.get("email"))
        ]
        unit_ids = sorted({r.values["unit_id"] for r in bare})
        for chunk in _chunks(unit_ids):
            qs = Membership.objects.filter(unit_id__in=chunk, end_date__isnull=True).values_list(
                "unit_id", "person_id", "person__full_name", "person__date_of_birth"
            )
            for unit_id, pid, name, dob in qs:
                self.by_name_dob[(fold(name), dob, unit_id)] = pid
        self.known = self._known(
            {t[0] for d in (self.by_cccd, self.by_phone, self.by_email) for t in d.values()}
        )

    def _known(self, ids: set[int]) -> set[int] | None:
        """Of `ids`, those with an active membership where the actor manages members."""
        from .access import scope_q
        from .policies import Capability

        if self.actor is None:
            return None  # a system import: no one to hide people from
        q = scope_q(self.actor, Capability.MANAGE_MEMBERS, field="unit_path")
        found: set[int] = set()
        for chunk in _chunks(sorted(ids)):
            qs = Membership.objects.filter(person_id__in=chunk, end_date__isnull=True)
            if q is not None:
                qs = qs.filter(q)
            found.update(qs.values_list("person_id", flat=True))
        return found

    def is_known(self, pid: int) -> bool:
        return self.known is None or pid in self.known

    def conflict(self, v: dict) -> str | None:
        """A row whose identifiers point at two different people cannot be imported."""
        ids = set()
        problem = None
        if v.get("national_id") and v["national_id"] in self.by_cccd:
            pid, phone, email = self.by_cccd[v["national_id"]]
            ids.add(pid)
        if v.get("phone") and v["phone"] in self.by_phone:
            pid, cccd, _email = self.by_phone[v["phone"]]
            ids.add(pid)
            if v.get("national_id") and cccd and cccd != v["national_id"]:
                problem = _("This phone number belongs to a person with another citizen ID.")
        if not problem and v.get("email") and v["email"] in self.by_email:
            pid, cccd, _phone = self.by_email[v["email"]]
            ids.add(pid)
            if v.get("national_id") and cccd and cccd != v["national_id"]:
                problem = _("This email belongs to a person with another citizen ID.")
        if (problem or len(ids) > 1) and not all(self.is_known(i) for i in ids):
            # Said the same way whatever the people outside the importer's units hold.
            return _(
                "The citizen ID, phone and email of this row do not fit together. Check them "
                "with the person."
            )
        if problem:
            return problem
        if len(ids) > 1:
            return _(
                "The citizen ID, phone and email belong to different people on the "
                "platform. Check this row."
            )
        return None

    def find(self, v: dict) -> int | None:
        if v.get("national_id") and v["national_id"] in self.by_cccd:
            return self.by_cccd[v["national_id"]][0]
        if v.get("phone") and v["phone"] in self.by_phone:
            return self.by_phone[v["phone"]][0]
        if v.get("email") and v["email"] in self.by_email:
            return self.by_email[v["email"]][0]
        if not (v.get("national_id") or v.get("phone") or v.get("email")):
            return self.by_name_dob.get((fold(v["full_name"]), v["date_of_birth"], v["unit_id"]))
        return None

    def remember(self, v: dict, pid: int) -> None:
        if v.get("national_id"):
            self.by_cccd[v["national_id"]] = (pid, v.get("phone"), v.get("email"))
        if v.get("phone"):
            self.by_phone.setdefault(v["phone"], (pid, v.get("national_id"), v.get("email")))
        if v.get("email"):
            self.by_email.setdefault(v["email"], (pid, v.get("national_id"), v.get("phone")))
        if not (v.get("national_id") or v.get("phone") or v.get("email")):
            self.by_name_dob[(fold(v["full_name"]), v["date_of_birth"], v["unit_id"])] = pid

"""Statements about people on this platform become learning entries.

The rules are data (`RULES`, shown to administrators on the LRS page): a verb, whether a
duration is needed, the entry kind. The actor must be a person here: an `mbox` of their email,
the `mbox_sha1sum` of it, or an `account` on this platform's home page named by their phone or
person number. The entry is "issued" by the client's unit, keyed by the statement id, so a
replayed statement counts once; voiding a statement supersedes its entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

RULES = [
    # verb id, needs a duration, entry kind, hours when no duration
    ("http://adlnet.gov/expapi/verbs/completed", False, "online_elsewhere", Decimal("1")),
    ("http://adlnet.gov/expapi/verbs/passed", False, "online_elsewhere", Decimal("1")),
    ("http://adlnet.gov/expapi/verbs/attended", False, "session", Decimal("1")),
    ("http://adlnet.gov/expapi/verbs/experienced", True, "self_study", None),
]
_RULES = {r[0]: r for r in RULES}
_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def duration_hours(text: str | None) -> Decimal | None:
    m = _DURATION.match(text or "")
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (Decimal(x) if x else Decimal(0) for x in m.groups())
    return (d * 24 + h + mi / 60 + s / 3600).quantize(Decimal("0.01"))


def person_for(actor: dict):
    Person = get_user_model()  # noqa: N806
    if "mbox" in actor:
        return Person.objects.filter(email__iexact=actor["mbox"].removeprefix("mailto:")).first()
    if "mbox_sha1sum" in actor:
        # Only people with an email can match; hash it the way xAPI does.
        target = actor["mbox_sha1sum"].lower()
        for p in Person.objects.filter(email__isnull=False).only("pk", "email").iterator():
            if hashlib.sha1(f"mailto:{p.email}".encode()).hexdigest() == target:  # noqa: S324
                return p
        return None
    acct = actor.get("account") or {}
    if acct.get("homePage", "").rstrip("/") == settings.PUBLIC_URL.rstrip("/"):
        name = str(acct.get("name", ""))
        if name.isdigit() and not name.startswith("0"):
            return Person.objects.filter(pk=int(name)).first()
        from django.core.exceptions import ValidationError

        from suotdoi.core.vn import normalise_phone

        try:
            return Person.objects.filter(phone=normalise_phone(name)).first()
        except ValidationError:  # not a phone number: nobody
            return None
    return None


def _title(data: dict) -> str:
    obj = data.get("object") or {}
    names = (obj.get("definition") or {}).get("name") or {}
    return (
        names.get("vi")
        or names.get("vi-VN")
        or names.get("en-US")
        or names.get("en")
        or next(iter(names.values()), None)
        or obj.get("id", "xAPI")
    )[:200]


def statements_into_record(*, rows, client) -> int:
    from suotdoi.core.errors import ApplicationError
    from suotdoi.records.actions import entry_record

    made = 0
    for row in rows:
        data = row.data
        rule = _RULES.get(data["verb"]["id"])
        if rule is None or (data.get("object") or {}).get("objectType", "Activity") != "Activity":
            continue
        _verb, needs_duration, kind, default_hours = rule
        hours = duration_hours((data.get("result") or {}).get("duration"))
        if hours is None:
            if needs_duration:
                continue
            hours = default_hours
        person = person_for(data["actor"])
        if person is None:
            continue
        when = dt.datetime.fromisoformat(data["timestamp"].replace("Z", "+00:00")).date()
        try:
            entry_record(
                actor=None,
                person=person,
                source_key=f"xapi:{data['id']}",
                title=_title(data),
                kind=kind,
                start_date=min(when, dt.date.today()),
                hours=min(hours, Decimal("24")),
                provenance="issued",
                unit=client.unit,
                issued_by=client.unit.name,
            )
            made += 1
        except ApplicationError:  # the record's rules refuse it: it stays in the LRS only
            continue
    return made


def voided_out_of_record(*, statement_ids: list[str]) -> int:
    """Voiding a statement withdraws the entry it made."""
    from suotdoi.records.actions import entry_withdraw
    from suotdoi.records.models import LearningEntry

    n = 0
    keys = [f"xapi:{sid}" for sid in statement_ids]
    for entry in LearningEntry.objects.filter(source_key__in=keys):
        entry_withdraw(actor=None, entry=entry, reason="xAPI statement voided")
        n += 1
    return n

"""Statements about people on this platform become learning entries.

The rules are data (`RULES`, shown to administrators on the LRS page): a verb, whether a
duration is needed, the entry kind. The actor must be a person here: an `mbox` of their email,
the `mbox_sha1sum` of it, or an `account` on this platform's home page named by their public id
(never a phone, citizen ID or sequence number). The entry is "issued" by the client's unit, keyed
by the statement id, so a replayed statement counts once; voiding a statement supersedes its
entry. A tool writes entries only for people in its unit's subtree: statements about anybody
else stay in the LRS and never reach that person's record.
"""

from __future__ import annotations

import datetime as dt
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


def _person_lookup(actors: list[dict]) -> dict[str, object]:
    """One query per kind of identifier for a whole batch: IFI key → person."""
    Person = get_user_model()  # noqa: N806
    emails, sha1s, ids = {}, {}, {}
    home = settings.PUBLIC_URL.rstrip("/")
    for a in actors:
        if "mbox" in a:
            emails[a["mbox"].removeprefix("mailto:").lower()] = a
        elif "mbox_sha1sum" in a:
            sha1s[a["mbox_sha1sum"].lower()] = a
        elif (a.get("account") or {}).get("homePage", "").rstrip("/") == home:
            ids[str(a["account"].get("name", ""))[:32]] = a
    found: dict[str, object] = {}
    if emails:
        for p in Person.objects.filter(email__in=list(emails)):
            found["mbox:mailto:" + p.email] = p
    if sha1s:
        for p in Person.objects.filter(email_sha1__in=list(sha1s)):
            found["sha1:" + p.email_sha1] = p
    if ids:
        for p in Person.objects.filter(public_id__in=list(ids)):
            found[f"account:{home}|{p.public_id}"] = p
    return found


def _people_below(unit, person_ids: set[int]) -> set[int]:
    """Which of these people hold an active membership in `unit`'s subtree."""
    from suotdoi.organisations.selectors import member_ids_below

    return member_ids_below(unit=unit, person_ids=person_ids)


def _key(actor: dict) -> str:
    if "mbox" in actor:
        return "mbox:mailto:" + actor["mbox"].removeprefix("mailto:").lower()
    if "mbox_sha1sum" in actor:
        return "sha1:" + actor["mbox_sha1sum"].lower()
    acct = actor.get("account") or {}
    return f"account:{str(acct.get('homePage', '')).rstrip('/')}|{acct.get('name')}"


def person_for(actor: dict):
    return _person_lookup([actor]).get(_key(actor))


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
    from suotdoi.records.actions import entry_record_issued_many

    candidates = []
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
        candidates.append((data, kind, hours))
    if not candidates:
        return 0
    people = _person_lookup([data["actor"] for data, _k, _h in candidates])
    inside = _people_below(client.unit, {p.pk for p in people.values()})
    items = []
    today = dt.date.today()
    for data, kind, hours in candidates:
        person = people.get(_key(data["actor"]))
        if person is None or person.pk not in inside:
            continue
        when = dt.date.fromisoformat(data["timestamp"][:10])  # the date where it happened
        items.append(
            {
                "person": person,
                "source_key": f"xapi:{data['id']}",
                "title": _title(data),
                "kind": kind,
                "start_date": min(when, today),
                "hours": min(hours, Decimal("24")),
            }
        )
    if not items:
        return 0
    return entry_record_issued_many(unit=client.unit, items=items, issued_by=client.unit.name)


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

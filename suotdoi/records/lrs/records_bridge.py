"""Who and what statements are about, for the record (the folding itself: attempts.py).

The rules are data (`RULES` and the `LearningUnitType` table, both shown on the LRS page): a
verb, whether a duration is needed, the entry kind. The actor must be a person here: an `mbox`
of their email, the `mbox_sha1sum` of it, an `account` on this platform's home page named by
their public id (never a phone, citizen ID or sequence number), or an account of the client's
own tool that the learner linked (`LearnerLink`).
"""

from __future__ import annotations

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
_NUM = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?"
    rf"(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)


def duration_hours(text: str | None) -> Decimal | None:
    """Hours in an ISO 8601 duration as xAPI allows it ("PT45M", "P0Y0M0DT0H45M0S", "P1W",
    "PT1,5H"), to the hundredth; None when it is not one."""
    m = _DURATION.match(text or "")
    if not m or not any(m.groups()) or (text or "").endswith("T"):
        return None
    y, mo, w, d, h, mi, s = (Decimal(x.replace(",", ".")) if x else Decimal(0) for x in m.groups())
    total = y * 8760 + mo * 720 + w * 168 + d * 24 + h + mi / 60 + s / 3600
    return total.quantize(Decimal("0.01"))


def people_for(actors: list[dict], *, client) -> dict[str, object]:
    """Agent key (as stored on the statement) → person, for the actors of a batch: a
    registered email (mbox or its sha1), an account on this platform named by a person's public
    id, or an account of the client's tool that a learner linked. One query per kind."""
    from .agents import agent_key
    from .models import LearnerLink

    Person = get_user_model()  # noqa: N806
    emails, sha1s, ids, linked = set(), set(), set(), {}
    home = settings.PUBLIC_URL.rstrip("/")
    for a in actors:
        key = agent_key(a)
        if key is None:
            continue
        if "mbox" in a:
            emails.add(str(a["mbox"]).lower().removeprefix("mailto:"))
        elif "mbox_sha1sum" in a:
            sha1s.add(str(a["mbox_sha1sum"]).lower())
        elif isinstance(a.get("account"), dict):
            acct = a["account"]
            if str(acct.get("homePage", "")).rstrip("/") == home:
                ids.add(str(acct.get("name", ""))[:32])
            else:
                linked[(str(acct.get("homePage", "")), str(acct.get("name", "")))] = key
    found: dict[str, object] = {}
    if emails:
        for p in Person.objects.filter(email__in=list(emails)):
            found["mbox:mailto:" + p.email.lower()] = p
    if sha1s:
        for p in Person.objects.filter(email_sha1__in=list(sha1s)):
            found["sha1:" + p.email_sha1] = p
    if ids:
        for p in Person.objects.filter(public_id__in=list(ids)):
            found[f"account:{home}|{p.public_id}"] = p
            found[f"account:{home}/|{p.public_id}"] = p
    if linked:
        names = {name for _h, name in linked}
        for link in LearnerLink.objects.filter(
            client=client, revoked_at__isnull=True, account_name__in=names
        ).select_related("person"):
            key = linked.get((link.home_page, link.account_name))
            if key:
                found[key] = link.person
    return found


# Who a client's unit answers for beyond its members: capabilities add sources (the catalogue
# adds learners enrolled in the courses of the unit's subtree) without this module knowing them.
_trust_sources = []


def register_trust_source(source) -> None:
    """`source(unit, person_ids) -> set[int]`: people a unit's tools may issue entries for."""
    if source not in _trust_sources:
        _trust_sources.append(source)


def trusted_ids(unit, person_ids: set[int]) -> set[int]:
    """Which of these people the unit's tools issue entries for: members of its subtree, and
    whoever a registered source vouches for."""
    from suotdoi.organisations.selectors import member_ids_below

    if not person_ids:
        return set()
    inside = set(member_ids_below(unit=unit, person_ids=person_ids))
    for source in _trust_sources:
        rest = person_ids - inside
        if not rest:
            break
        inside |= set(source(unit, rest))
    return inside


def title_of(data: dict) -> str:
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

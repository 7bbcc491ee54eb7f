"""Statements become learning entries, one entry per attempt.

Which statements: a verb in `RULES` (completed, passed, attended, experienced with a
duration) about an activity that is a learning unit — its type is an active
`LearningUnitType` (course, module, assessment, meeting…); an activity without a type counts
for completed, passed and attended only, never for experienced, and nothing that sits under a
parent activity (a slide, a question, an interaction) is experienced on its own.

One attempt: the same person, activity and registration (or, without a registration, the same
day). Its statements fold into one entry: the hours are the longest duration any of them gave
(or the rule's default when none gave one), counted once; the best score and a success are
kept; the statements are listed (`AttemptStatement`).

Trust: a client's statements about people in its unit's subtree (or enrolled in courses of
that subtree) are entries issued by the unit. About anybody else they are "reported by
<tool>": the learner sees them, accepts or dismisses them, and they count nowhere until
accepted. Statements about people who are not known here stay in the LRS only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from .records_bridge import RULES, duration_hours, people_for, title_of, trusted_ids

CAP = Decimal("24")
_RULES = {r[0]: r for r in RULES}


# The activity types every LRS treats as learning units (ADL's vocabulary); administrators
# add others (LearningUnitType). Kept in code so no data step can lose them.
BUILTIN_UNIT_TYPES = [
    ("http://adlnet.gov/expapi/activities/course", "Course", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/module", "Module", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/lesson", "Lesson", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/assessment", "Assessment", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/meeting", "Meeting", "session"),
    ("http://id.tincanapi.com/activitytype/webinar", "Webinar", "session"),
]
_types_cache: tuple[float, dict[str, str]] | None = None


def _unit_types() -> dict[str, str]:
    """Active learning-unit types (IRI → entry kind), read at most every 30 s per process:
    an administrator's change reaches every server within 30 s."""
    import time

    from .models import LearningUnitType

    global _types_cache
    now = time.monotonic()
    if _types_cache is None or _types_cache[0] < now:
        types = {iri: kind for iri, _label, kind in BUILTIN_UNIT_TYPES}
        types.update(LearningUnitType.objects.filter(active=True).values_list("iri", "entry_kind"))
        _types_cache = (now + 30, types)
    return _types_cache[1]


def forget_unit_types(**_kwargs) -> None:
    global _types_cache
    _types_cache = None


def _candidate(data: dict, types: dict[str, str]):
    """(entry kind, hours or None, default hours) if the statement can make an entry."""
    rule = _RULES.get(data["verb"]["id"])
    obj = data.get("object") or {}
    if rule is None or obj.get("objectType", "Activity") != "Activity":
        return None
    verb, needs_duration, kind, default_hours = rule
    a_type = (obj.get("definition") or {}).get("type")
    if a_type is not None:
        if a_type not in types:
            return None  # a slide, an interaction, a question, a type nobody listed
        kind = types[a_type] if kind != "session" else kind
    elif needs_duration:
        return None  # "experienced" something untyped: a page, a slide
    parents = ((data.get("context") or {}).get("contextActivities") or {}).get("parent")
    if needs_duration and parents:
        return None  # a part of something larger, experienced on its way
    hours = duration_hours((data.get("result") or {}).get("duration"))
    if hours is None and needs_duration:
        return None
    return kind, hours, default_hours


def _root(data: dict) -> tuple[str, dict | None]:
    """The activity an attempt is at: the statement's parent when it names one (a quiz inside
    a course), else its object; with the parent's definition when the statement carries it."""
    parents = ((data.get("context") or {}).get("contextActivities") or {}).get("parent") or []
    if isinstance(parents, dict):
        parents = [parents]
    if parents and isinstance(parents[0], dict) and parents[0].get("id"):
        return parents[0]["id"], parents[0].get("definition")
    return data["object"]["id"], None


def _attempt_key(person_id: int, data: dict) -> tuple[str, str, str]:
    """(entry source key, registration, root activity): the same for every statement of one
    attempt. A registration is the attempt (xAPI, cmi5); without one, the root activity on
    the same day is."""
    registration = ((data.get("context") or {}).get("registration") or "").lower()
    root, _definition = _root(data)
    when = f"r:{registration}" if registration else f"{root}|{data['timestamp'][:10]}"
    digest = hashlib.sha256(f"{person_id}|{when}".encode()).hexdigest()
    return f"xapi-attempt:{digest[:48]}", registration, root


def statements_into_record(*, rows, client) -> int:
    """Fold a stored batch into entries. Returns how many entries were made or changed."""
    from suotdoi.records.models import EntryStatus, LearningEntry

    from .models import Attempt, AttemptStatement

    types = _unit_types()
    found = []
    for row in rows:
        c = _candidate(row.data, types)
        if c is not None:
            found.append((row, *c))
    if not found:
        return 0
    people = people_for([row.data["actor"] for row, *_ in found], client=client)
    if not people:
        return 0
    trusted = trusted_ids(client.unit, {p.pk for p in people.values()})
    groups: dict[str, dict] = {}
    for row, kind, hours, default_hours in found:
        person = people.get(row.actor_key)
        if person is None:
            continue
        key, registration, root = _attempt_key(person.pk, row.data)
        is_root = root == row.data["object"]["id"]
        g = groups.setdefault(
            key,
            {
                "person": person,
                "kind": kind,
                "registration": registration,
                "activity": root,
                "title": "",
                "date": dt.date.fromisoformat(row.data["timestamp"][:10]),
                "default": default_hours,
                "statements": [],
            },
        )
        if is_root and not g["title"]:
            g["title"], g["kind"] = title_of(row.data), kind  # the course, not its quiz
        elif not g["title"] and not g.get("child_title"):
            g["child_title"] = _parent_title(row.data)
        result = row.data.get("result") or {}
        g["statements"].append(
            AttemptStatement(
                statement_id=row.statement_id,
                verb_id=row.verb_id,
                stored=row.stored,
                hours=hours,
                score_scaled=(result.get("score") or {}).get("scaled"),
                success=result.get("success"),
            )
        )
    if not groups:
        return 0
    with transaction.atomic():
        existing = {
            a.entry.source_key: a
            for a in Attempt.objects.select_related("entry").filter(
                entry__source_key__in=list(groups)
            )
        }
        fresh = [k for k in groups if k not in existing]
        new_entries = [
            _new_entry(k, groups[k], client, groups[k]["person"].pk in trusted) for k in fresh
        ]
        if new_entries:
            LearningEntry.objects.bulk_create(new_entries, ignore_conflicts=True)
            made = list(
                LearningEntry.objects.filter(source_key__in=fresh, xapi_attempt__isnull=True)
            )
            Attempt.objects.bulk_create(
                [
                    Attempt(
                        entry=e,
                        client=client,
                        activity_id=groups[e.source_key]["activity"][:500],
                        registration=groups[e.source_key]["registration"],
                        trusted=e.status == EntryStatus.VERIFIED,
                        longest=_given(groups[e.source_key]),
                    )
                    for e in made
                ],
                ignore_conflicts=True,
            )
            _add_figures(made)
            for a in Attempt.objects.select_related("entry").filter(entry__source_key__in=fresh):
                existing.setdefault(a.entry.source_key, a)
        statements = []
        for key, g in groups.items():
            if key in existing:
                for st in g["statements"]:
                    st.attempt = existing[key]
                    statements.append(st)
        AttemptStatement.objects.bulk_create(statements, ignore_conflicts=True)
        made_now = [existing[k].entry for k in fresh if k in existing]
        grown = _grow(
            [
                (existing[k], _given(g))
                for k, g in groups.items()
                if k in existing and k not in fresh
            ]
        )
        _audit(client, made_now + grown)
    return len(made_now) + len(grown)


def _given(g: dict) -> Decimal | None:
    """The longest duration the group's statements gave, or None."""
    given = [st.hours for st in g["statements"] if st.hours is not None]
    return min(max(given), CAP) if given else None


def _grow(pairs) -> list:
    """Attempts that got a longer duration (or their first one) take it as their hours; the
    entries that changed are locked, updated and kept in the figures. Most folds change
    nothing and cost nothing here."""
    from suotdoi.records.models import LearningEntry

    from .models import Attempt

    wanted = {
        a.pk: hours
        for a, hours in pairs
        if hours is not None and (a.longest is None or hours > a.longest)
    }
    if not wanted:
        return []
    changed = []
    attempts = Attempt.objects.select_for_update().select_related("entry").filter(pk__in=wanted)
    moves = []
    for a in attempts:
        hours = wanted[a.pk]
        if a.longest is not None and hours <= a.longest:
            continue  # a concurrent batch got there first
        Attempt.objects.filter(pk=a.pk).update(longest=hours)
        e = a.entry
        if hours != e.hours:
            moves.append((e, hours - e.hours))
            LearningEntry.objects.filter(pk=e.pk).update(hours=hours)
            e.hours = hours
            changed.append(e)
    _move_figures(moves)
    return changed


def _move_figures(moves) -> None:
    """Add each (entry, hours delta) of counted entries to their unit's monthly figures."""
    from suotdoi.records.models import NOT_COUNTING, EntryStatus, UnitFigure

    months: dict[tuple, list] = {}
    for e, delta in moves:
        if e.status in NOT_COUNTING or e.unit_id is None:
            continue
        m = months.setdefault(
            (e.unit_id, e.start_date.year, e.start_date.month, e.unit_path), [0, 0]
        )
        m[0] += delta
        m[1] += delta if e.status == EntryStatus.VERIFIED else 0
    for (unit_id, year, month, path), (hours, verified) in months.items():
        key = {"unit_id": unit_id, "year": year, "month": month}
        UnitFigure.objects.get_or_create(**key, defaults={"unit_path": path})
        UnitFigure.objects.filter(**key).update(
            hours=F("hours") + hours, verified_hours=F("verified_hours") + verified
        )


def _parent_title(data: dict) -> str:
    _root_id, definition = _root(data)
    if definition and (definition.get("name") or {}):
        return title_of({"object": {"id": _root_id, "definition": definition}})
    return title_of(data)


def _hours_of(g: dict) -> Decimal:
    given = _given(g)
    return given if given is not None else min(g["default"] or Decimal("1"), CAP)


def _new_entry(key: str, g: dict, client, is_trusted: bool):
    from suotdoi.records.models import EntryStatus, LearningEntry

    return LearningEntry(
        person=g["person"],
        title=(g["title"].strip() or g.get("child_title", "").strip() or g["activity"])[:200],
        kind=g["kind"],
        start_date=min(g["date"], dt.date.today()),
        hours=_hours_of(g),
        unit=client.unit if is_trusted else None,
        unit_path=client.unit.path if is_trusted else "",
        provenance="issued",
        status=EntryStatus.VERIFIED if is_trusted else EntryStatus.REPORTED,
        issued_by=client.unit.name if is_trusted else client.name,
        source_key=key,
    )


def _add_figures(entries) -> None:
    """New verified entries join their unit's monthly figures (one update per month)."""
    from suotdoi.records.models import EntryStatus, UnitFigure

    months: dict[tuple, list] = {}
    for e in entries:
        if e.status != EntryStatus.VERIFIED or e.unit_id is None:
            continue
        m = months.setdefault(
            (e.unit_id, e.start_date.year, e.start_date.month, e.unit_path), [0, 0]
        )
        m[0] += 1
        m[1] += e.hours
    for (unit_id, year, month, path), (n, hours) in months.items():
        key = {"unit_id": unit_id, "year": year, "month": month}
        UnitFigure.objects.get_or_create(**key, defaults={"unit_path": path})
        UnitFigure.objects.filter(**key).update(
            entries=F("entries") + n,
            hours=F("hours") + hours,
            verified_hours=F("verified_hours") + hours,
        )


def _settle(attempts) -> None:
    """After voiding: each attempt's hours again from the statements it still has."""
    from django.db.models import Max

    from suotdoi.records.models import LearningEntry

    from .models import Attempt, AttemptStatement

    longest = dict(
        AttemptStatement.objects.filter(attempt__in=attempts)
        .values("attempt")
        .annotate(h=Max("hours"))
        .values_list("attempt", "h")
    )
    moves = []
    for a in attempts:
        hours = longest.get(a.pk)
        Attempt.objects.filter(pk=a.pk).update(longest=hours)
        e = a.entry
        if hours is None:  # only statements without a duration are left: keep what it had
            continue
        hours = min(Decimal(hours), CAP)
        if hours != e.hours:
            moves.append((e, hours - e.hours))
            LearningEntry.objects.filter(pk=e.pk).update(hours=hours)
    _move_figures(moves)


def _audit(client, entries) -> None:
    from suotdoi.audit.actions import audit_log_many

    if entries:
        audit_log_many(
            actor=None,
            verb="entry.record",
            targets=entries,
            unit=client.unit,
            on_behalf_of_for=lambda e: e.person,
            data_for=lambda e: {
                "provenance": "xapi",
                "client": client.key,
                "status": e.status,
                "hours": str(e.hours),
            },
        )


def voided_out_of_record(*, statement_ids: list[str]) -> int:
    """Voiding a statement takes it out of its attempt: the hours are recomputed from the
    others, and an attempt left with no statement withdraws its entry."""
    from suotdoi.records.actions import entry_withdraw
    from suotdoi.records.models import LearningEntry

    from .models import Attempt, AttemptStatement

    gone = AttemptStatement.objects.filter(statement_id__in=statement_ids)
    attempt_ids = set(gone.values_list("attempt_id", flat=True))
    gone.delete()
    n = 0
    attempts = list(Attempt.objects.select_related("entry").filter(pk__in=attempt_ids))
    left = set(
        AttemptStatement.objects.filter(attempt__in=attempts).values_list("attempt_id", flat=True)
    )
    for a in attempts:
        if a.pk not in left and a.entry.status not in ("rejected", "superseded"):
            entry_withdraw(actor=None, entry=a.entry, reason="xAPI statements voided")
            n += 1
    _settle([a for a in attempts if a.pk in left])
    # Entries made before attempts were kept (one per statement).
    for entry in LearningEntry.objects.filter(source_key__in=[f"xapi:{s}" for s in statement_ids]):
        entry_withdraw(actor=None, entry=entry, reason="xAPI statement voided")
        n += 1
    return n

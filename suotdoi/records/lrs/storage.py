"""Writing and reading statements."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .agents import activities_in, agent_key, agents_in
from .models import (
    Activity,
    Attachment,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementId,
)
from .validation import VOIDED


class Conflict(Exception):
    pass


class BadRequest(Exception):
    pass


class Forbidden(Exception):
    """Refused by the rules of the content a launch's token was issued for (403)."""


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def authority_for(client) -> dict:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": settings.PUBLIC_URL.rstrip("/") + "/", "name": client.key},
    }


_IGNORED_IN_COMPARISON = ("authority", "stored", "version", "id")


def _comparable(s: dict, *, with_timestamp: bool = True) -> str:
    ignored = _IGNORED_IN_COMPARISON if with_timestamp else (*_IGNORED_IN_COMPARISON, "timestamp")
    body = {k: v for k, v in s.items() if k not in ignored}
    return json.dumps(body, sort_keys=True)


def prepare(statement: dict, *, client, now: dt.datetime, version: str) -> dict:
    """The statement as stored: id, timestamp, stored, authority and version filled in."""
    s = copy.deepcopy(statement)
    s["id"] = s.get("id", str(uuid.uuid4())).lower()
    s["stored"] = iso(now)
    s.setdefault("timestamp", s["stored"])
    s["authority"] = authority_for(client)
    s["version"] = "2.0.0" if version.startswith("2.") else s.get("version", "1.0.0")
    _arrays(s)
    if (s.get("object") or {}).get("objectType") == "SubStatement":
        _arrays(s["object"])
    return s


def _arrays(s: dict) -> None:
    """Context activities are always returned as arrays, even when one was sent."""
    ca = (s.get("context") or {}).get("contextActivities")
    if isinstance(ca, dict):
        for key, value in ca.items():
            if isinstance(value, dict):
                ca[key] = [value]


def store(
    statements: list[dict],
    *,
    client,
    version: str,
    attachments: dict[str, tuple],
    into_record: bool = True,
) -> list:
    """Store a batch atomically; all or nothing. Returns the ids in order.

    Raises Conflict (409) when an id exists with different content, BadRequest (400) for
    duplicates within the batch or a voiding statement that targets a voiding statement.
    """
    now = timezone.now()
    prepared = [prepare(s, client=client, now=now, version=version) for s in statements]
    ids = [p["id"] for p in prepared]
    if len(set(ids)) != len(ids):
        raise BadRequest("the batch contains the same statement id twice")
    with transaction.atomic():
        # Ids this LRS generated are new; only ids the client chose can already exist.
        chosen = [
            p["id"] for p, original in zip(prepared, statements, strict=True) if "id" in original
        ]
        known = (
            {
                str(i)
                for i in StatementId.objects.filter(statement_id__in=chosen).values_list(
                    "statement_id", flat=True
                )
            }
            if chosen
            else set()
        )
        existing = (
            {
                str(row.statement_id): row
                for row in Statement.objects.filter(statement_id__in=known).only(
                    "statement_id", "data"
                )
            }
            if known
            else {}
        )
        fresh = []
        for p, original in zip(prepared, statements, strict=True):
            if p["id"] in known and p["id"] not in existing:
                continue  # stored before, in a month since archived (or erased): not again
            old = existing.get(p["id"])
            if old is not None:
                ts = "timestamp" in original
                if _comparable(old.data, with_timestamp=ts) != _comparable(p, with_timestamp=ts):
                    raise Conflict(f"statement {p['id']} exists with different content")
                continue
            fresh.append(p)
        voiding_targets = [p["object"]["id"].lower() for p in fresh if p["verb"]["id"] == VOIDED]
        if (
            voiding_targets
            and Statement.objects.filter(statement_id__in=voiding_targets, is_voiding=True).exists()
        ):
            raise BadRequest("a voiding statement cannot be voided")
        rows = [_row(p, client) for p in fresh]
        try:
            StatementId.objects.bulk_create(
                [StatementId(statement_id=r.statement_id, stored=r.stored) for r in rows],
                batch_size=1000,
            )
        except IntegrityError:
            raise Conflict("a statement with one of these ids was stored meanwhile") from None
        Statement.objects.bulk_create(rows, batch_size=500)
        agent_rows, activity_rows = [], []
        for row, p in zip(rows, fresh, strict=True):
            direct, related = agents_in(p)
            agent_rows += [
                StatementAgent(statement=row, stored=row.stored, agent_key=k, related=False)
                for k in direct
            ]
            agent_rows += [
                StatementAgent(statement=row, stored=row.stored, agent_key=k, related=True)
                for k in related - direct
            ]
            a_direct, a_related = activities_in(p)
            activity_rows += [
                StatementActivity(statement=row, stored=row.stored, activity_id=a, related=False)
                for a in a_direct
            ]
            activity_rows += [
                StatementActivity(statement=row, stored=row.stored, activity_id=a, related=True)
                for a in a_related - a_direct
            ]
        StatementAgent.objects.bulk_create(agent_rows, batch_size=1000)
        StatementActivity.objects.bulk_create(activity_rows, batch_size=1000)
        if voiding_targets:
            Statement.objects.filter(statement_id__in=voiding_targets, is_voiding=False).update(
                voided=True
            )
            from .attempts import voided_out_of_record

            voided_out_of_record(statement_ids=voiding_targets)
        for sha2, (content_type, content) in attachments.items():
            Attachment.objects.get_or_create(
                sha2=sha2, defaults={"content_type": content_type, "content": content}
            )
        _remember_activities(fresh)
        if fresh and into_record:
            # (False for the platform's own statements, whose entries are already written.)
            from .attempts import statements_into_record

            statements_into_record(rows=rows, client=client)
    return ids


def _row(p: dict, client) -> Statement:
    obj = p["object"]
    kind = obj.get("objectType", "Activity")
    registration = (p.get("context") or {}).get("registration")
    return Statement(
        statement_id=p["id"],
        stored=dt.datetime.fromisoformat(p["stored"].replace("Z", "+00:00")),
        client=client,
        unit_path=client.unit.path,
        actor_key=agent_key(p["actor"]) or "",
        verb_id=p["verb"]["id"],
        activity_id=obj["id"] if kind == "Activity" else "",
        registration=registration,
        ref_id=obj["id"].lower() if kind == "StatementRef" else None,
        voided=False,
        is_voiding=p["verb"]["id"] == VOIDED,
        data=p,
        attachment_hashes=[a["sha2"] for a in p.get("attachments") or []],
    )


def merge_definition(old: dict, new: dict) -> dict:
    """Later statements add to an activity's definition; language maps merge by language."""
    merged = {**old, **new}
    for key in ("name", "description"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            merged[key] = {**old[key], **new[key]}
    return merged


_SEEN_DEFINITIONS: dict[str, str] = {}  # activity id → the definition last written (JSON)


def _remember_activities(statements: list[dict]) -> None:
    """Keep each activity's definition, merged over statements, for the Activities resource.
    A definition this process already wrote unchanged is not looked up again."""
    defs: dict[str, dict] = {}
    for s in statements:
        for obj in _activity_objects(s):
            defs[obj["id"]] = merge_definition(defs.get(obj["id"], {}), obj.get("definition") or {})
    defs = {
        k: v for k, v in defs.items() if _SEEN_DEFINITIONS.get(k) != json.dumps(v, sort_keys=True)
    }
    if not defs:
        return
    if len(_SEEN_DEFINITIONS) > 50_000:
        _SEEN_DEFINITIONS.clear()
    for k, v in defs.items():
        transaction.on_commit(
            partial(_SEEN_DEFINITIONS.__setitem__, k, json.dumps(v, sort_keys=True))
        )
    known = {a.activity_id: a for a in Activity.objects.filter(activity_id__in=list(defs))}
    # New activities in one statement: two batches naming the same new activity at once must
    # both be stored (the second one's definition is merged on a later statement).
    Activity.objects.bulk_create(
        [Activity(activity_id=k, definition=v) for k, v in defs.items() if k not in known],
        ignore_conflicts=True,
    )
    for activity_id, definition in defs.items():
        a = known.get(activity_id)
        if a is None:
            continue
        if definition:
            merged = merge_definition(a.definition, definition)
            if merged != a.definition:
                a.definition = merged
                a.save(update_fields=["definition"])


def _activity_objects(s: dict):
    obj = s.get("object") or {}
    if obj.get("objectType", "Activity") == "Activity":
        yield obj
    for acts in ((s.get("context") or {}).get("contextActivities") or {}).values():
        for a in acts if isinstance(acts, list) else [acts]:
            if isinstance(a, dict):
                yield a
    if obj.get("objectType") == "SubStatement":
        yield from _activity_objects(obj)


# --- reading -----------------------------------------------------------------------------------


def visible_to(client):
    """A client reads what it wrote; people read through the unit pages (officers of the
    client's unit or above)."""
    return Statement.objects.filter(client=client)


def query(client, params: dict, *, after_seq: int | None, limit: int):
    """Statements matching the filters, newest first (or oldest with ascending), plus the
    statements that refer to a matching one by StatementRef. Two index-friendly queries merged
    in order, so a national-size table is never scanned for the OR of both."""
    base = visible_to(client)
    since, until = params.get("since"), params.get("until")
    window = Q(voided=False)
    if since:
        window &= Q(stored__gt=since)
    if until:
        window &= Q(stored__lte=until)
    ascending = params.get("ascending")
    if after_seq is not None:
        window &= Q(seq__gt=after_seq) if ascending else Q(seq__lt=after_seq)
    order = "seq" if ascending else "-seq"
    fields = ("seq", "data", "attachment_hashes")
    direct = list(
        _matching(base.filter(window), params, since=since, until=until)
        .order_by(order)
        .only(*fields)[: limit + 1]
    )
    if not any(params.get(k) for k in ("agent_key", "verb", "activity", "registration")):
        return direct
    matching_ids = _matching(base, params).values("statement_id")
    refs = list(
        base.filter(window, ref_id__isnull=False, ref_id__in=matching_ids)
        .order_by(order)
        .only(*fields)[: limit + 1]
    )
    if not refs:
        return direct
    merged = {r.seq: r for r in direct + refs}
    ordered = sorted(merged.values(), key=lambda r: r.seq, reverse=not ascending)
    return ordered[: limit + 1]


def _matching(rows, params: dict, *, since=None, until=None):
    """`rows` narrowed by the filters. An agent or activity filter joins its index table on
    (seq, stored): each probe reads the one month that holds the statement, and PostgreSQL
    walks the index rows in seq order, reading only the statements it returns (a statement
    has at most one index row per agent or activity, so the join adds no duplicates). A
    since/until window is repeated on the index table, so only those months of it are read."""
    for param, relation, key in (
        ("agent_key", "agents", "agent_key"),
        ("activity", "activities", "activity_id"),
    ):
        if not params.get(param):
            continue
        on = {f"{relation}__{key}": params[param], f"{relation}__stored": F("stored")}
        if not params.get(f"related_{relation}"):
            on[f"{relation}__related"] = False
        if since:
            on[f"{relation}__stored__gt"] = since
        if until:
            on[f"{relation}__stored__lte"] = until
        rows = rows.filter(**on)
    if params.get("verb"):
        rows = rows.filter(verb_id=params["verb"])
    if params.get("registration"):
        rows = rows.filter(registration=params["registration"])
    return rows


def get_one(client, statement_id: str, *, voided: bool):
    # The id's table says which month holds it, so only that partition is read.
    stored = (
        StatementId.objects.filter(statement_id=statement_id)
        .values_list("stored", flat=True)
        .first()
    )
    if stored is None:
        return None
    row = (
        visible_to(client)
        .filter(statement_id=statement_id, stored=stored)
        .only("seq", "data", "voided", "attachment_hashes")
        .first()
    )
    if row is None or row.voided != voided:
        return None
    return row

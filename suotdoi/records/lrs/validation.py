"""xAPI statement validation (xAPI 2.0 / IEEE 9274.1.1, and 1.0.3 where they differ).

`validate_statement(data, version)` raises `Invalid` with a message naming the property; it
never changes the statement. Every unknown property is an error, as the specification asks.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_LANG = re.compile(
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+|i-[A-Za-z]+)$"
)
_TIMESTAMP = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):?[0-5]\d|[+-]([01]\d|2[0-3]))?$"
)
_DURATION = re.compile(
    r"^P(?:\d+(?:\.\d+)?W|(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?)$"
)
_MIME = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$")
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}


class Invalid(ValueError):
    pass


def _fail(path: str, why: str):
    raise Invalid(f"{path}: {why}")


def _obj(value, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    extra = set(value) - allowed
    if extra:
        _fail(path, f"unknown propert{'ies' if len(extra) > 1 else 'y'} {sorted(extra)}")
    for key in required:
        if key not in value:
            _fail(path, f"{key} is required")
    for key, v in value.items():
        if v is None:
            _fail(f"{path}.{key}", "must not be null")
    return value


def _str(value, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a string")
    return value


def iri(value, path: str) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        _fail(path, "must be an absolute IRI")
    return value


def uuid_str(value, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a UUID string")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        _fail(path, "must be a UUID")
    if len(value) != 36 or str(parsed) != value.lower():
        _fail(path, "must be a UUID in its 8-4-4-4-12 form")
    return value


def language_map(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a language map")
    for tag, text in value.items():
        if not _LANG.match(tag):
            _fail(path, f"{tag!r} is not a language tag (RFC 5646)")
        if not isinstance(text, str):
            _fail(f"{path}.{tag}", "must be a string")


def extensions(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object")
    for key in value:
        iri(key, f"{path} key")


def timestamp(value, path: str) -> str:
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        _fail(path, "must be an ISO 8601 timestamp")
    if value.endswith(("-00:00", "-0000", "-00")):
        _fail(path, "an offset of -00:00 is not allowed")
    # The pattern admits 2026-02-31 and year 0000: the date must exist, in years 1 to 9999.
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        _fail(path, "is not a real date (day, month or year out of range)")
    return value


def agent(value, path: str, *, group_ok: bool = True, version: str = "2.0.0") -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an Agent or Group object")
    kind = value.get("objectType", "Agent")
    if kind == "Group" and group_ok:
        _group(value, path, version)
        return
    if kind != "Agent":
        _fail(f"{path}.objectType", "must be Agent" + (" or Group" if group_ok else ""))
    _obj(value, path, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
    if "name" in value:
        _str(value["name"], f"{path}.name")
    if _ifi_count(value, path) != 1:
        _fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")


def _ifi_count(value: dict, path: str) -> int:
    n = 0
    if "mbox" in value:
        n += 1
        if not isinstance(value["mbox"], str) or not _MBOX.match(value["mbox"]):
            _fail(f"{path}.mbox", 'must be "mailto:" and an email address')
    if "mbox_sha1sum" in value:
        n += 1
        if not isinstance(value["mbox_sha1sum"], str) or not _SHA1.match(value["mbox_sha1sum"]):
            _fail(f"{path}.mbox_sha1sum", "must be 40 hexadecimal characters")
    if "openid" in value:
        n += 1
        iri(value["openid"], f"{path}.openid")
    if "account" in value:
        n += 1
        acct = _obj(value["account"], f"{path}.account", {"homePage", "name"}, {"homePage", "name"})
        iri(acct["homePage"], f"{path}.account.homePage")
        _str(acct["name"], f"{path}.account.name")
    return n


def _group(value: dict, path: str, version: str) -> None:
    _obj(
        value,
        path,
        {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"},
    )
    if "name" in value:
        _str(value["name"], f"{path}.name")
    n = _ifi_count(value, path)
    if n > 1:
        _fail(path, "a Group has at most one identifier")
    members = value.get("member")
    if n == 0 and not members:
        _fail(path, "an anonymous Group must list its members")
    if members is not None:
        if not isinstance(members, list):
            _fail(f"{path}.member", "must be an array")
        for i, m in enumerate(members):
            agent(m, f"{path}.member[{i}]", group_ok=False, version=version)


def verb(value, path: str = "verb") -> None:
    _obj(value, path, {"id", "display"}, {"id"})
    iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def _component_list(value, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, "must be an array")
    seen = set()
    for i, comp in enumerate(value):
        c = _obj(comp, f"{path}[{i}]", {"id", "description"}, {"id"})
        _str(c["id"], f"{path}[{i}].id")
        if c["id"] in seen:
            _fail(f"{path}[{i}].id", "must be unique")
        seen.add(c["id"])
        if "description" in c:
            language_map(c["description"], f"{path}[{i}].description")


def activity(value, path: str) -> None:
    a = _obj(value, path, {"objectType", "id", "definition"}, {"id"})
    if a.get("objectType", "Activity") != "Activity":
        _fail(f"{path}.objectType", "must be Activity")
    iri(a["id"], f"{path}.id")
    if "definition" not in a:
        return
    d = _obj(
        a["definition"],
        f"{path}.definition",
        {
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            "choices",
            "scale",
            "source",
            "target",
            "steps",
        },
    )
    for key in ("name", "description"):
        if key in d:
            language_map(d[key], f"{path}.definition.{key}")
    for key in ("type", "moreInfo"):
        if key in d:
            iri(d[key], f"{path}.definition.{key}")
    if "extensions" in d:
        extensions(d["extensions"], f"{path}.definition.extensions")
    itype = d.get("interactionType")
    if itype is not None and (not isinstance(itype, str) or itype not in INTERACTION_TYPES):
        _fail(f"{path}.definition.interactionType", "is not an xAPI interaction type")
    if "correctResponsesPattern" in d:
        if itype is None:
            _fail(f"{path}.definition", "correctResponsesPattern needs an interactionType")
        crp = d["correctResponsesPattern"]
        if not isinstance(crp, list) or not all(isinstance(x, str) for x in crp):
            _fail(f"{path}.definition.correctResponsesPattern", "must be an array of strings")
    allowed_lists = COMPONENT_LISTS.get(itype, set())
    for key in ("choices", "scale", "source", "target", "steps"):
        if key in d:
            if key not in allowed_lists:
                _fail(f"{path}.definition.{key}", f"is not allowed for interactionType {itype}")
            _component_list(d[key], f"{path}.definition.{key}")


def statement_ref(value, path: str) -> None:
    r = _obj(value, path, {"objectType", "id"}, {"objectType", "id"})
    if r["objectType"] != "StatementRef":
        _fail(f"{path}.objectType", "must be StatementRef")
    uuid_str(r["id"], f"{path}.id")


def _object(value, path: str, version: str, *, sub: bool) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind in ("Agent", "Group"):
        agent(value, path, version=version)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement" and not sub:
        _substatement(value, path, version)
    else:
        _fail(f"{path}.objectType", f"{kind!r} is not allowed here")


def result(value, path: str = "result") -> None:
    r = _obj(value, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in r:
        s = _obj(r["score"], f"{path}.score", {"scaled", "raw", "min", "max"})
        for k, v in s.items():
            if isinstance(v, bool) or not isinstance(v, int | float):
                _fail(f"{path}.score.{k}", "must be a number")
        if "scaled" in s and not -1 <= s["scaled"] <= 1:
            _fail(f"{path}.score.scaled", "must be between -1 and 1")
        if "min" in s and "max" in s and s["min"] >= s["max"]:
            _fail(f"{path}.score", "min must be less than max")
        if "raw" in s and "min" in s and s["raw"] < s["min"]:
            _fail(f"{path}.score.raw", "must not be below min")
        if "raw" in s and "max" in s and s["raw"] > s["max"]:
            _fail(f"{path}.score.raw", "must not be above max")
    for key in ("success", "completion"):
        if key in r and not isinstance(r[key], bool):
            _fail(f"{path}.{key}", "must be true or false")
    if "response" in r:
        _str(r["response"], f"{path}.response")
    if "duration" in r and (
        not isinstance(r["duration"], str) or not _DURATION.match(r["duration"])
    ):
        _fail(f"{path}.duration", "must be an ISO 8601 duration")
    if "extensions" in r:
        extensions(r["extensions"], f"{path}.extensions")


def context(value, path: str, version: str, object_kind: str) -> None:
    allowed = {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
    if version.startswith("2."):
        allowed |= {"contextAgents", "contextGroups"}
    c = _obj(value, path, allowed)
    if "registration" in c:
        uuid_str(c["registration"], f"{path}.registration")
    if "instructor" in c:
        agent(c["instructor"], f"{path}.instructor", version=version)
    if "team" in c:
        if not isinstance(c["team"], dict) or c["team"].get("objectType") != "Group":
            _fail(f"{path}.team", "must be a Group")
        agent(c["team"], f"{path}.team", version=version)
    if "contextActivities" in c:
        ca = _obj(
            c["contextActivities"],
            f"{path}.contextActivities",
            {"parent", "grouping", "category", "other"},
        )
        for key, acts in ca.items():
            for i, a in enumerate(acts if isinstance(acts, list) else [acts]):
                activity(a, f"{path}.contextActivities.{key}[{i}]")
    for key in ("revision", "platform"):
        if key in c:
            _str(c[key], f"{path}.{key}")
            if object_kind != "Activity":
                _fail(f"{path}.{key}", "is allowed only when the object is an Activity")
    if "language" in c and (not isinstance(c["language"], str) or not _LANG.match(c["language"])):
        _fail(f"{path}.language", "must be a language tag (RFC 5646)")
    if "statement" in c:
        statement_ref(c["statement"], f"{path}.statement")
    if "extensions" in c:
        extensions(c["extensions"], f"{path}.extensions")
    for key, item_type, field in (
        ("contextAgents", "contextAgent", "agent"),
        ("contextGroups", "contextGroup", "group"),
    ):
        if key not in c:
            continue
        if not isinstance(c[key], list) or not c[key]:
            _fail(f"{path}.{key}", "must be a non-empty array")
        for i, item in enumerate(c[key]):
            p = f"{path}.{key}[{i}]"
            it = _obj(item, p, {"objectType", field, "relevantTypes"}, {"objectType", field})
            if it["objectType"] != item_type:
                _fail(f"{p}.objectType", f"must be {item_type}")
            if field == "group" and (
                not isinstance(it["group"], dict) or it["group"].get("objectType") != "Group"
            ):
                _fail(f"{p}.group", "must be a Group")
            agent(it[field], f"{p}.{field}", group_ok=field == "group", version=version)
            if "relevantTypes" in it:
                rt = it["relevantTypes"]
                if not isinstance(rt, list) or not rt:
                    _fail(f"{p}.relevantTypes", "must be a non-empty array of IRIs")
                for j, t in enumerate(rt):
                    iri(t, f"{p}.relevantTypes[{j}]")


def attachments(value, path: str = "attachments") -> None:
    if not isinstance(value, list):
        _fail(path, "must be an array")
    for i, a in enumerate(value):
        p = f"{path}[{i}]"
        _obj(
            a,
            p,
            {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
            {"usageType", "display", "contentType", "length", "sha2"},
        )
        iri(a["usageType"], f"{p}.usageType")
        language_map(a["display"], f"{p}.display")
        if "description" in a:
            language_map(a["description"], f"{p}.description")
        if not isinstance(a["contentType"], str) or not _MIME.match(a["contentType"]):
            _fail(f"{p}.contentType", "must be an Internet media type")
        if isinstance(a["length"], bool) or not isinstance(a["length"], int) or a["length"] < 0:
            _fail(f"{p}.length", "must be a whole number")
        if not isinstance(a["sha2"], str) or not re.fullmatch(r"[0-9a-fA-F]{56,128}", a["sha2"]):
            _fail(f"{p}.sha2", "must be a hexadecimal SHA-2 hash")
        if "fileUrl" in a:
            iri(a["fileUrl"], f"{p}.fileUrl")


def _substatement(value, path: str, version: str) -> None:
    s = _obj(
        value,
        path,
        {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"},
        {"objectType", "actor", "verb", "object"},
    )
    _core(s, path, version, sub=True)


def _core(s: dict, path: str, version: str, *, sub: bool) -> None:
    prefix = f"{path}." if path else ""
    agent(s["actor"], f"{prefix}actor", version=version)
    verb(s["verb"], f"{prefix}verb")
    _object(s["object"], f"{prefix}object", version, sub=sub)
    kind = s["object"].get("objectType", "Activity")
    if s["verb"]["id"] == VOIDED and kind != "StatementRef":
        _fail(f"{prefix}object", "a voiding statement's object must be a StatementRef")
    if "result" in s:
        result(s["result"], f"{prefix}result")
    if "context" in s:
        context(s["context"], f"{prefix}context", version, kind)
    if "timestamp" in s:
        timestamp(s["timestamp"], f"{prefix}timestamp")
    if "attachments" in s:
        attachments(s["attachments"], f"{prefix}attachments")


def validate_statement(s, version: str = "2.0.0") -> None:
    """Raise Invalid unless `s` is a valid statement as a client may send it."""
    _obj(
        s,
        "statement",
        {
            "id",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "stored",
            "authority",
            "version",
            "attachments",
        },
        {"actor", "verb", "object"},
    )
    if "id" in s:
        uuid_str(s["id"], "id")
    if "stored" in s:
        timestamp(s["stored"], "stored")
    if "version" in s:
        v = s["version"]
        if not isinstance(v, str) or not re.fullmatch(r"(1\.0|2\.0)(\.\d+)?", v):
            _fail("version", "must be 1.0.x or 2.0.x")
    if "authority" in s:
        agent(s["authority"], "authority", version=version)
        auth = s["authority"]
        if auth.get("objectType") == "Group":
            members = auth.get("member") or []
            if any(k in auth for k in ("mbox", "mbox_sha1sum", "openid", "account")):
                _fail("authority", "a Group authority is anonymous (an OAuth consumer and user)")
            if len(members) != 2 or not any("account" in m for m in members):
                _fail("authority", "a Group authority has two members, one an OAuth account")
    _core(s, "", version, sub=False)

"""The W3C Verifiable Credentials Data Model 2.0 rules a document must follow before we sign it
or call it valid. Pure functions: each returns the list of problems it found (empty = fine).

Not checked: the digests of `relatedResource` against the resources themselves, which would
mean fetching them from the internet at run time (we never do); their form is checked.
"""

from __future__ import annotations

import re

from .dataintegrity import XSD_DATETIME

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_SRI = re.compile(r"^sha(256|384|512)-[A-Za-z0-9+/_=-]+$")
_TYPED = ("credentialStatus", "termsOfUse", "evidence", "refreshService", "credentialSchema")


def is_url(value) -> bool:
    return isinstance(value, str) and _URL.match(value) is not None


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _language_value(value) -> bool:
    """A string, a language value object, or a list of those."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return bool(value) and all(_language_value(v) for v in value)
    if isinstance(value, dict):
        return (
            isinstance(value.get("@value"), str)
            and set(value) <= {"@value", "@language", "@direction"}
            and all(isinstance(value[k], str) for k in value)
        )
    return False


def _context_problems(doc: dict, allowed_first: tuple[str, ...]) -> list[str]:
    context = doc.get("@context")
    if context is None:
        return ["@context is required"]
    items = context if isinstance(context, list) else [context]
    if not items or items[0] not in allowed_first:
        return [f"the first @context must be {allowed_first[-1]}"]
    if not all(isinstance(c, str | dict) for c in items[1:]):
        return ["@context items must be URLs or objects"]
    if not all(is_url(c) for c in items if isinstance(c, str)):
        return ["@context URLs must be absolute"]
    return []


def _type_problems(doc: dict, required: str) -> list[str]:
    types = doc.get("type")
    if types is None:
        return ["type is required"]
    types = _as_list(types)
    if not types or not all(isinstance(t, str) and t for t in types):
        return ["type must be one or more strings"]
    if required not in types:
        return [f"type must include {required}"]
    return []


def _typed_objects(doc: dict) -> list[str]:
    problems = []
    for prop in _TYPED:
        if prop not in doc:
            continue
        for item in _as_list(doc[prop]):
            if not isinstance(item, dict):
                problems.append(f"{prop} must be an object")
                continue
            if not item.get("type"):
                problems.append(f"{prop} must have a type")
            if "id" in item and not is_url(item["id"]):
                problems.append(f"{prop}.id must be a URL")
            if prop == "credentialSchema" and not is_url(item.get("id")):
                problems.append("credentialSchema must have an id that is a URL")
    return problems


def _related_resources(doc: dict) -> list[str]:
    if "relatedResource" not in doc:
        return []
    problems = []
    ids = []
    for item in _as_list(doc["relatedResource"]):
        if not isinstance(item, dict):
            problems.append("relatedResource must be an object")
            continue
        if not is_url(item.get("id")):
            problems.append("relatedResource must have an id that is a URL")
        ids.append(item.get("id"))
        sri, multibase = item.get("digestSRI"), item.get("digestMultibase")
        if sri is None and multibase is None:
            problems.append("relatedResource needs digestSRI or digestMultibase")
        if sri is not None and not (isinstance(sri, str) and _SRI.match(sri)):
            problems.append("relatedResource.digestSRI is malformed")
        if multibase is not None and not (isinstance(multibase, str) and multibase[:1] in "uz"):
            problems.append("relatedResource.digestMultibase is malformed")
    if len(ids) != len(set(map(str, ids))):
        problems.append("relatedResource ids must be unique")
    return problems


def credential_problems(doc, *, issuer_required: bool = True) -> list[str]:
    if not isinstance(doc, dict):
        return ["a credential is a JSON object"]
    v1 = isinstance(doc.get("@context"), list) and doc["@context"][:1] == [VC_V1]
    problems = _context_problems(doc, (VC_V1, VC_V2))
    problems += _type_problems(doc, "VerifiableCredential")
    if "id" in doc and not is_url(doc["id"]):
        problems.append("id must be a URL")
    issuer = doc.get("issuer")
    if issuer is None:
        if issuer_required or "issuer" in doc:
            problems.append("issuer is required")
    elif isinstance(issuer, dict):
        if not is_url(issuer.get("id")):
            problems.append("issuer.id must be a URL")
        for key in ("name", "description"):
            if key in issuer and not _language_value(issuer[key]):
                problems.append(f"issuer.{key} must be a string or a language value")
    elif not is_url(issuer):
        problems.append("issuer must be a URL or an object with an id")
    subjects = doc.get("credentialSubject")
    if subjects is None or subjects == []:
        problems.append("credentialSubject is required")
    else:
        for subject in _as_list(subjects):
            if not isinstance(subject, dict) or not subject:
                problems.append("each credentialSubject must be an object with claims")
            elif "id" in subject and not is_url(subject["id"]):
                problems.append("credentialSubject.id must be a URL")
    for key in ("name", "description"):
        if key in doc and not _language_value(doc[key]):
            problems.append(f"{key} must be a string or a language value")
    dates = ("issuanceDate", "expirationDate") if v1 else ("validFrom", "validUntil")
    for key in dates:
        if key in doc and not (isinstance(doc[key], str) and XSD_DATETIME.match(doc[key])):
            problems.append(f"{key} must be an XML Schema dateTimeStamp")
    start, end = doc.get(dates[0]), doc.get(dates[1])
    if (
        isinstance(start, str)
        and isinstance(end, str)
        and XSD_DATETIME.match(start)
        and XSD_DATETIME.match(end)
        and _instant(start) > _instant(end)
    ):
        problems.append(f"{dates[0]} must not be later than {dates[1]}")
    problems += _typed_objects(doc)
    problems += _related_resources(doc)
    return problems


def presentation_problems(doc) -> list[str]:
    if not isinstance(doc, dict):
        return ["a presentation is a JSON object"]
    problems = _context_problems(doc, (VC_V1, VC_V2))
    problems += _type_problems(doc, "VerifiablePresentation")
    if "id" in doc and not is_url(doc["id"]):
        problems.append("id must be a URL")
    holder = doc.get("holder")
    if holder is not None and not (
        is_url(holder) or (isinstance(holder, dict) and is_url(holder.get("id")))
    ):
        problems.append("holder must be a URL or an object with an id")
    if "verifiableCredential" in doc:
        creds = _as_list(doc["verifiableCredential"])
        if not all(isinstance(c, dict) for c in creds):
            problems.append("verifiableCredential values must be objects")
    return problems


def _instant(text: str):
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))

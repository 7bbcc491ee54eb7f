"""The statements the platform itself writes to its LRS about package attempts: for SCORM
(which speaks no xAPI) attempted and completed/passed/failed; for cmi5 the LMS's own
statements (launched, satisfied). They carry the attempt's registration and never make a
record entry of their own — the catalogue writes the one entry."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone

from .models import Attempt, Package
from .tracking import iso_duration

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
VERBS = {
    "attempted": ("http://adlnet.gov/expapi/verbs/attempted", "đã bắt đầu", "attempted"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "đã hoàn thành", "completed"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "đã đạt", "passed"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "chưa đạt", "failed"),
    "launched": ("http://adlnet.gov/expapi/verbs/launched", "đã mở", "launched"),
    "satisfied": ("https://w3id.org/xapi/adl/verbs/satisfied", "đã đáp ứng", "satisfied"),
}


def package_iri(package: Package) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/packages/{package.key}"


def au_iri(package: Package, ident: str) -> str:
    """The activity id the platform gives an AU it launches (the publisher's id goes in the
    context's grouping)."""
    digest = uuid.uuid5(uuid.NAMESPACE_URL, f"{package.key}|{ident}")
    return f"{package_iri(package)}/au/{digest}"


def verb(name: str) -> dict:
    iri, vi, en = VERBS[name]
    return {"id": iri, "display": {"vi": vi, "en-US": en}}


def actor(person) -> dict:
    return {"objectType": "Agent", "name": person.full_name, "account": person.xapi_account}


def client_for(package: Package):
    """The LRS client a provider's packages write through (one per provider unit)."""
    from suotdoi.records.lrs.actions import platform_client

    return platform_client(
        unit=package.lesson.course.provider.unit,
        purpose="packages",
        name="Suốt Đời e-learning packages",
    )


def write(package: Package, statements: list[dict]) -> None:
    from suotdoi.records.lrs import storage

    storage.store(
        statements, client=client_for(package), version="2.0.0", attachments={}, into_record=False
    )


def _course_object(package: Package) -> dict:
    return {
        "objectType": "Activity",
        "id": package_iri(package),
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/course",
            "name": {"vi": package.title},
        },
    }


def _statement(attempt: Attempt, name: str, *, result=None, key: str) -> dict:
    base = settings.PUBLIC_URL.rstrip("/")
    s = {
        "id": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/packages/attempt/{attempt.registration}/{key}")
        ),
        "actor": actor(attempt.person),
        "verb": verb(name),
        "object": _course_object(attempt.package),
        "context": {
            "registration": str(attempt.registration),
            "contextActivities": {
                "parent": [{"id": f"{base}/catalog/courses/{attempt.package.lesson.course_id}/"}]
            },
        },
        "timestamp": timezone.now().isoformat(),
    }
    if result:
        s["result"] = result
    return s


def attempted(attempt: Attempt) -> None:
    write(attempt.package, [_statement(attempt, "attempted", key="attempted")])


def finished(attempt: Attempt) -> None:
    """completed (and passed or failed when the content said so) for a SCORM attempt; for cmi5
    the course's satisfied statement (the AU's own statements are already in the LRS)."""
    result = {"completion": True, "duration": iso_duration(attempt.seconds)}
    if attempt.score is not None:
        result["score"] = {"scaled": round(attempt.score, 4)}
    package = attempt.package
    if package.standard == "cmi5":
        s = _statement(attempt, "satisfied", key="satisfied")
        s["object"]["id"] = package.course_iri or package_iri(package)
        s["context"]["contextActivities"]["category"] = [{"id": CMI5_CATEGORY}]
        write(package, [s])
        return
    out = [_statement(attempt, "completed", result=result, key="completed")]
    if attempt.status == Attempt.PASSED:
        out.append(_statement(attempt, "passed", result=result | {"success": True}, key="passed"))
    write(package, out)

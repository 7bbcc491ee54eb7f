"""The JSON-LD documents we sign: Open Badges 3.0 credentials, endorsements, status lists.

Only terms the shipped contexts define are used, so strict (safe-mode) verifiers accept them.
The EU micro-credential elements map as: learner → credentialSubject.identifier; title →
achievement.name; country → issuer.address; awarding body → issuer; date → validFrom; learning
outcomes → achievement.alignment (competences) and criteria; workload → creditsAvailable and the
"hours" result; level, assessment type, form of participation and quality assurance → the
achievement's resultDescription entries and criteria narrative.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
TT02_FRAMEWORK = "Khung năng lực số (Thông tư 02/2025/TT-BGDĐT)"


def public_url(path: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + path


def xsd_datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def recipient_identifiers(person, salt: str) -> list[dict]:
    """The learner: the name in clear and the email as a salted hash, so the learner can prove
    the credential is theirs by showing the email. Never the phone, not even hashed: the space of
    Vietnamese mobile numbers is so small that a salted hash is reversed in a fraction of a
    second. A phone is checked on our own check page against the issued record, rate-limited
    (ADR 0002)."""
    ids = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": person.full_name,
        }
    ]
    if person.email:
        ids.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(person.email.strip().lower(), salt),
                "salt": salt,
            }
        )
    return ids


def new_salt() -> str:
    return secrets.token_hex(8)


def issuer_profile(issuer, did: str) -> dict:
    profile = {
        "id": did,
        "type": ["Profile"],
        "name": issuer.name,
        "address": {
            "type": ["Address"],
            "addressCountry": "Việt Nam",
            "addressCountryCode": "VN",
        },
    }
    if issuer.url:
        profile["url"] = issuer.url
    if issuer.email:
        profile["email"] = issuer.email
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def achievement_id(achievement) -> str:
    return public_url(reverse("credentials:achievement", args=[achievement.uid]))


def _number(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def achievement_json(achievement, did: str) -> dict:
    from .models import CredentialKind

    achievement_type = {
        CredentialKind.COMPLETION: "Course",
        CredentialKind.ATTENDANCE: "Achievement",
        CredentialKind.RECOGNITION: "Award",
        CredentialKind.COMMENDATION: "Award",
    }[achievement.kind]
    narrative = [achievement.criteria]
    for label, value in (
        ("Kết quả học tập / Learning outcomes", achievement.learning_outcomes),
        ("Thời lượng / Workload", f"{_number(achievement.hours)} giờ" if achievement.hours else ""),
        ("Trình độ / Level", achievement.level),
        ("Hình thức đánh giá / Assessment", achievement.assessment),
        ("Hình thức tham gia / Participation", achievement.participation),
        ("Bảo đảm chất lượng / Quality assurance", achievement.issuer.quality_assurance),
    ):
        if value:
            narrative.append(f"{label}: {value}")
    data = {
        "id": achievement_id(achievement),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": "\n\n".join(narrative)},
        "inLanguage": "vi",
        "creator": {"id": did, "type": ["Profile"], "name": achievement.issuer.name},
    }
    if achievement.credits is not None:
        data["creditsAvailable"] = float(achievement.credits)
    results = []
    if achievement.hours is not None:
        results.append(
            {
                "id": data["id"] + "#hours",
                "type": ["ResultDescription"],
                "name": "Số giờ học / Learning hours",
                "resultType": "ext:LearningHours",
            }
        )
    if results:
        data["resultDescription"] = results
    alignments = [
        {
            "type": ["Alignment"],
            "targetName": tag.name,
            "targetCode": tag.code,
            "targetFramework": TT02_FRAMEWORK if tag.framework == "tt02-2025" else "Suốt Đời",
            "targetType": "ext:Competency",
            "targetUrl": public_url(f"/competences/{tag.code}"),
        }
        for tag in achievement.tags.all()
    ]
    if alignments:
        data["alignment"] = alignments
    if achievement.level:
        data["tag"] = [achievement.level]
    return data


def status_entry(status_list, index: int) -> dict:
    url = status_list_url(status_list)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_list.purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def status_list_url(status_list) -> str:
    return public_url(reverse("credentials:status_list", args=[status_list.uid]))


def credential_document(
    *,
    uid,
    person,
    achievement,
    issuer_key,
    status_list,
    status_index: int,
    issued: dt.datetime,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    hours: Decimal | None = None,
    credits: Decimal | None = None,
    evidence_url: str = "",
    evidence_narrative: str = "",
) -> dict:
    did = issuer_key.did
    subject = {
        "type": ["AchievementSubject"],
        "identifier": recipient_identifiers(person, new_salt()),
        "achievement": achievement_json(achievement, did),
    }
    if start_date:
        subject["activityStartDate"] = xsd_datetime(
            dt.datetime.combine(start_date, dt.time(), tzinfo=dt.UTC)
        )
    if end_date:
        subject["activityEndDate"] = xsd_datetime(
            dt.datetime.combine(end_date, dt.time(), tzinfo=dt.UTC)
        )
    if credits is not None:
        subject["creditsEarned"] = float(credits)
    if hours is not None and achievement.hours is not None:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": subject["achievement"]["id"] + "#hours",
                "value": _number(Decimal(hours)),
            }
        ]
    doc = {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:{uid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": issuer_profile(achievement.issuer, did),
        "validFrom": xsd_datetime(issued),
        "credentialSubject": subject,
        "credentialStatus": status_entry(status_list, status_index),
    }
    if evidence_url or evidence_narrative:
        ev = {"type": ["Evidence"]}
        if evidence_url:
            ev["id"] = evidence_url
        if evidence_narrative:
            ev["narrative"] = evidence_narrative
        doc["evidence"] = [ev]
    return doc


def status_list_document(status_list, *, encoded: str, issued: dt.datetime) -> dict:
    url = status_list_url(status_list)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": status_list.key.did,
        "validFrom": xsd_datetime(issued),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encoded,
        },
    }


def endorsement_document(*, uid, achievement, endorser, did: str, comment: str, issued) -> dict:
    return {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:{uid}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{endorser.name} xác nhận {achievement.name}",
        "issuer": issuer_profile(endorser, did),
        "validFrom": xsd_datetime(issued),
        "credentialSubject": {
            "id": achievement_id(achievement),
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }

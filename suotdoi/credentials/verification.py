"""Checking a credential: proof, issuer, status, dates, endorsements.

Works on any `eddsa-rdfc-2022` credential. Status lists and endorsements published by this
platform are read from the database; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dataintegrity as di
from . import status as bitstring
from .datamodel import credential_problems
from .models import Achievement, Credential, Endorsement, IssuerKey, StatusList

VALID, REVOKED, TAMPERED, INVALID, EXPIRED, NOT_YET = (
    "valid",
    "revoked",
    "tampered",
    "invalid",
    "expired",
    "not_yet_valid",
)

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_STATUS_PATH = re.compile(rf"/credentials/status/({_UUID})$")
_ACHIEVEMENT_PATH = re.compile(rf"/credentials/achievements/({_UUID})/?$")

MAX_DOCUMENT_BYTES = 256 * 1024

_PROOF_PROBLEMS = {
    "context": _("it names a JSON-LD context this platform does not know (it is never fetched)."),
    "jsonld": _("its content is not well-formed JSON-LD."),
    "issuer": _("the key that signed it does not belong to the issuer it names."),
    "verification_method": _("it was not signed with an Ed25519 did:key."),
    "key": _("it was not signed with an Ed25519 did:key."),
    "no_proof": _("it carries no signature."),
    "cryptosuite": _("its signature is of a kind this platform does not check."),
    "purpose": _("its signature was not made for issuing."),
    "proof_value": _("its signature is malformed."),
    "created": _("its signature has a malformed date."),
    "malformed": _("it is not a credential."),
    "data_loss": _("it contains terms no JSON-LD context defines, which a signature cannot cover."),
    "previous_proof": _("one signature refers to another that is missing."),
}


@dataclass
class EndorsementView:
    endorser: str
    comment: str
    date: str
    valid: bool


@dataclass
class Outcome:
    state: str
    message: str
    document: dict | None = None
    errors: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    issuer_known: bool = False
    issuer_name: str = ""
    endorsements: list[EndorsementView] = field(default_factory=list)
    credential: Credential | None = None

    @property
    def valid(self) -> bool:
        return self.state == VALID

    # What the page shows, read from the document.
    @property
    def recipient_name(self) -> str:
        for ident in _subject(self.document).get("identifier") or []:
            if isinstance(ident, dict) and ident.get("identityType") == "name":
                return str(ident.get("identityHash", ""))
        return ""

    @property
    def achievement_name(self) -> str:
        ach = _subject(self.document).get("achievement")
        if isinstance(ach, dict) and ach.get("name"):
            return str(ach["name"])
        return str((self.document or {}).get("name", ""))

    @property
    def achievement(self) -> dict:
        ach = _subject(self.document).get("achievement")
        return ach if isinstance(ach, dict) else {}

    @property
    def issued_on(self) -> dt.datetime | None:
        return _parse_time(
            (self.document or {}).get("validFrom") or (self.document or {}).get("issuanceDate")
        )

    def as_json(self) -> dict:
        return {
            "verified": self.valid,
            "state": self.state,
            "message": str(self.message),
            "checks": self.checks,
            "errors": self.errors,
            "warnings": [],
            "issuer": {"name": self.issuer_name, "knownToPlatform": self.issuer_known},
            "recipient": self.recipient_name,
            "achievement": self.achievement_name,
            "endorsements": [
                {"endorser": e.endorser, "comment": e.comment, "date": e.date, "verified": e.valid}
                for e in self.endorsements
            ],
        }


def _subject(document) -> dict:
    subject = (document or {}).get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    return subject if isinstance(subject, dict) else {}


def _parse_time(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_document(text: str | bytes) -> dict:
    """JSON text → dict, or ValueError with a message for people."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise ValueError(_("The credential is too large (more than 256 KB)."))
    from suotdoi.core.jsonio import BadJSON, parse_json

    try:
        document = parse_json(text)
    except BadJSON as exc:
        raise ValueError(_("This is not a credential: %(why)s") % {"why": exc.message}) from None
    if not isinstance(document, dict):
        raise ValueError(_("This is not a credential: expected a JSON object."))
    return document


def _own_path(url: str, pattern: re.Pattern) -> str | None:
    base = settings.PUBLIC_URL.rstrip("/")
    if not isinstance(url, str) or not url.startswith(base):
        return None
    m = pattern.search(url[len(base) :])
    return m.group(1) if m else None


def _status_revoked(document: dict) -> bool | None:
    """True/False for a status list we publish; None when there is none we can read."""
    entries = document.get("credentialStatus")
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return None
    answer = None
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        uid = _own_path(entry.get("statusListCredential"), _STATUS_PATH)
        if uid is None:
            continue
        sl = StatusList.objects.filter(uid=uid).only("bits", "purpose").first()
        try:
            index = int(entry.get("statusListIndex"))
        except (TypeError, ValueError):
            return True
        if sl is None or index < 0 or index >= sl.SIZE:
            return True
        if entry.get("statusPurpose") in ("revocation", "suspension") and bitstring.bit_is_set(
            bytes(sl.bits), index
        ):
            return True
        answer = False
    return answer


def endorsements_for(achievement_url: str) -> list[EndorsementView]:
    uid = _own_path(achievement_url, _ACHIEVEMENT_PATH)
    if uid is None:
        return []
    rows = (
        Endorsement.objects.filter(achievement__uid=uid, withdrawn_at__isnull=True)
        .select_related("endorser")
        .order_by("created_at")
    )
    views = []
    for e in rows:
        try:
            di.verify(e.document)
            ok = True
        except di.ProofError:
            ok = False
        views.append(
            EndorsementView(
                endorser=e.endorser.name,
                comment=e.comment,
                date=timezone.localtime(e.created_at).strftime("%d/%m/%Y"),
                valid=ok,
            )
        )
    return views


def verify_document(document: dict, *, now: dt.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    types = document.get("type") if isinstance(document, dict) else None
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return Outcome(
            INVALID,
            _("This is not a verifiable credential."),
            document if isinstance(document, dict) else None,
            errors=["type"],
        )
    problems = credential_problems(document)
    if problems:
        return Outcome(
            INVALID,
            _("Not valid: it does not follow the W3C credential data model (%(why)s).")
            % {"why": "; ".join(problems)},
            document,
            errors=problems,
        )
    try:
        proof = di.verify(document)
    except di.ProofError as exc:
        state = TAMPERED if exc.code == "signature" else INVALID
        if state == TAMPERED:
            message = _("Not valid: the content was changed after it was signed.")
        else:
            message = _("Not valid: %(why)s") % {"why": _PROOF_PROBLEMS.get(exc.code, exc)}
        return Outcome(state, message, document, errors=[exc.code])
    outcome = Outcome(VALID, _("Valid: signed by the issuer and unchanged."), document)
    outcome.checks.append("proof")
    key = IssuerKey.objects.select_related("issuer").filter(did=proof.controller).first()
    issuer = document.get("issuer")
    outcome.issuer_name = (
        key.issuer.name
        if key
        else str(issuer.get("name", ""))
        if isinstance(issuer, dict)
        else str(issuer or "")
    )
    outcome.issuer_known = key is not None
    uid = str(document.get("id", "")).removeprefix("urn:uuid:")
    if key is not None and re.fullmatch(_UUID, uid):
        outcome.credential = (
            Credential.objects.select_related("achievement").filter(uid=uid, key=key).first()
        )
    outcome.endorsements = endorsements_for(outcome.achievement.get("id", ""))
    revoked = _status_revoked(document)
    if revoked is not None:
        outcome.checks.append("status")
    valid_from = _parse_time(document.get("validFrom"))
    valid_until = _parse_time(document.get("validUntil"))
    if revoked:
        outcome.state = REVOKED
        outcome.message = _("Revoked: the issuer has withdrawn this credential.")
        outcome.errors.append("revoked")
    elif valid_until is not None and valid_until < now:
        outcome.state = EXPIRED
        outcome.message = _("Expired: this credential was valid until %(date)s.") % {
            "date": timezone.localtime(valid_until).strftime("%d/%m/%Y")
        }
        outcome.errors.append("expired")
    elif valid_from is not None and valid_from > now + dt.timedelta(minutes=5):
        outcome.state = NOT_YET
        outcome.message = _("Not valid yet: this credential starts on %(date)s.") % {
            "date": timezone.localtime(valid_from).strftime("%d/%m/%Y")
        }
        outcome.errors.append("not_yet_valid")
    return outcome


def verify_text(text: str | bytes) -> Outcome:
    try:
        document = parse_document(text)
    except ValueError as exc:
        return Outcome(INVALID, str(exc), None, errors=["malformed"])
    return verify_document(document)


def recipient_matches(document: dict, claim: str, credential: Credential | None = None) -> bool:
    """Whether `claim` (a phone or an email) names the credential's holder: an email against
    the document's hashed identity; a phone against the holder of the credential we issued
    (the document carries no phone). Callers rate-limit this."""
    from suotdoi.core.vn import normalise_phone

    from .documents import identity_hash

    candidates = {claim.strip().lower()}
    try:
        phone = normalise_phone(claim)
    except ValidationError:
        phone = None  # not a phone number: only the email form is tried
    if phone and credential is not None:
        holder_phone = getattr(credential.person, "phone", None)
        if holder_phone and holder_phone == phone:
            return True
    if phone:
        candidates.add(phone)  # credentials issued before phones left the document
    for ident in _subject(document).get("identifier") or []:
        if not isinstance(ident, dict) or not ident.get("hashed"):
            continue
        salt = str(ident.get("salt", ""))
        if any(identity_hash(c, salt) == ident.get("identityHash") for c in candidates):
            return True
    return False


def achievement_by_uid(uid) -> Achievement | None:
    return Achievement.objects.select_related("issuer").filter(uid=uid).first()

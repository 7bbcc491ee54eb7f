"""Signed statements (xAPI 2.0 part 2, "Signed Statements"): a JWS in an attachment whose
payload is the statement itself. We check its form, its algorithm and, with an x5c
certificate, the signature; and that the payload is the statement that carries it."""

from __future__ import annotations

import base64
import json
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from .validation import SIGNATURE_USAGE, Invalid

_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _hundredths(duration: str) -> str:
    """Durations compare to 0.01 s: cut any finer precision of the seconds."""
    return re.sub(r"(\d+)\.(\d{1,2})\d*S$", lambda m: f"{m.group(1)}.{m.group(2)}S", duration)


def _comparable(statement: dict) -> dict:
    s = {k: v for k, v in statement.items() if k not in ("authority", "stored", "version", "id")}
    if isinstance(s.get("result"), dict) and isinstance(s["result"].get("duration"), str):
        s["result"] = {**s["result"], "duration": _hundredths(s["result"]["duration"])}
    atts = [a for a in s.get("attachments") or [] if a.get("usageType") != SIGNATURE_USAGE]
    if atts:
        s["attachments"] = atts
    else:
        s.pop("attachments", None)
    return s


def check_signed(statement: dict, jws: bytes) -> None:
    try:
        header_b64, payload_b64, signature_b64 = jws.decode("ascii").strip().split(".")
        header = json.loads(_b64(header_b64))
        payload = json.loads(_b64(payload_b64))
        signature = _b64(signature_b64)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("the signature attachment is not a JWS (compact serialisation)") from None
    alg = header.get("alg")
    if alg not in _HASHES:
        raise Invalid("signed statements use RS256, RS384 or RS512")
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise Invalid("the signed payload is not this statement")
    if "id" in payload and "id" in statement and payload["id"].lower() != statement["id"].lower():
        raise Invalid("the signed payload is not this statement")
    chain = header.get("x5c")
    if chain:
        try:
            cert = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            cert.public_key().verify(
                signature,
                f"{header_b64}.{payload_b64}".encode(),
                padding.PKCS1v15(),
                _HASHES[alg](),
            )
        except (ValueError, InvalidSignature, TypeError):
            raise Invalid("the statement's signature does not verify") from None

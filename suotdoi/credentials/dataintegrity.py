"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite, keys as `did:key`.

Pure functions with no database: sign a JSON-LD document with an Ed25519 key, verify a signed
one. JSON-LD contexts come from files shipped in `contexts/`; nothing is fetched at run time, so
a document naming any other context is refused rather than looked up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import context_resolver, jsonld

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as varint

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise ValueError("not base58btc") from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


class ProofError(ValueError):
    """Why a proof does not hold; `code` is stable for machines, the text for people."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


# --- keys ---


def public_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + b58encode(ED25519_PUB_PREFIX + raw)


def did_key(public_key: Ed25519PublicKey) -> str:
    return "did:key:" + public_multibase(public_key)


def verification_method(public_key: Ed25519PublicKey) -> str:
    mb = public_multibase(public_key)
    return f"did:key:{mb}#{mb}"


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ProofError("key", "the key is not base58btc multibase")
    raw = b58decode(value[1:])
    if len(raw) != 34 or raw[:2] != ED25519_PUB_PREFIX:
        raise ProofError("key", "the key is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def split_did_key_method(vm: str) -> tuple[str, Ed25519PublicKey]:
    """`did:key:z6Mk…#z6Mk…` → (controller DID, public key)."""
    if not isinstance(vm, str) or not vm.startswith("did:key:z"):
        raise ProofError("verification_method", "only did:key verification methods are accepted")
    did, _, fragment = vm.partition("#")
    mb = did.removeprefix("did:key:")
    if fragment and fragment != mb:
        raise ProofError("verification_method", "the key fragment does not match the DID")
    return did, public_key_from_multibase(mb)


def did_key_document(did: str) -> dict:
    """The DID document of a did:key (resolved locally, as the method defines)."""
    mb = did.removeprefix("did:key:")
    public_key_from_multibase(mb)
    vm = f"{did}#{mb}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": mb}
        ],
        "authentication": [vm],
        "assertionMethod": [vm],
        "capabilityDelegation": [vm],
        "capabilityInvocation": [vm],
    }


# --- JSON-LD ------------------------------------------------------------------------------------


@cache
def shipped_contexts() -> dict[str, dict]:
    index = json.loads((CONTEXT_DIR / "index.json").read_text())
    return {url: json.loads((CONTEXT_DIR / name).read_text()) for url, name in index.items()}


def document_loader(url: str, options=None) -> dict:
    contexts = shipped_contexts()
    if url in contexts:
        # "static" lets pyld keep the resolved context between operations (shipped files
        # never change while the process runs).
        return {"contextUrl": None, "documentUrl": url, "document": contexts[url], "tag": "static"}
    if url.startswith("did:key:"):
        return {"contextUrl": None, "documentUrl": url, "document": did_key_document(url)}
    raise jsonld.JsonLdError(
        f"Context {url} is not shipped with Suốt Đời and is never fetched.",
        "jsonld.LoadDocumentError",
        {"url": url},
        code="loading document failed",
    )


def _fast_context_key(value) -> bytes:
    """pyld keys its cache of embedded (scoped) contexts by their JCS canonical JSON, computed
    in pure Python on every use — most of the time spent signing. Any deterministic text is a
    good enough cache key; the C JSON encoder is ~50 times faster. Falls back to JCS for values
    the encoder cannot take."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    except TypeError:
        return _jcs(value)


_jcs = context_resolver.canonicalize
context_resolver.canonicalize = _fast_context_key

# pyld re-processes every type-scoped context (OB 3.0 has one per type) on every document,
# because a non-propagating context gets a fresh clone of the active context and so misses
# pyld's own cache. Processing is a pure function of (active context, local context, base,
# flags); contexts here come from shipped files and pyld's caches, so both are stable objects.
# We remember results per (active context id, local context object): signing gets ~2× faster.
# The interop tests compare our proofs with an independent implementation.
_PROCESSED: OrderedDict = OrderedDict()
_PROCESSED_MAX = 4096
_process_context = jsonld.JsonLdProcessor._process_context


def _remembered_process_context(
    self,
    active_ctx,
    local_ctx,
    options,
    override_protected=False,
    propagate=True,
    validate_scoped=True,
    cycles=None,
):
    uid = active_ctx.get("_uuid") if hasattr(active_ctx, "get") else None
    if uid is None or cycles:
        return _process_context(
            self,
            active_ctx,
            local_ctx,
            options,
            override_protected,
            propagate,
            validate_scoped,
            cycles,
        )
    key = (uid, id(local_ctx), options.get("base"), override_protected, propagate, validate_scoped)
    hit = _PROCESSED.get(key)
    if hit is not None and hit[0] is local_ctx:
        return hit[1]
    result = _process_context(
        self, active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
    )
    _PROCESSED[key] = (local_ctx, result)  # keeps local_ctx alive, so its id stays its own
    if len(_PROCESSED) > _PROCESSED_MAX:
        _PROCESSED.popitem(last=False)
    return result


jsonld.JsonLdProcessor._process_context = _remembered_process_context


def _is_absolute(iri) -> bool:
    """pyld resolves relative references against a made-up base (DEFAULT_BASE_IRI) where
    JSON-LD with no base would drop them: either way they are not the document's own data."""
    return isinstance(iri, str) and (
        iri.startswith("_:")
        or (_ABSOLUTE.match(iri) is not None and not iri.startswith(jsonld.DEFAULT_BASE_IRI))
    )


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _check_no_loss(node) -> None:
    """After expansion every type and id must be an absolute IRI, or RDF would drop it."""
    if isinstance(node, list):
        for item in node:
            _check_no_loss(item)
        return
    if not isinstance(node, dict):
        return
    for t in node.get("@type", []) if "@value" not in node else []:
        if not _is_absolute(t):
            raise ProofError("data_loss", f"type {t!r} is not defined by any context")
    if "@id" in node and not _is_absolute(node["@id"]):
        raise ProofError("data_loss", f"identifier {node['@id']!r} is not an absolute URL")
    for key, value in node.items():
        if not key.startswith("@") or key in ("@graph", "@list", "@set", "@included"):
            _check_no_loss(value)


class _StrictProcessor(jsonld.JsonLdProcessor):
    """Expansion that refuses to lose data (the JSON-LD "safe mode" of Data Integrity)."""

    def __init__(self) -> None:
        self.dropped: list = []
        super().__init__(on_property_dropped=self.dropped.append)

    def expand(self, input_, options):
        expanded = super().expand(input_, options)
        if self.dropped:
            raise ProofError("data_loss", f"undefined term(s) would be dropped: {self.dropped[:5]}")
        _check_no_loss(expanded)
        return expanded


def _proof_error_in(exc: BaseException) -> ProofError | None:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ProofError):
            return exc
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
        seen += 1
    return None


def canonize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document, as N-Quads.

    Strict, as the Data Integrity specification asks: a term no context defines would be
    silently dropped by JSON-LD and escape the signature, so it is an error here.
    """
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }
    try:
        return _StrictProcessor().normalize(document, options)
    except jsonld.JsonLdError as exc:
        inner = _proof_error_in(exc)
        if inner is not None:
            raise inner from None
        raise ProofError("jsonld", f"the document is not valid JSON-LD here: {exc}") from None
    except ProofError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # pyld lets some malformed contexts escape as plain Python errors (seen: KeyError
        # '@vocab' on a context that redefines a protected term); they are bad input, not ours.
        raise ProofError("jsonld", f"the document is not valid JSON-LD here: {exc!r}") from None


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return (
        hashlib.sha256(canonize(proof_config).encode()).digest()
        + hashlib.sha256(canonize(document).encode()).digest()
    )


def _xsd_datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- sign and verify ---


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    *,
    created: dt.datetime | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """Return `document` with an `eddsa-rdfc-2022` proof added (a new top-level dict; nested
    values are shared with the input, which is not changed)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _xsd_datetime(created or dt.datetime.now(dt.UTC)),
        "verificationMethod": verification_method(private_key.public_key()),
        "proofPurpose": proof_purpose,
    }
    config = {"@context": unsecured["@context"], **proof}
    signature = private_key.sign(_hash_data(unsecured, config))
    proof["proofValue"] = "z" + b58encode(signature)
    return {**unsecured, "proof": proof}


@dataclass(frozen=True)
class Verified:
    controller: str  # the DID whose key made the proof
    verification_method: str
    created: str


def issuer_id(document: dict) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def verify(document: dict, *, expected_purpose: str = "assertionMethod") -> Verified:
    """Check every `eddsa-rdfc-2022` proof of the document (a proof set or chain); raise
    ProofError saying why one fails. Returns what the first proof established."""
    if not isinstance(document, dict):
        raise ProofError("malformed", "a credential is a JSON object")
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or not proofs or not all(isinstance(p, dict) for p in proofs):
        raise ProofError("no_proof", "the credential carries no proof")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" not in unsecured:
        raise ProofError("jsonld", "the credential has no @context")
    contexts = unsecured["@context"]
    for url in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(url, str) and url not in shipped_contexts():
            raise ProofError("context", f"context {url} is not shipped here and is never fetched")
    by_id = {p["id"]: p for p in proofs if isinstance(p.get("id"), str)}
    results = []
    for proof in proofs:
        previous = proof.get("previousProof")
        chained = None
        if previous is not None:
            wanted = [previous] if isinstance(previous, str) else previous
            if not isinstance(wanted, list) or not all(w in by_id for w in wanted):
                raise ProofError("previous_proof", "a proof names a previous proof that is absent")
            matching = [by_id[w] for w in wanted]
            chained = {**unsecured, "proof": matching[0] if len(matching) == 1 else matching}
        try:
            results.append(_verify_one(unsecured, proof, expected_purpose))
        except ProofError as exc:
            # A chain may also be signed over its previous proofs (the specification's form).
            if chained is None or exc.code != "signature":
                raise
            results.append(_verify_one(chained, proof, expected_purpose))
    iss = issuer_id(document)
    if (
        iss is not None
        and expected_purpose == "assertionMethod"
        and not any(r.controller == iss for r in results)
    ):
        raise ProofError("issuer", "the key that signed is not the issuer's")
    return next((r for r in results if r.controller == iss), results[0])


def _verify_one(unsecured: dict, proof: dict, expected_purpose: str) -> Verified:
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("cryptosuite", "the proof is not an eddsa-rdfc-2022 Data Integrity proof")
    if proof.get("proofPurpose") != expected_purpose:
        raise ProofError("purpose", f"the proof purpose is not {expected_purpose}")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proof_value", "the proof value is not base58btc multibase")
    created = proof.get("created")
    if created is not None and not XSD_DATETIME.match(str(created)):
        raise ProofError("created", "the proof's creation time is not a date-time")
    expires = proof.get("expires")
    if expires is not None and not XSD_DATETIME.match(str(expires)):
        raise ProofError("created", "the proof's expiry is not a date-time")
    controller, public_key = split_did_key_method(proof.get("verificationMethod"))
    try:
        signature = b58decode(value[1:])
    except ValueError:
        raise ProofError("proof_value", "the proof value is not base58btc") from None
    if len(signature) != 64:
        raise ProofError("proof_value", "the signature has the wrong length")
    if "@context" in proof and proof["@context"] != unsecured["@context"]:
        raise ProofError("jsonld", "the proof's @context differs from the credential's")
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    config["@context"] = unsecured["@context"]
    try:
        public_key.verify(signature, _hash_data(unsecured, config))
    except InvalidSignature:
        raise ProofError("signature", "the signature does not match the content") from None
    return Verified(
        controller=controller,
        verification_method=proof["verificationMethod"],
        created=str(created or ""),
    )


XSD_DATETIME = re.compile(
    r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)

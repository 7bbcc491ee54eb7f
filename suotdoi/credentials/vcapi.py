"""W3C VC-API: `POST /vc-api/credentials/issue` and `POST /vc-api/credentials/verify`.

Issue is for test suites and integrators: off unless VC_API_ISSUER_ENABLED, and it requires
`Authorization: Bearer $VC_API_TOKEN`. Verify is public. Both speak JSON only.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError
from suotdoi.core.jsonio import BadJSON, parse_json

from . import actions
from . import dataintegrity as di
from .dataintegrity import ProofError
from .datamodel import VC_V1, credential_problems, presentation_problems
from .documents import xsd_datetime
from .models import Issuer
from .verification import MAX_DOCUMENT_BYTES, verify_document

DI_V2 = "https://w3id.org/security/data-integrity/v2"


def _error(status: int, title: str, code: str) -> JsonResponse:
    return JsonResponse(
        {"type": f"https://suotdoi.vn/problems/{code}", "title": title, "status": status},
        status=status,
        content_type="application/problem+json",
    )


def _body(request) -> dict | JsonResponse:
    if len(request.body) > MAX_DOCUMENT_BYTES:
        return _error(413, "The request is larger than 256 KB.", "too_large")
    try:
        return parse_json(request.body, want_object=True)
    except BadJSON as exc:
        return _error(400, str(exc.message), "malformed")


@csrf_exempt
@require_POST
def issue(request):
    if not settings.VC_API_ISSUER_ENABLED or not settings.VC_API_TOKEN:
        return _error(404, "Issuing through the VC-API is switched off here.", "not_found")
    given = request.headers.get("Authorization", "")
    expected = f"Bearer {settings.VC_API_TOKEN}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return _error(401, "A valid bearer token is required.", "unauthorized")
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    credential = data.get("credential")
    problems = credential_problems(credential, issuer_required=False)
    if problems:
        return _error(400, "; ".join(problems), "invalid_credential")
    options = data.get("options") or {}
    if not isinstance(options, dict):
        return _error(400, "options must be a JSON object", "invalid_options")
    issuer = actions.platform_issuer()
    unit_code = options.get("unit")
    if unit_code:
        issuer = Issuer.objects.filter(unit__code=str(unit_code)).first()
        if issuer is None:
            return _error(400, "No issuer for that unit.", "unknown_issuer")
    credential = dict(credential)
    if credential["@context"][0] == VC_V1:
        if DI_V2 not in credential["@context"]:
            credential["@context"] = [*credential["@context"], DI_V2]
        credential.setdefault("issuanceDate", xsd_datetime(timezone.now()))
    try:
        signed = actions.credential_sign_document(actor=None, issuer=issuer, document=credential)
    except ApplicationError as exc:
        return _error(400, str(exc.message), exc.code)
    except ProofError as exc:  # not signable JSON-LD: an undefined term, a bad context…
        return _error(400, str(exc), exc.code)
    return JsonResponse({"verifiableCredential": signed}, status=201)


@csrf_exempt
@require_POST
def verify(request):
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    credential = data.get("verifiableCredential")
    if not isinstance(credential, dict):
        return _error(400, "verifiableCredential must be a JSON object", "invalid_credential")
    outcome = verify_document(credential)
    body = outcome.as_json()
    return JsonResponse(body, status=200 if outcome.valid else 400)


@csrf_exempt
@require_POST
def verify_presentation(request):
    """A presentation signed for `authentication`, with every credential in it checked."""
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    vp = data.get("verifiablePresentation")
    options = data.get("options") or {}
    problems = presentation_problems(vp)
    if problems:
        return JsonResponse({"verified": False, "errors": problems, "warnings": []}, status=400)
    errors: list[str] = []
    checks = []
    if "proof" in vp:
        try:
            di.verify(vp, expected_purpose="authentication")
            checks.append("proof")
        except ProofError as exc:
            errors.append(f"presentation: {exc}")
        proof = vp["proof"] if isinstance(vp["proof"], dict) else (vp["proof"] or [{}])[0]
        for key in ("challenge", "domain"):
            if isinstance(options, dict) and options.get(key) and proof.get(key) != options[key]:
                errors.append(f"presentation: the {key} does not match")
    elif isinstance(options, dict) and (options.get("challenge") or options.get("domain")):
        errors.append("presentation: a challenge was given but the presentation is not signed")
    creds = vp.get("verifiableCredential", [])
    for i, credential in enumerate(creds if isinstance(creds, list) else [creds]):
        outcome = verify_document(credential)
        if not outcome.valid:
            errors.extend(f"verifiableCredential[{i}]: {e}" for e in outcome.errors)
    body = {"verified": not errors, "checks": checks, "errors": errors, "warnings": []}
    return JsonResponse(body, status=200 if not errors else 400)

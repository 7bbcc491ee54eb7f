"""W3C VC-API: `POST /vc-api/credentials/issue` and `POST /vc-api/credentials/verify`.

Issue is for test suites and integrators: off unless VC_API_ISSUER_ENABLED, and it requires
`Authorization: Bearer $VC_API_TOKEN`. Verify is public. Both speak JSON only.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError

from . import actions
from .documents import VC_V2, xsd_datetime
from .models import Issuer
from .verification import MAX_DOCUMENT_BYTES, verify_document

VC_V1 = "https://www.w3.org/2018/credentials/v1"
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
        data = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "The body is not valid JSON.", "malformed")
    if not isinstance(data, dict):
        return _error(400, "The body must be a JSON object.", "malformed")
    return data


def _check_shape(credential) -> str | None:
    if not isinstance(credential, dict):
        return "credential must be a JSON object"
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] not in (VC_V1, VC_V2):
        return "@context must be a list starting with a W3C credentials context"
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return "type must be a list including VerifiableCredential"
    subject = credential.get("credentialSubject")
    if not subject or not isinstance(subject, dict | list):
        return "credentialSubject is required"
    if "id" in credential and not isinstance(credential["id"], str):
        return "id must be a URL"
    return None


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
    problem = _check_shape(credential)
    if problem:
        return _error(400, problem, "invalid_credential")
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

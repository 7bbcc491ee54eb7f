"""HTTP conveniences of the API (/api/v1/): `Idempotency-Key` on writes and ETags on reads."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _

from suotdoi.core.problems import problem

PREFIX = "/api/v1/"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
MAX_KEY = 200
MAX_STORED = 1024 * 1024  # answers larger than this are not kept for replay


def _owner_key(request) -> str | None:
    """Keys belong to a bearer token (machines retry; browsers send no key). A replay is only
    given to a token that still works."""
    from .tokens import authenticate_bearer

    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if not auth.lower().startswith("bearer "):
        return None
    person = authenticate_bearer(auth[7:])
    if person is None:
        return None
    request._suotdoi_bearer = (auth[7:], person)  # the API's auth reuses it: one lookup
    return hashlib.sha256(auth.encode()).hexdigest()


class ApiHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method in WRITES and "HTTP_IDEMPOTENCY_KEY" in request.META:
            return self._idempotent(request)
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            return self._etag(request, response)
        return response

    def _etag(self, request, response):
        if response.status_code != 200 or response.streaming or response.has_header("ETag"):
            return response
        tag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = tag
        wanted = [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]
        if tag in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = tag
            return not_modified
        return response

    def _idempotent(self, request):
        from .models import IdempotentRequest

        key = request.META["HTTP_IDEMPOTENCY_KEY"].strip()
        if not key or len(key) > MAX_KEY:
            return problem(
                422, "invalid", _("The Idempotency-Key header must be 1 to 200 characters.")
            )
        owner = _owner_key(request)
        if owner is None:
            return self.get_response(request)  # a browser, or no valid token: no replay
        body_sha = hashlib.sha256(request.body).hexdigest()
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    owner_key=owner,
                    key=key,
                    method=request.method,
                    url=request.path[:500],
                    body_sha256=body_sha,
                )
        except IntegrityError:
            prior = IdempotentRequest.objects.filter(owner_key=owner, key=key).first()
            if prior is None:
                return problem(409, "conflict", _("Try again."))
            same = (prior.method, prior.url, prior.body_sha256) == (
                request.method,
                request.path[:500],
                body_sha,
            )
            if not same:
                return problem(
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request."),
                )
            if prior.status == 0:
                return problem(
                    409, "in_progress", _("The first request with this key is still running.")
                )
            replay = HttpResponse(
                bytes(prior.body), status=prior.status, content_type=prior.content_type
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in (401, 429):
            IdempotentRequest.objects.filter(pk=row.pk).delete()  # a retry may succeed
            return response
        content = b"" if response.streaming else response.content
        if len(content) > MAX_STORED:
            content = b""
        IdempotentRequest.objects.filter(pk=row.pk).update(
            status=response.status_code,
            content_type=response.get("Content-Type", "")[:100],
            body=content,
        )
        return response

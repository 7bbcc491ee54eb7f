"""The document resources of the LRS: state, activity profiles and agent profiles, with
their concurrency rules (ETag, If-Match, If-None-Match) per xAPI 1.0.3 and 2.0."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from .agents import agent_key, parse_agent_param
from .http import XapiRequest, error, load_json, moment, respond
from .models import Document
from .validation import iri, uuid_str

DOC_PARAMS = {
    Document.STATE: (
        {"activityId", "agent", "registration", "stateId", "since"},
        {"activityId", "agent"},
        "stateId",
    ),
    Document.ACTIVITY_PROFILE: ({"activityId", "profileId", "since"}, {"activityId"}, "profileId"),
    Document.AGENT_PROFILE: ({"agent", "profileId", "since"}, {"agent"}, "profileId"),
}


def _etag(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - an ETag, not security


def documents(kind: str):
    def handler(xr: XapiRequest, client, version: str):
        allowed, required, id_param = DOC_PARAMS[kind]
        params = xr.params
        unknown = set(params) - allowed
        if unknown:
            return error(400, f"unknown parameter(s) {sorted(unknown)}", version)
        missing = required - set(params)
        if missing:
            return error(400, f"missing parameter(s) {sorted(missing)}", version)
        key = {"scope": client.key, "kind": kind}
        key["activity_id"] = (
            iri(params["activityId"], "activityId") if "activityId" in params else ""
        )
        key["agent_key"] = (
            agent_key(parse_agent_param(params["agent"])) if "agent" in params else ""
        )
        key["registration"] = (
            uuid_str(params["registration"], "registration").lower()
            if "registration" in params
            else ""
        )
        guard = getattr(client, "guard", None)
        own = kind == Document.ACTIVITY_PROFILE or guard is None
        if not own and key["agent_key"] != guard.agent_key():
            return error(403, "a launch reads and writes only its own learner's documents", version)
        doc_id = params.get(id_param)
        if doc_id is None:
            if xr.method in ("PUT", "POST"):
                return error(400, f"{id_param} is required", version)
            if xr.method == "DELETE":
                if kind != Document.STATE:
                    return error(400, f"{id_param} is required", version)
                Document.objects.filter(**key).delete()
                return respond(204, version=version)
            qs = Document.objects.filter(**key)
            if "since" in params:
                qs = qs.filter(updated__gt=moment(params["since"], "since"))
            return respond(200, list(qs.values_list("doc_id", flat=True)), version=version)
        if "since" in params:
            return error(400, "since goes with a list request, not one document", version)
        key["doc_id"] = doc_id
        return _document(xr, key, kind, version)

    return handler


def _document(xr: XapiRequest, key: dict, kind: str, version: str):
    with transaction.atomic():
        doc = Document.objects.select_for_update().filter(**key).first()
        if xr.method in ("GET", "HEAD"):
            if doc is None:
                return error(404, "no such document", version)
            return respond(
                200,
                bytes(doc.content),
                content_type=doc.content_type,
                headers={
                    "ETag": f'"{doc.etag}"',
                    "Last-Modified": doc.updated.strftime("%a, %d %b %Y %H:%M:%S GMT"),
                },
                version=version,
            )
        if_match = xr.header("If-Match")
        if_none = xr.header("If-None-Match")
        if if_match is not None and (doc is None or not _etag_in(doc.etag, if_match)):
            return error(412, "If-Match does not match the document", version)
        if (
            if_none is not None
            and doc is not None
            and (if_none.strip() == "*" or _etag_in(doc.etag, if_none))
        ):
            return error(412, "If-None-Match: the document exists", version)
        if xr.method == "DELETE":
            if doc is not None:
                doc.delete()
            return respond(204, version=version)
        content = xr.body
        content_type = xr.header("Content-Type") or "application/octet-stream"
        # A new document needs no precondition (xAPI 1.0.3 and 2.0): only a PUT over an
        # existing profile (or, in 2.0, state) without If-Match / If-None-Match is a conflict.
        if (
            xr.method == "PUT"
            and if_match is None
            and if_none is None
            and doc is not None
            and (kind != Document.STATE or version.startswith("2."))
        ):
            return error(409, "the document exists: send If-Match or If-None-Match", version)
        if xr.method == "POST" and doc is not None:
            if not (
                doc.content_type.startswith("application/json")
                and xr.content_type == "application/json"
            ):
                return error(400, "POST merges JSON documents only", version)
            try:
                old, new = load_json(bytes(doc.content)), load_json(content)
            except ValueError as exc:
                return error(400, str(exc), version)
            if not isinstance(old, dict) or not isinstance(new, dict):
                return error(400, "POST merges JSON objects only", version)
            content = json.dumps({**old, **new}, ensure_ascii=False).encode()
            content_type = "application/json"
        elif xr.content_type == "application/json":
            try:
                parsed = load_json(content)
            except ValueError as exc:
                return error(400, str(exc), version)
            if xr.method == "POST" and not isinstance(parsed, dict):
                return error(400, "POST takes a JSON object", version)
        now = timezone.now()
        if doc is None:
            Document.objects.create(
                **key, content=content, content_type=content_type, etag=_etag(content), updated=now
            )
        else:
            doc.content, doc.content_type, doc.etag, doc.updated = (
                content,
                content_type,
                _etag(content),
                now,
            )
            doc.save()
    return respond(204, version=version)


def _etag_in(etag: str, header: str) -> bool:
    tags = [t.strip().strip('"').removeprefix("W/").strip('"') for t in header.split(",")]
    return "*" in tags or etag in tags

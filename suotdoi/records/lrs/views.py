"""The xAPI resources under /xapi/: statements, documents, activities, agents, about."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import hashlib
import json
import uuid

from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from suotdoi.core import dbrouting

from . import cors, storage
from .agents import agent_key, parse_agent_param
from .auth import client_from_header
from .documents import documents
from .http import LATEST, SUPPORTED, XapiRequest, error, load_json, moment, parse_alternate, respond
from .models import Activity, Attachment, Document, Statement, StatementAgent
from .signatures import check_signed
from .validation import SIGNATURE_USAGE, Invalid, iri, uuid_str, validate_statement

MAX_LIMIT = 500
MORE_MAX_AGE = 24 * 3600
STATEMENT_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "more",
}
MORE_SALT = "suotdoi.lrs.more.v2"


def _version_of(xr: XapiRequest) -> str:
    return "1.0.3" if xr.version.startswith("1.") else LATEST


def endpoint(resource: str):
    @csrf_exempt
    def view(request):
        if request.method == "OPTIONS":
            return cors.preflight(request)
        client = None
        try:
            response, client = _answer(request, resource)
        except RequestDataTooBig:
            response = error(413, "the request is larger than this LRS accepts (5 MB)")
        return cors.decorate(request, response, client, public=resource == "about")

    return view


def _answer(request, resource: str):
    """(the response, the client that made the request or None)."""
    xr = XapiRequest(request)
    problem = parse_alternate(xr)
    if problem:
        return error(400, problem), None
    if resource == "about":
        if xr.method not in ("GET", "HEAD"):
            return error(405, "About answers GET and HEAD"), None
        # A 1.0.x client (TinCanPython, older content) refuses an About naming a version it
        # does not know, so it is told the 1.0 line; everyone else hears both.
        versions = ["1.0.3"] if xr.version.startswith("1.") else ["1.0.3", "2.0.0"]
        return _head(xr, respond(200, {"version": versions, "extensions": {}})), None
    if not xr.version:
        return error(400, "X-Experience-API-Version header is required"), None
    if not SUPPORTED.match(xr.version):
        return error(400, f"xAPI version {xr.version} is not supported"), None
    version = _version_of(xr)
    if xr.alternate and version.startswith("2."):
        return error(400, "xAPI 2.0 has no alternate request syntax", version), None
    client = client_from_header(xr.header("Authorization"))
    if client is None:
        response = error(401, "LRS client credentials (HTTP Basic) are required", version)
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
        return response, None
    handler = HANDLERS[resource]
    try:
        return _head(xr, handler(xr, client, version)), client
    except Invalid as exc:
        return error(400, str(exc), version), client
    except storage.BadRequest as exc:
        return error(400, str(exc), version), client
    except storage.Conflict as exc:
        return error(409, str(exc), version), client
    except storage.Forbidden as exc:
        return error(403, str(exc), version), client


def _head(xr: XapiRequest, response):
    if xr.method == "HEAD":
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response


# --- statements ---------------------------------------------------------------------------


def statements(xr: XapiRequest, client, version: str):
    if xr.method in ("GET", "HEAD"):
        return dbrouting.lagging(_get_statements_answer, xr, client, version)
    if xr.method == "PUT":
        sid = xr.params.get("statementId")
        if not sid or set(xr.params) - {"statementId"}:
            return error(400, "PUT needs statementId and nothing else", version)
        uuid_str(sid, "statementId")
        statements_, attachments = _read_statements(xr, version)
        if not isinstance(statements_, dict):
            return error(400, "PUT takes one statement", version)
        if "id" in statements_ and statements_["id"].lower() != sid.lower():
            return error(400, "the statement id differs from statementId", version)
        statements_["id"] = sid.lower()
        _store([statements_], client, version, attachments)
        return respond(204, version=version)
    if xr.method == "POST":
        if xr.params:
            return error(400, "POST /statements takes no parameters", version)
        statements_, attachments = _read_statements(xr, version)
        batch = statements_ if isinstance(statements_, list) else [statements_]
        if not batch:
            return error(400, "no statements", version)
        ids = _store(batch, client, version, attachments)
        return respond(200, ids, version=version)
    return error(405, "statements answer GET, HEAD, PUT and POST", version)


def _store(batch, client, version, attachments):
    """Store a batch; a client acting for one launch of content (it carries a guard) has the
    batch checked against the content's rules first, and the platform, not the LRS, decides
    what reaches the record."""
    guard = getattr(client, "guard", None)
    if guard is None:
        return storage.store(batch, client=client, version=version, attachments=attachments)
    from django.db import transaction

    with transaction.atomic():
        guard.check(batch)
        ids = storage.store(
            batch, client=client, version=version, attachments=attachments, into_record=False
        )
        guard.stored(batch)
    return ids


def _read_statements(xr: XapiRequest, version: str):
    """The statements of a PUT/POST, validated, with their attachment parts checked."""
    parts: dict[str, tuple[str, bytes]] = {}
    if xr.content_type == "multipart/mixed":
        raw, parts = _parse_multipart(xr)
    elif xr.content_type == "application/json":
        raw = xr.body
    else:
        raise Invalid("Content-Type must be application/json or multipart/mixed")
    try:
        data = load_json(raw)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    batch = data if isinstance(data, list) else [data]
    needed: set[str] = set()
    for i, s in enumerate(batch):
        try:
            validate_statement(s, version)
        except Invalid as exc:
            raise Invalid(f"statement {i}: {exc}") from None
        for a in s.get("attachments") or []:
            if "fileUrl" not in a or a["sha2"] in parts:
                needed.add(a["sha2"])
            if a["usageType"] == SIGNATURE_USAGE:
                if a["contentType"] != "application/octet-stream":
                    raise Invalid("a signature attachment has contentType application/octet-stream")
                if a["sha2"] not in parts:
                    raise Invalid("the signature attachment's part is missing")
                check_signed(s, parts[a["sha2"]][1])
    missing = needed - set(parts)
    if missing:
        raise Invalid(f"attachment parts missing for {sorted(missing)[:3]}")
    extra = set(parts) - needed
    if extra:
        raise Invalid("a part matches no attachment of the statements")
    return data, parts


def _parse_multipart(xr: XapiRequest):
    header = f"Content-Type: {xr.header('Content-Type')}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + xr.body)
    if not message.is_multipart():
        raise Invalid("multipart/mixed body could not be read")
    parts = list(message.iter_parts())
    if not parts or parts[0].get_content_type() != "application/json":
        raise Invalid("the first part must be the statements (application/json)")
    raw = parts[0].get_payload(decode=True) or b""
    attachments: dict[str, tuple[str, bytes]] = {}
    for part in parts[1:]:
        sha2 = part.get("X-Experience-API-Hash")
        if not sha2:
            raise Invalid("each attachment part needs X-Experience-API-Hash")
        if (part.get("Content-Transfer-Encoding") or "binary").lower() != "binary":
            raise Invalid("attachment parts use Content-Transfer-Encoding: binary")
        content = part.get_payload(decode=True) or b""
        digest = {
            64: hashlib.sha256,
            96: hashlib.sha384,
            128: hashlib.sha512,
            56: hashlib.sha224,
        }.get(len(sha2), hashlib.sha256)(content).hexdigest()
        if digest != sha2.lower():
            raise Invalid("an attachment part does not match its X-Experience-API-Hash")
        attachments[sha2] = (part.get_content_type(), content)
    return raw, attachments


def _bool(value: str | None, name: str) -> bool:
    if value is None:
        return False
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Invalid(f"{name}: must be true or false")


def _get_statements_answer(xr: XapiRequest, client, version: str):
    """Statements may be read from the replica: they are consistent up to its lag."""
    now = timezone.now()
    lag = dbrouting.lag_seconds()
    consistent = storage.iso(now - dt.timedelta(seconds=lag) if lag else now)
    try:
        response = _get_statements(xr, client, version)
    except Invalid as exc:
        response = error(400, str(exc), version)
    response["X-Experience-API-Consistent-Through"] = consistent
    return response


def _get_statements(xr: XapiRequest, client, version: str):
    params = dict(xr.params)
    unknown = set(params) - STATEMENT_PARAMS
    if unknown:
        return error(400, f"unknown parameter(s) {sorted(unknown)}", version)
    fmt = params.get("format", "exact")
    if fmt not in ("ids", "exact", "canonical"):
        return error(400, "format is ids, exact or canonical", version)
    with_attachments = _bool(params.get("attachments"), "attachments")
    headers: dict[str, str] = {}
    single = params.get("statementId") or params.get("voidedStatementId")
    guard = getattr(client, "guard", None)
    if (
        guard is not None
        and single is None
        and "more" not in params
        and str(params.get("registration", "")).lower() != guard.registration()
    ):
        raise storage.Forbidden("a launch reads only the statements of its own registration")
    if single is not None:
        if "statementId" in params and "voidedStatementId" in params:
            return error(400, "statementId and voidedStatementId together", version)
        if set(params) - {"statementId", "voidedStatementId", "format", "attachments"}:
            return error(400, "a single statement takes only format and attachments", version)
        uuid_str(single, "statementId")
        row = storage.get_one(client, single.lower(), voided="voidedStatementId" in params)
        if row is not None and guard is not None and str(row.registration) != guard.registration():
            row = None
        if row is None:
            return error(404, "no such statement", version)
        headers["Last-Modified"] = row.data.get("stored", "")
        return _statement_response(
            [row], None, fmt, with_attachments, xr, version, headers, single=True
        )
    after_seq = None
    if "more" in params:
        try:
            state = signing.loads(params["more"], salt=MORE_SALT, max_age=MORE_MAX_AGE)
            params, after_seq = dict(state["params"]), int(state["after"])
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            return error(400, "the more link is not valid (or older than 24 hours)", version)
        fmt = params.get("format", "exact")
        with_attachments = params.get("attachments") == "true"
    query: dict = {}
    if "agent" in params:
        query["agent_key"] = agent_key(parse_agent_param(params["agent"]))
    if "verb" in params:
        query["verb"] = iri(params["verb"], "verb")
    if "activity" in params:
        query["activity"] = iri(params["activity"], "activity")
    if "registration" in params:
        query["registration"] = uuid_str(params["registration"], "registration").lower()
    for name in ("related_agents", "related_activities", "ascending"):
        query[name] = _bool(params.get(name), name)
    if "since" in params:
        query["since"] = moment(params["since"], "since")
    if "until" in params:
        query["until"] = moment(params["until"], "until")
    try:
        limit = int(params.get("limit", "0"))
    except ValueError:
        return error(400, "limit is a whole number", version)
    if limit < 0:
        return error(400, "limit is a whole number", version)
    limit = MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)
    rows = storage.query(client, query, after_seq=after_seq, limit=limit)
    more = ""
    if len(rows) > limit:
        rows = rows[:limit]
        # Opaque and URL-safe (base64url and ':'): filters holding &, + or # survive any client.
        token = signing.dumps(
            {"params": params, "after": rows[-1].seq}, salt=MORE_SALT, compress=True
        )
        more = f"/xapi/statements?more={token}"
    return _statement_response(rows, more, fmt, with_attachments, xr, version, headers)


def _statement_response(rows, more, fmt, with_attachments, xr, version, headers, single=False):
    languages = _accept_languages(xr.header("Accept-Language"))
    docs = [_format(r.data, fmt, languages) for r in rows]
    body = docs[0] if single else {"statements": docs, "more": more or ""}
    if not with_attachments:
        return respond(200, body, headers=headers, version=version)
    hashes = []
    for r in rows:
        for h in r.attachment_hashes or []:
            if h not in hashes:
                hashes.append(h)
    stored = {a.sha2: a for a in Attachment.objects.filter(sha2__in=hashes)}
    boundary = uuid.uuid4().hex
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(body, ensure_ascii=False).encode(),
    ]
    for h in hashes:
        a = stored.get(h)
        if a is None:
            continue
        chunks.append(
            f"\r\n--{boundary}\r\nContent-Type: {a.content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {h}\r\n\r\n".encode()
        )
        chunks.append(bytes(a.content))
    chunks.append(f"\r\n--{boundary}--".encode())
    return respond(
        200,
        b"".join(chunks),
        content_type=f'multipart/mixed; boundary="{boundary}"',
        headers=headers,
        version=version,
    )


def _accept_languages(header: str | None) -> list[str]:
    out = []
    for item in (header or "").split(","):
        tag = item.split(";")[0].strip()
        if tag and tag != "*":
            out.append(tag.lower())
    return out


def _format(data: dict, fmt: str, languages: list[str]) -> dict:
    if fmt == "exact":
        return data
    if fmt == "ids":
        return _ids_only(data)
    return _canonical(data, languages)


def _ids_only(node):
    if isinstance(node, list):
        return [_ids_only(x) for x in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("objectType")
    if kind in ("Agent", "Group") or (kind is None and agent_key(node)):
        if kind == "Group" and agent_key(node) is None:
            return {"objectType": "Group", "member": [_ids_only(m) for m in node["member"]]}
        slim = {k: node[k] for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in node}
        if kind:
            slim["objectType"] = kind
        return slim
    if kind in (None, "Activity") and "id" in node and "verb" not in node and "actor" not in node:
        return {"id": node["id"]}
    out = {}
    for k, v in node.items():
        if k == "verb" and isinstance(v, dict):
            out[k] = {"id": v["id"]}
        elif k == "definition":
            continue
        else:
            out[k] = _ids_only(v)
    return out


def _canonical(node, languages):
    if isinstance(node, list):
        return [_canonical(x, languages) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if (
            k in ("display", "name", "description")
            and isinstance(v, dict)
            and v
            and all(isinstance(x, str) for x in v.values())
        ):
            pick = next((t for t in v if t.lower() in languages), None)
            pick = pick or next(
                (
                    t
                    for t in v
                    for lang in languages
                    if t.lower().split("-")[0] == lang.split("-")[0]
                ),
                None,
            )
            pick = pick or next(iter(v))
            out[k] = {pick: v[pick]}
        elif k == "definition" and isinstance(v, dict) and node.get("id"):
            known = Activity.objects.filter(activity_id=node["id"]).first()
            out[k] = _canonical(known.definition if known else v, languages)
        else:
            out[k] = _canonical(v, languages)
    return out


# --- activities, agents ------------------------------------------------------------------------


def activities(xr: XapiRequest, client, version: str):
    if xr.method not in ("GET", "HEAD"):
        return error(405, "activities answer GET", version)
    if set(xr.params) != {"activityId"}:
        return error(400, "activityId is required, and alone", version)
    activity_id = iri(xr.params["activityId"], "activityId")
    known = Activity.objects.filter(activity_id=activity_id).first()
    body = {"objectType": "Activity", "id": activity_id}
    if known and known.definition:
        body["definition"] = known.definition
    return respond(200, body, version=version)


def agents_resource(xr: XapiRequest, client, version: str):
    if xr.method not in ("GET", "HEAD"):
        return error(405, "agents answer GET", version)
    if set(xr.params) != {"agent"}:
        return error(400, "agent is required, and alone", version)
    a = parse_agent_param(xr.params["agent"])
    person = {"objectType": "Person"}
    if "name" in a:
        person["name"] = [a["name"]]
    for k in ("mbox", "mbox_sha1sum", "openid"):
        if k in a:
            person[k] = [a[k]]
    if "account" in a:
        person["account"] = [a["account"]]
    key = agent_key(a)
    if key and StatementAgent.objects.filter(agent_key=key).exists():
        names = set(person.get("name", []))
        for row in Statement.objects.filter(actor_key=key).only("data")[:20]:
            n = row.data.get("actor", {}).get("name")
            if n:
                names.add(n)
        if names:
            person["name"] = sorted(names)
    return respond(200, person, version=version)


HANDLERS = {
    "statements": statements,
    "state": documents(Document.STATE),
    "activity_profile": documents(Document.ACTIVITY_PROFILE),
    "agent_profile": documents(Document.AGENT_PROFILE),
    "activities": activities,
    "agents": agents_resource,
}

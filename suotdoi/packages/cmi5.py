"""The platform as a cmi5 LMS: what it writes before a launch (LMS.LaunchData, launched), the
one-time fetch of the auth token, and the rules every statement sent with that token must
keep (cmi5 §9–10) before the LRS stores it; moveOn decides when an AU is done."""

from __future__ import annotations

import base64
import json
import secrets

from django.db import transaction
from django.utils import timezone

from suotdoi.records.lrs.storage import Forbidden

from .models import ItemState, Launch
from .statements import (
    CMI5_CATEGORY,
    SESSION_EXT,
    actor,
    au_iri,
    client_for,
    verb,
    write,
)

V = "http://adlnet.gov/expapi/verbs/"
INITIALIZED, TERMINATED = V + "initialized", V + "terminated"
COMPLETED, PASSED, FAILED = V + "completed", V + "passed", V + "failed"
LMS_ONLY = {
    V + "launched",
    V + "abandoned",
    V + "waived",
    "https://w3id.org/xapi/adl/verbs/satisfied",
    "https://w3id.org/xapi/adl/verbs/abandoned",
    "https://w3id.org/xapi/adl/verbs/waived",
}
DEFINED = {INITIALIZED, TERMINATED, COMPLETED, PASSED, FAILED}
TOKEN_PREFIX = "cmi5-"  # noqa: S105 - the key prefix of a launch's credentials, not a secret


class Refused(Forbidden):
    """A statement the cmi5 rules forbid (403)."""


def context_template(launch: Launch, item: dict) -> dict:
    return {
        "registration": str(launch.attempt.registration),
        "contextActivities": {"grouping": [{"id": item["ident"]}]},
        "extensions": {SESSION_EXT: str(launch.session)},
    }


def prepare_launch(launch: Launch, item: dict, person) -> None:
    """LMS.LaunchData in the state document, and the launched statement."""
    from suotdoi.records.lrs.agents import agent_key
    from suotdoi.records.lrs.documents import _etag
    from suotdoi.records.lrs.models import Document

    package = launch.attempt.package
    client = client_for(package)
    data = {
        "contextTemplate": context_template(launch, item),
        "launchMode": "Normal",
        "launchMethod": item.get("launch_method") or "AnyWindow",
        "moveOn": item.get("move_on") or "NotApplicable",
        "returnURL": f"{launch.parent_origin}/packages/lessons/{package.lesson_id}/",
    }
    if item.get("mastery") is not None:
        data["masteryScore"] = item["mastery"]
    if item.get("launch_parameters"):
        data["launchParameters"] = item["launch_parameters"]
    if item.get("entitlement_key"):
        data["entitlementKey"] = {"courseStructure": item["entitlement_key"]}
    content = json.dumps(data).encode()
    key = {
        "scope": client.key,
        "kind": Document.STATE,
        "activity_id": au_iri(package, item["ident"]),
        "agent_key": agent_key(actor(person)),
        "registration": str(launch.attempt.registration),
        "doc_id": "LMS.LaunchData",
    }
    Document.objects.update_or_create(
        **key,
        defaults={
            "content": content,
            "content_type": "application/json",
            "etag": _etag(content),
            "updated": timezone.now(),
        },
    )
    s = _lms_statement(launch, item, "launched")
    s["context"]["extensions"] |= {
        "https://w3id.org/xapi/cmi5/context/extensions/launchmode": "Normal",
        "https://w3id.org/xapi/cmi5/context/extensions/launchurl": item["href"],
        "https://w3id.org/xapi/cmi5/context/extensions/moveon": data["moveOn"],
    }
    write(package, [s])
    if data["moveOn"] == "NotApplicable":  # satisfied by being launched (cmi5 §10)
        from .actions import _roll_up
        from .models import Attempt

        with transaction.atomic():
            n = ItemState.objects.filter(
                attempt=launch.attempt, ident=item["ident"], satisfied=False
            ).update(satisfied=True)
            if n:
                _roll_up(Attempt(pk=launch.attempt_id))


def _lms_statement(launch: Launch, item: dict, name: str) -> dict:
    package = launch.attempt.package
    ctx = context_template(launch, item)
    ctx["contextActivities"]["category"] = [{"id": CMI5_CATEGORY}]
    return {
        "actor": actor(launch.attempt.person),
        "verb": verb(name),
        "object": {"objectType": "Activity", "id": au_iri(package, item["ident"])},
        "context": ctx,
        "timestamp": timezone.now().isoformat(),
    }


def fetch_token(launch: Launch) -> str | None:
    """The auth token, once per launch (cmi5 §8.2.3): a second fetch gets None."""
    secret = secrets.token_urlsafe(24)
    name = f"{TOKEN_PREFIX}{launch.pk}"
    with transaction.atomic():
        n = Launch.objects.filter(pk=launch.pk, fetched_at__isnull=True).update(
            fetched_at=timezone.now(), auth_hash=_hash(name, secret)
        )
    if not n:
        return None
    return base64.b64encode(f"{name}:{secret}".encode()).decode()


def _hash(name: str, secret: str) -> str:
    from suotdoi.records.lrs.auth import hash_secret

    return hash_secret(f"{name}:{secret}")


def client_for_token(key: str, secret: str):
    """The LRS hook: the packages client of the launch's provider, guarded by the launch."""
    import hmac

    if not key.startswith(TOKEN_PREFIX) or not key[len(TOKEN_PREFIX) :].isdigit():
        return None
    launch = (
        Launch.objects.select_related("attempt__package__lesson__course__provider__unit")
        .filter(pk=int(key[len(TOKEN_PREFIX) :]))
        .first()
    )
    if launch is None or not launch.auth_hash or launch.expires_at < timezone.now():
        return None
    if not hmac.compare_digest(launch.auth_hash, _hash(key, secret)):
        return None
    client = client_for(launch.attempt.package)
    client.guard = Guard(launch.pk)
    return client


def cmi5_defined(statement: dict) -> bool:
    """A cmi5 verb with the cmi5 category (cmi5 §9.6.2.1); any other statement of the session
    is "cmi5 allowed": the xAPI video profile's initialized and completed, for instance, name
    the video, not the AU, and must neither be refused nor complete the AU."""
    if statement["verb"]["id"] not in DEFINED:
        return False
    ctx = statement.get("context") or {}
    cats = (ctx.get("contextActivities") or {}).get("category") or []
    cats = [cats] if isinstance(cats, dict) else cats
    return any(isinstance(c, dict) and c.get("id") == CMI5_CATEGORY for c in cats)


class Guard:
    """What a launch's auth token may do in the LRS."""

    def __init__(self, launch_id: int):
        self.launch_id = launch_id

    def _launch(self, lock=False) -> Launch:
        qs = Launch.objects.select_related("attempt__package", "attempt__person")
        if lock:
            qs = qs.select_for_update(of=("self",))
        launch = qs.get(pk=self.launch_id)
        if launch.expires_at < timezone.now():
            raise Refused("this launch has expired")
        return launch

    def registration(self) -> str:
        return str(self._launch().attempt.registration)

    def agent_key(self) -> str:
        from suotdoi.records.lrs.agents import agent_key

        return agent_key(actor(self._launch().attempt.person))

    def check(self, batch: list[dict]) -> None:
        """Refuse the batch unless every statement keeps the cmi5 rules (call inside the
        transaction that stores it)."""
        from suotdoi.records.lrs.agents import agent_key

        launch = self._launch(lock=True)
        attempt = launch.attempt
        package = attempt.package
        item = package.item(launch.ident) or {}
        state = ItemState.objects.select_for_update().get(attempt=attempt, ident=launch.ident)
        me = agent_key(actor(attempt.person))
        au = au_iri(package, launch.ident)
        initialized, terminated = (
            launch.initialized_at is not None,
            launch.terminated_at is not None,
        )
        completed, passed, failed = (
            state.completion == "completed",
            state.success == "passed",
            state.success == "failed",
        )
        mastery = item.get("mastery")
        for i, s in enumerate(batch):
            where = f"statement {i}: "
            v = s["verb"]["id"]
            ctx = s.get("context") or {}
            if agent_key(s.get("actor")) != me:
                raise Refused(where + "the actor is not the launched learner")
            if str(ctx.get("registration", "")).lower() != str(attempt.registration):
                raise Refused(where + "the registration is not the launch's")
            if str((ctx.get("extensions") or {}).get(SESSION_EXT, "")).lower() != str(
                launch.session
            ):
                raise Refused(where + "the session id is not the launch's")
            if v in LMS_ONLY:
                raise Refused(where + "only the LMS sends this verb")
            if terminated:
                raise Refused(where + "the session is terminated")
            defined = cmi5_defined(s)
            if not initialized and not (defined and v == INITIALIZED):
                raise Refused(where + "the first statement of a session is initialized")
            if not defined:
                continue  # a "cmi5 allowed" statement (a video's completed, say): stored as is
            if (s.get("object") or {}).get("id") != au:
                raise Refused(where + "the object is not the launched AU")
            result = s.get("result") or {}
            scaled = (result.get("score") or {}).get("scaled")
            if v == INITIALIZED:
                if initialized:
                    raise Refused(where + "the session is already initialized")
                initialized = True
            elif v == TERMINATED:
                terminated = True
            elif v == COMPLETED:
                if completed:
                    raise Refused(where + "the AU is already completed in this registration")
                if result.get("completion") is not True or "success" in result:
                    raise Refused(where + "completed has result.completion true and no success")
                completed = True
            elif v in (PASSED, FAILED):
                if passed:
                    raise Refused(where + "the AU is already passed in this registration")
                if v == FAILED and failed:
                    raise Refused(where + "the AU is already failed in this registration")
                if result.get("success") is not (v == PASSED):
                    raise Refused(where + "passed has result.success true, failed false")
                if mastery is not None:
                    if scaled is None:
                        raise Refused(
                            where + "with a masteryScore, passed and failed carry a scaled score"
                        )
                    if (v == PASSED) != (scaled >= mastery):
                        raise Refused(where + "the score does not agree with the masteryScore")
                passed, failed = v == PASSED, v == FAILED

    def stored(self, batch: list[dict]) -> None:
        """The launch and the AU's state after an accepted batch; the attempt rolls up."""
        from .actions import _roll_up
        from .tracking import seconds_of

        launch = self._launch(lock=True)
        state = ItemState.objects.select_for_update().get(
            attempt=launch.attempt, ident=launch.ident
        )
        item = launch.attempt.package.item(launch.ident) or {}
        now = timezone.now()
        for s in batch:
            state.commits += 1
            if not cmi5_defined(s):
                continue  # an allowed statement never moves the AU on
            v = s["verb"]["id"]
            result = s.get("result") or {}
            scaled = (result.get("score") or {}).get("scaled")
            if v == INITIALIZED and launch.initialized_at is None:
                launch.initialized_at = now
            elif v == TERMINATED:
                launch.terminated_at = now
                state.seconds = max(
                    state.seconds, state.base_seconds + seconds_of(result.get("duration"))
                )
            elif v == COMPLETED:
                state.completion = "completed"
            elif v in (PASSED, FAILED):
                state.success = "passed" if v == PASSED else "failed"
            if scaled is not None and v in (PASSED, FAILED, COMPLETED):
                state.score = max(float(scaled), state.score if state.score is not None else -1)
        launch.save(update_fields=["initialized_at", "terminated_at"])
        state.satisfied = state.satisfied or move_on_met(
            item.get("move_on") or "NotApplicable", state
        )
        state.save()
        _roll_up(launch.attempt)


def move_on_met(move_on: str, state) -> bool:
    done, passed = state.completion == "completed", state.success == "passed"
    return {
        "Passed": passed,
        "Completed": done,
        "CompletedAndPassed": done and passed,
        "CompletedOrPassed": done or passed,
        "NotApplicable": True,
    }.get(move_on, False)

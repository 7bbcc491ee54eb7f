"""Writes of the credentials app. Other apps issue through `credential_issue`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log, audit_log_many
from suotdoi.notifications.actions import notify, notify_many
from suotdoi.notifications.messages import Say

from . import dataintegrity as di
from . import documents, status
from .errors import AlreadyRevoked, EntryNotVerified, IssuingOff, NotEndorsable
from .keys import new_key_fields, private_key_of
from .models import (
    Achievement,
    Credential,
    CredentialKind,
    Endorsement,
    Issuer,
    IssuerKey,
    StatusList,
)


def document_digest(document: dict) -> str:
    """sha256 of the credential's sorted-key JSON: names one exact document (for QR links)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- issuers and keys ---


@transaction.atomic
def issuer_enable(*, actor, unit, **fields) -> Issuer:
    """Give a unit an issuer profile and its first key (no-op for the key if it has one)."""
    issuer, created = Issuer.objects.get_or_create(
        unit=unit, defaults={"name": unit.name, **fields}
    )
    if not created and fields:
        for k, v in fields.items():
            setattr(issuer, k, v)
        issuer.save()
    if not issuer.keys.filter(retired_at__isnull=True).exists():
        IssuerKey.objects.create(issuer=issuer, **new_key_fields())
    audit_log(
        actor=actor,
        verb="issuer.enable" if created else "issuer.update",
        target=issuer,
        unit=unit,
        data={k: v for k, v in fields.items() if k != "auto_issue_kinds"}
        | {"auto_issue_kinds": fields.get("auto_issue_kinds", issuer.auto_issue_kinds)},
    )
    return issuer


def platform_issuer() -> Issuer:
    """The platform's own issuer: signs what the VC-API issues when no unit is named."""
    issuer = Issuer.objects.filter(unit__isnull=True).first()
    if issuer is None:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    issuer = Issuer.objects.create(unit=None, name=settings.PLATFORM_ISSUER_NAME)
            except IntegrityError:
                return Issuer.objects.get(unit__isnull=True)
            IssuerKey.objects.create(issuer=issuer, **new_key_fields())
    return issuer


def active_key(issuer: Issuer) -> IssuerKey:
    key = issuer.keys.filter(retired_at__isnull=True).first()
    if key is None:
        raise IssuingOff()
    return key


@transaction.atomic
def issuer_key_rotate(*, actor, issuer: Issuer) -> IssuerKey:
    old = IssuerKey.objects.select_for_update().filter(issuer=issuer, retired_at__isnull=True)
    old_dids = [k.did for k in old]
    old.update(retired_at=timezone.now())
    new = IssuerKey.objects.create(issuer=issuer, **new_key_fields())
    audit_log(
        actor=actor,
        verb="issuer.rotate_key",
        target=issuer,
        unit=issuer.unit,
        data={"retired": old_dids, "new": new.did},
    )
    return new


# --- status lists ---


def status_list_publish(status_list: StatusList) -> StatusList:
    """Sign the list as it stands and keep the signed credential for serving."""
    doc = documents.status_list_document(
        status_list, encoded=status.encode_list(bytes(status_list.bits)), issued=timezone.now()
    )
    signed = di.sign(doc, private_key_of(status_list.key))
    status_list.signed_json = json.dumps(signed, ensure_ascii=False)
    StatusList.objects.filter(pk=status_list.pk).update(
        signed_json=status_list.signed_json, updated_at=timezone.now()
    )
    return status_list


def _allocate_status(key: IssuerKey) -> tuple[StatusList, int]:
    return _allocate_statuses(key, 1)[0]


# --- achievements ---


def achievement_ensure(
    *,
    issuer: Issuer,
    key: str,
    kind: str,
    name: str,
    description: str = "",
    criteria: str = "",
    hours: Decimal | None = None,
    credits: Decimal | None = None,
    tags=(),
    **extra,
) -> Achievement:
    """One definition per issuer and handle; the first award creates it. `tags` may be a
    callable, asked only when the definition is new."""
    found = Achievement.objects.filter(issuer=issuer, key=key[:200]).first()
    if found is not None:
        found.issuer = issuer
        return found
    if callable(tags):
        tags = tags()
    achievement, created = Achievement.objects.get_or_create(
        issuer=issuer,
        key=key[:200],
        defaults={
            "kind": kind,
            "name": name[:200],
            "description": description or name,
            "criteria": criteria
            or _("Completed as recorded by %(issuer)s.") % {"issuer": issuer.name},
            "hours": hours,
            "credits": credits,
            **extra,
        },
    )
    if created and tags:
        achievement.tags.set(tags)
    return achievement


# --- issuing ---


@transaction.atomic
def credential_issue(
    *,
    actor,
    person,
    achievement: Achievement,
    source_key: str,
    entry=None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    hours: Decimal | None = None,
    credits: Decimal | None = None,
    evidence_url: str = "",
    evidence_narrative: str = "",
    notify_person: bool = True,
) -> tuple[Credential, bool]:
    """Issue a signed Open Badges 3.0 credential to `person`. Idempotent by `source_key`.

    The catalogue (course completions), campaigns (attendance) and recognition (titles,
    commendations) call this; the record's verified entries reach it through
    `credential_issue_for_entry`.
    """
    existing = Credential.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    issuer = achievement.issuer
    key = active_key(issuer)
    status_list, index = _allocate_status(key)
    uid = uuid.uuid4()
    now = timezone.now()
    doc = documents.credential_document(
        uid=uid,
        person=person,
        achievement=achievement,
        issuer_key=key,
        status_list=status_list,
        status_index=index,
        issued=now,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        credits=credits,
        evidence_url=evidence_url,
        evidence_narrative=evidence_narrative,
    )
    signed = di.sign(doc, private_key_of(key), created=now)
    credential = Credential(
        uid=uid,
        person=person,
        achievement=achievement,
        key=key,
        unit_path=issuer.unit.path if issuer.unit_id else "",
        source_key=source_key,
        entry=entry,
        status_list=status_list,
        status_index=index,
        document=signed,
        digest=document_digest(signed),
    )
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        return Credential.objects.get(source_key=source_key), False
    audit_log(
        actor=actor,
        verb="credential.issue",
        target=credential,
        unit=issuer.unit,
        on_behalf_of=person,
        data={"achievement": achievement.name, "source": source_key, "did": key.did},
    )
    if notify_person:
        with override(person.language):
            notify(
                recipient=person,
                kind="credential.issued",
                title=Say(
                    gettext_noop("You received a credential: %(name)s"), name=achievement.name
                ),
                body=Say(
                    gettext_noop("Issued by %(issuer)s. You can download it or share it."),
                    issuer=issuer.name,
                ),
                url=f"/credentials/{credential.uid}/",
                dedupe_key=f"credential.issued:{credential.pk}",
            )
    return credential, True


KIND_FOR_ENTRY = {"course": CredentialKind.COMPLETION, "session": CredentialKind.ATTENDANCE}


def _achievement_for_entry(issuer: Issuer, entry) -> Achievement:
    kind = KIND_FOR_ENTRY.get(entry.kind, CredentialKind.COMPLETION)
    return achievement_ensure(
        issuer=issuer,
        key=f"{entry.kind}:{slugify(entry.title, allow_unicode=False)[:150] or entry.pk}",
        kind=kind,
        name=entry.title,
        description=entry.title,
        criteria=(
            _("Attended and recorded by %(issuer)s.")
            if kind == CredentialKind.ATTENDANCE
            else _("Completed the course; completion verified by %(issuer)s.")
        )
        % {"issuer": issuer.name},
        hours=entry.hours,
        credits=entry.credits,
        tags=lambda: list(entry.tags.all()),
        participation=_("In person") if kind == CredentialKind.ATTENDANCE else "",
    )


def credential_issue_for_entry(*, actor, entry) -> tuple[Credential, bool]:
    """Turn a verified learning entry at a unit that issues into a credential."""
    if entry.status != "verified":
        raise EntryNotVerified()
    issuer = (
        Issuer.objects.select_related("unit").filter(unit_id=entry.unit_id).first()
        if entry.unit_id
        else None
    )
    if issuer is None:
        raise IssuingOff()
    return credential_issue(
        actor=actor,
        person=entry.person,
        achievement=_achievement_for_entry(issuer, entry),
        source_key=f"entry:{entry.pk}",
        entry=entry,
        start_date=entry.start_date,
        end_date=entry.end_date,
        hours=entry.hours,
        credits=entry.credits,
        evidence_url=entry.evidence_url,
    )


def _allocate_statuses(key: IssuerKey, n: int) -> list[tuple[StatusList, int]]:
    """`n` status bits, from as few lists as possible (locked while we take them)."""
    out: list[tuple[StatusList, int]] = []
    while len(out) < n:
        sl = (
            StatusList.objects.select_for_update()
            .filter(key=key, next_index__lt=StatusList.SIZE)
            .order_by("id")
            .only("id", "uid", "next_index", "purpose", "key_id")
            .first()
        )
        if sl is None:
            sl = StatusList.objects.create(key=key, bits=bytes(StatusList.SIZE // 8))
            sl.key = key
            status_list_publish(sl)
        take = min(n - len(out), StatusList.SIZE - sl.next_index)
        out.extend((sl, sl.next_index + i) for i in range(take))
        StatusList.objects.filter(pk=sl.pk).update(next_index=F("next_index") + take)
    return out


def credential_issue_for_entries(*, actor, unit, entries, chunk: int = 500) -> int:
    """Issue the credentials of many verified entries of one unit (a class, a campaign's
    attendance): the same documents as `credential_issue_for_entry`, written in chunks of one
    transaction each, with one audit row and one notification per credential. Entries that
    already have their credential are skipped, so a re-run finishes what a crash left."""
    issuer = Issuer.objects.select_related("unit").filter(unit=unit).first()
    if issuer is None:
        raise IssuingOff()
    entries = [e for e in entries if e.unit_id == unit.pk and e.status == "verified"]
    achievements: dict[tuple[str, str], Achievement] = {}
    issued = 0
    for start in range(0, len(entries), chunk):
        part = entries[start : start + chunk]
        with transaction.atomic():
            key = active_key(issuer)
            done = set(
                Credential.objects.filter(
                    source_key__in=[f"entry:{e.pk}" for e in part]
                ).values_list("source_key", flat=True)
            )
            todo = [e for e in part if f"entry:{e.pk}" not in done]
            if not todo:
                continue
            slots = _allocate_statuses(key, len(todo))
            private = private_key_of(key)
            now = timezone.now()
            rows = []
            for entry, (status_list, index) in zip(todo, slots, strict=True):
                handle = (entry.kind, entry.title)
                if handle not in achievements:
                    achievements[handle] = _achievement_for_entry(issuer, entry)
                achievement = achievements[handle]
                uid = uuid.uuid4()
                signed = di.sign(
                    documents.credential_document(
                        uid=uid,
                        person=entry.person,
                        achievement=achievement,
                        issuer_key=key,
                        status_list=status_list,
                        status_index=index,
                        issued=now,
                        start_date=entry.start_date,
                        end_date=entry.end_date,
                        hours=entry.hours,
                        credits=entry.credits,
                        evidence_url=entry.evidence_url,
                    ),
                    private,
                    created=now,
                )
                rows.append(
                    Credential(
                        uid=uid,
                        person=entry.person,
                        achievement=achievement,
                        key=key,
                        unit_path=unit.path,
                        source_key=f"entry:{entry.pk}",
                        entry=entry,
                        status_list=status_list,
                        status_index=index,
                        document=signed,
                        digest=document_digest(signed),
                    )
                )
            Credential.objects.bulk_create(rows)  # primary keys come back (RETURNING)
            audit_log_many(
                actor=actor,
                verb="credential.issue",
                targets=rows,
                unit=unit,
                on_behalf_of_for=lambda c: c.person,
                data_for=lambda c: {"source": c.source_key, "did": c.key.did, "batch": True},
            )
            items = []
            for c in rows:
                with override(c.person.language):
                    items.append(
                        {
                            "recipient": c.person,
                            "kind": "credential.issued",
                            "title": Say(
                                gettext_noop("You received a credential: %(name)s"),
                                name=c.achievement.name,
                            ),
                            "body": Say(
                                gettext_noop(
                                    "Issued by %(issuer)s. You can download it or share it."
                                ),
                                issuer=issuer.name,
                            ),
                            "url": f"/credentials/{c.uid}/",
                            "dedupe_key": f"credential.issued:{c.pk}",
                        }
                    )
            notify_many(items)
            issued += len(rows)
    return issued


def credential_issue_for_entry_if_wanted(*, entry_id: int) -> Credential | None:
    """Called after an entry is verified: issue when the unit asked for automatic issuing."""
    from suotdoi.records.models import LearningEntry

    entry = (
        LearningEntry.objects.select_related("person", "unit", "verified_by")
        .filter(pk=entry_id, status="verified", unit__isnull=False)
        .first()
    )
    if entry is None:
        return None
    issuer = Issuer.objects.filter(unit_id=entry.unit_id).first()
    if issuer is None or entry.kind not in (issuer.auto_issue_kinds or []):
        return None
    if not issuer.keys.filter(retired_at__isnull=True).exists():
        return None
    credential, _created = credential_issue_for_entry(actor=entry.verified_by, entry=entry)
    return credential


# --- revocation, sharing ---


@transaction.atomic
def credential_revoke(*, actor, credential: Credential, reason: str) -> Credential:
    c = Credential.objects.select_for_update().select_related("achievement").get(pk=credential.pk)
    if c.revoked_at is not None:
        raise AlreadyRevoked()
    sl = StatusList.objects.select_for_update().select_related("key").get(pk=c.status_list_id)
    sl.bits = status.set_bit(bytes(sl.bits), c.status_index)
    sl.save(update_fields=["bits", "updated_at"])
    status_list_publish(sl)
    c.revoked_at = timezone.now()
    c.revoke_reason = reason.strip()[:300]
    c.save(update_fields=["revoked_at", "revoke_reason"])
    audit_log(
        actor=actor,
        verb="credential.revoke",
        target=c,
        unit=c.achievement.issuer.unit,
        data={"reason": c.revoke_reason, "person": c.person_id},
    )
    with override(c.person.language):
        notify(
            recipient=c.person,
            kind="credential.revoked",
            title=Say(gettext_noop("A credential was revoked: %(name)s"), name=c.achievement.name),
            body=Say(gettext_noop("Reason: %(reason)s"), reason=c.revoke_reason),
            url=f"/credentials/{c.uid}/",
            dedupe_key=f"credential.revoked:{c.pk}",
        )
    return c


@transaction.atomic
def credential_share_set(*, actor, credential: Credential, on: bool) -> Credential:
    """Switch the credential's public link on (a new unguessable token) or off."""
    token = secrets.token_urlsafe(32) if on else None
    if on and credential.share_token:
        return credential
    Credential.objects.filter(pk=credential.pk, person=actor).update(share_token=token)
    credential.share_token = token
    audit_log(
        actor=actor, verb="credential.share_on" if on else "credential.share_off", target=credential
    )
    return credential


# --- endorsement ---


@transaction.atomic
def endorsement_create(
    *, actor, endorser: Issuer, achievement: Achievement, comment: str
) -> Endorsement:
    """A higher unit endorses an achievement of a unit in its subtree."""
    own_unit = achievement.issuer.unit
    if (
        endorser.unit is None
        or own_unit is None
        or own_unit.pk == endorser.unit.pk
        or not own_unit.path.startswith(endorser.unit.path)
    ):
        raise NotEndorsable()
    existing = Endorsement.objects.filter(
        achievement=achievement, endorser=endorser, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    key = active_key(endorser)
    uid = uuid.uuid4()
    now = timezone.now()
    doc = documents.endorsement_document(
        uid=uid,
        achievement=achievement,
        endorser=endorser,
        did=key.did,
        comment=comment.strip(),
        issued=now,
    )
    endorsement = Endorsement.objects.create(
        uid=uid,
        achievement=achievement,
        endorser=endorser,
        comment=comment.strip(),
        document=di.sign(doc, private_key_of(key), created=now),
    )
    audit_log(
        actor=actor,
        verb="achievement.endorse",
        target=endorsement,
        unit=endorser.unit,
        data={"achievement": achievement.name, "of": achievement.issuer.name},
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, actor, endorsement: Endorsement) -> None:
    if Endorsement.objects.filter(pk=endorsement.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    ):
        audit_log(
            actor=actor,
            verb="achievement.endorse_withdraw",
            target=endorsement,
            unit=endorsement.endorser.unit,
        )


# --- VC-API ---


def credential_sign_document(*, actor, issuer: Issuer, document: dict) -> dict:
    """Sign a caller-supplied credential as `issuer`; fills issuer, id and validFrom if absent."""
    key = active_key(issuer)
    doc = dict(document)
    doc.pop("proof", None)
    given = doc.get("issuer")
    if isinstance(given, dict):
        doc["issuer"] = {**given, "id": key.did}
    elif given is None and "OpenBadgeCredential" in (doc.get("type") or []):
        doc["issuer"] = documents.issuer_profile(issuer, key.did)
    else:
        doc["issuer"] = key.did
    doc.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    if documents.VC_V2 in (doc.get("@context") or []) and "validFrom" not in doc:
        doc["validFrom"] = documents.xsd_datetime(timezone.now())
    signed = di.sign(doc, private_key_of(key))
    audit_log(
        actor=actor,
        verb="credential.vcapi_issue",
        target=issuer,
        unit=issuer.unit,
        data={"id": str(signed.get("id")), "did": key.did},
    )
    return signed

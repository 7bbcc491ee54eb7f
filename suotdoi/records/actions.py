"""The one write path into the learning record. Other apps call `entry_record`."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import ApplicationError
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Hours, Say

from .errors import EntryLocked, NotPending
from .models import (
    EntryStatus,
    LearningEntry,
    LearningGoal,
    Provenance,
    RecordShare,
    UnitFigure,
)
from .rules import check_entry
from .signals import entry_verified


def _figure(entry: LearningEntry, *, entries: int, hours: Decimal, verified: Decimal) -> None:
    """Keep the unit's monthly figures in step (F() updates, no read-modify-write)."""
    if entry.unit_id is None:
        return
    key = {"unit_id": entry.unit_id, "year": entry.start_date.year, "month": entry.start_date.month}
    UnitFigure.objects.get_or_create(**key, defaults={"unit_path": entry.unit_path})
    UnitFigure.objects.filter(**key).update(
        entries=F("entries") + entries,
        hours=F("hours") + hours,
        verified_hours=F("verified_hours") + verified,
    )


@transaction.atomic
def entry_record(
    *,
    actor,
    person,
    source_key: str,
    title: str,
    kind: str,
    start_date: dt.date,
    hours: Decimal,
    provenance: str,
    unit=None,
    end_date: dt.date | None = None,
    credits: Decimal | None = None,
    tags=(),
    issued_by: str = "",
    evidence_url: str = "",
    evidence_file=None,
    note: str = "",
) -> tuple[LearningEntry, bool]:
    """Record learning. Idempotent by `source_key`: a replayed event returns the first entry.

    Self-declared entries tied to a unit wait for that unit's verification; unit-verified and
    issued entries count as verified at once.
    """
    existing = LearningEntry.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    hours = Decimal(hours)
    check_entry(title=title, start_date=start_date, end_date=end_date, hours=hours)
    if provenance == Provenance.SELF_DECLARED:
        status = EntryStatus.PENDING if unit is not None else EntryStatus.UNVERIFIED
    else:
        status = EntryStatus.VERIFIED
    entry = LearningEntry(
        person=person,
        title=title.strip(),
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        credits=credits,
        unit=unit,
        unit_path=unit.path if unit else "",
        provenance=provenance,
        status=status,
        issued_by=issued_by,
        evidence_url=evidence_url,
        note=note,
        source_key=source_key,
    )
    if provenance != Provenance.SELF_DECLARED:
        entry.verified_by = actor if getattr(actor, "pk", None) else None
        entry.verified_at = timezone.now()
    if evidence_file is not None:
        entry.evidence_file.save(evidence_file.name, evidence_file, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Two deliveries of the same event raced; the other one won.
        return LearningEntry.objects.get(source_key=source_key), False
    if tags:
        entry.tags.set(tags)
    _figure(
        entry,
        entries=1,
        hours=hours,
        verified=hours if status == EntryStatus.VERIFIED else Decimal("0"),
    )
    audit_log(
        actor=actor,
        verb="entry.record",
        target=entry,
        unit=unit,
        on_behalf_of=person if actor != person else None,
        data={"provenance": provenance, "source": source_key, "hours": str(hours)},
    )
    if status == EntryStatus.VERIFIED:
        entry_verified.send(sender=LearningEntry, entry=entry)
    return entry, True


@transaction.atomic
def entry_record_issued_many(
    *, unit, items: list[dict], issued_by: str = "", provenance: str = Provenance.ISSUED
) -> int:
    """Record many entries issued (or verified: `provenance`) by `unit` at once: an LRS batch,
    an import of completions, a hall's check-ins.

    Each item has person, source_key, title, kind, start_date, hours. The same rules and the
    same idempotency as `entry_record` (by source_key); invalid items are skipped. Figures are
    updated once per month, audit rows and the `entries_verified` signal once per batch.
    """
    from suotdoi.audit.actions import audit_log_many

    from .signals import entries_verified

    keys = [i["source_key"] for i in items]
    known = set(
        LearningEntry.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    now = timezone.now()
    rows, seen = [], set()
    for i in items:
        if i["source_key"] in known or i["source_key"] in seen:
            continue
        try:
            check_entry(
                title=i["title"],
                start_date=i["start_date"],
                end_date=None,
                hours=Decimal(i["hours"]),
            )
        except ApplicationError:
            continue
        seen.add(i["source_key"])
        rows.append(
            LearningEntry(
                person=i["person"],
                title=i["title"].strip(),
                kind=i["kind"],
                start_date=i["start_date"],
                hours=Decimal(i["hours"]),
                unit=unit,
                unit_path=unit.path,
                provenance=provenance,
                status=EntryStatus.VERIFIED,
                issued_by=issued_by,
                source_key=i["source_key"],
                verified_at=now,
            )
        )
    if not rows:
        return 0
    LearningEntry.objects.bulk_create(rows, ignore_conflicts=True)
    rows = list(LearningEntry.objects.filter(source_key__in=[r.source_key for r in rows]))
    months: dict[tuple[int, int], list[Decimal]] = {}
    for r in rows:
        agg = months.setdefault((r.start_date.year, r.start_date.month), [0, Decimal("0")])
        agg[0] += 1
        agg[1] += r.hours
    for (year, month), (n, hours) in months.items():
        key = {"unit_id": unit.pk, "year": year, "month": month}
        UnitFigure.objects.get_or_create(**key, defaults={"unit_path": unit.path})
        UnitFigure.objects.filter(**key).update(
            entries=F("entries") + n,
            hours=F("hours") + hours,
            verified_hours=F("verified_hours") + hours,
        )
    audit_log_many(
        actor=None,
        verb="entry.record",
        targets=rows,
        unit=unit,
        on_behalf_of_for=lambda e: e.person,
        data_for=lambda e: {"provenance": "issued", "source": e.source_key, "hours": str(e.hours)},
    )
    entries_verified.send(sender=LearningEntry, entries=rows, unit=unit)
    return len(rows)


def new_declaration_key() -> str:
    """A key for a self-declaration form: sent back with the form so a double submit counts once."""
    return f"self:{uuid.uuid4()}"


@transaction.atomic
def entry_verify(*, actor, entry: LearningEntry) -> LearningEntry:
    e = LearningEntry.objects.select_for_update().get(pk=entry.pk)
    if e.status != EntryStatus.PENDING:
        raise NotPending()
    e.status = EntryStatus.VERIFIED
    e.provenance = Provenance.UNIT_VERIFIED
    e.verified_by = actor
    e.verified_at = timezone.now()
    e.save(update_fields=["status", "provenance", "verified_by", "verified_at", "updated_at"])
    _figure(e, entries=0, hours=Decimal("0"), verified=e.hours)
    audit_log(actor=actor, verb="entry.verify", target=e, unit=e.unit, data={"person": e.person_id})
    entry_verified.send(sender=LearningEntry, entry=e)
    with override(e.person.language):
        notify(
            recipient=e.person,
            kind="entry.verified",
            title=Say(gettext_noop("Your learning was verified: %(title)s"), title=e.title),
            body=Say(
                gettext_noop("%(unit)s confirmed %(hours)s hours."),
                unit=e.unit.name,
                hours=Hours(e.hours),
            ),
            url="/record/",
            dedupe_key=f"entry.verified:{e.pk}",
        )
    return e


@transaction.atomic
def entry_reject(*, actor, entry: LearningEntry, reason: str) -> LearningEntry:
    e = LearningEntry.objects.select_for_update().get(pk=entry.pk)
    if e.status != EntryStatus.PENDING:
        raise NotPending()
    e.status = EntryStatus.REJECTED
    e.reject_reason = reason.strip()[:300]
    e.verified_by = actor
    e.verified_at = timezone.now()
    e.save(update_fields=["status", "reject_reason", "verified_by", "verified_at", "updated_at"])
    _figure(e, entries=-1, hours=-e.hours, verified=Decimal("0"))
    audit_log(
        actor=actor,
        verb="entry.reject",
        target=e,
        unit=e.unit,
        data={"person": e.person_id, "reason": e.reject_reason},
    )
    with override(e.person.language):
        notify(
            recipient=e.person,
            kind="entry.rejected",
            title=Say(gettext_noop("Your learning was not accepted: %(title)s"), title=e.title),
            body=Say(gettext_noop("Reason: %(reason)s"), reason=e.reject_reason),
            url="/record/",
            dedupe_key=f"entry.rejected:{e.pk}",
        )
    return e


@transaction.atomic
def entry_supersede(*, actor, entry: LearningEntry, **changes) -> LearningEntry:
    """Correct an entry: a new entry replaces it and the old one stays in the history."""
    old = LearningEntry.objects.select_for_update().get(pk=entry.pk)
    if old.status == EntryStatus.SUPERSEDED:
        raise EntryLocked()
    fields = {
        "title": old.title,
        "kind": old.kind,
        "start_date": old.start_date,
        "end_date": old.end_date,
        "hours": old.hours,
        "credits": old.credits,
        "unit": old.unit,
        "evidence_url": old.evidence_url,
        "note": old.note,
    }
    fields.update(changes)
    new, _created = entry_record(
        actor=actor,
        person=old.person,
        source_key=f"correction:{old.pk}",
        provenance=Provenance.SELF_DECLARED,
        tags=list(old.tags.all()),
        **fields,
    )
    if old.counts:
        _figure(
            old,
            entries=-1,
            hours=-old.hours,
            verified=-old.hours if old.status == EntryStatus.VERIFIED else Decimal("0"),
        )
    old.status = EntryStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    LearningEntry.objects.filter(pk=new.pk).update(supersedes=old)
    new.refresh_from_db()
    audit_log(
        actor=actor, verb="entry.supersede", target=new, unit=new.unit, data={"replaces": old.pk}
    )
    return new


@transaction.atomic
def entry_withdraw(*, actor, entry: LearningEntry, reason: str) -> LearningEntry:
    """The source took the learning back (e.g. a voided xAPI statement): the entry leaves the
    figures and is marked superseded, with nothing replacing it. Idempotent."""
    e = LearningEntry.objects.select_for_update().get(pk=entry.pk)
    if e.status == EntryStatus.SUPERSEDED:
        return e
    if e.counts:
        _figure(
            e,
            entries=-1,
            hours=-e.hours,
            verified=-e.hours if e.status == EntryStatus.VERIFIED else Decimal("0"),
        )
    e.status = EntryStatus.SUPERSEDED
    e.reject_reason = reason[:300]
    e.save(update_fields=["status", "reject_reason", "updated_at"])
    audit_log(actor=actor, verb="entry.withdraw", target=e, unit=e.unit, data={"reason": reason})
    return e


@transaction.atomic
def goal_set(*, actor, year: int, hours: int) -> LearningGoal:
    goal, _created = LearningGoal.objects.update_or_create(
        person=actor, year=year, defaults={"hours": hours}
    )
    audit_log(actor=actor, verb="goal.set", target=goal, data={"year": year, "hours": hours})
    return goal


SHARE_DAYS = 30


@transaction.atomic
def record_share_create(*, actor) -> RecordShare:
    import secrets

    share = RecordShare.objects.create(
        person=actor,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + dt.timedelta(days=SHARE_DAYS),
    )
    audit_log(actor=actor, verb="record.share", target=share)
    return share


@transaction.atomic
def record_share_revoke(*, actor, share) -> None:
    if RecordShare.objects.filter(pk=share.pk, person=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        audit_log(actor=actor, verb="record.share_revoke", target=share)


def record_share_opened(*, share: RecordShare) -> None:
    """Count an opening of a share link, so the learner sees that it was used."""
    RecordShare.objects.filter(pk=share.pk).update(views=F("views") + 1)


def entries_follow_merge(*, source, target) -> int:
    """A merged unit's entries still waiting for verification go to the absorbing unit's queue
    (inside `unit_merge`'s transaction). Verified history stays with the merged unit."""
    return LearningEntry.objects.filter(unit=source, status=EntryStatus.PENDING).update(
        unit=target, unit_path=target.path
    )

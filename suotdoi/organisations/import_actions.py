"""Actions of the member import: upload and check, confirm, run."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.people.models import Person

from . import importing
from .errors import ImportRejected
from .matching import PersonMatcher, _chunks
from .models import ImportStatus, MemberImport, Membership, Unit

BATCH = 1000
MAX_STORED_ERRORS = 5000


def progress_key(import_id: int) -> str:
    return f"member-import-progress:{import_id}"


def import_progress(imp: MemberImport) -> dict:
    """What the progress bar shows: phase, rows done and total."""
    if imp.status == ImportStatus.DONE:
        return {"phase": "done", "done": imp.valid_rows, "total": imp.valid_rows}
    data = cache.get(progress_key(imp.pk)) or {}
    return {
        "phase": data.get("phase", imp.status),
        "done": data.get("done", 0),
        "total": data.get("total", imp.valid_rows or imp.total_rows),
    }


def _set_progress(import_id: int, phase: str, done: int, total: int) -> None:
    cache.set(progress_key(import_id), {"phase": phase, "done": done, "total": total}, 3600)


def member_import_upload(*, actor, unit: Unit, file_name: str, data: bytes) -> MemberImport:
    """Store the file after the cheap checks (size, kind, what its parts expand to) and queue
    the row-by-row check for the worker. Nothing is imported yet."""
    from .tasks import member_import_check_run

    imp = MemberImport(
        unit=unit,
        uploaded_by=actor,
        file_name=file_name[:200],
        file_sha256=importing.sha256(data),
        status=ImportStatus.CHECKING,
    )
    try:
        importing.precheck(data)
    except ImportRejected as exc:
        imp.status = ImportStatus.REJECTED
        imp.file_error = str(exc.message)
        with transaction.atomic():
            imp.save()
            audit_log(
                actor=actor,
                verb="member_import.reject",
                target=imp,
                unit=unit,
                data={"file": imp.file_name, "reason": imp.file_error},
            )
        return imp
    with transaction.atomic():
        imp.file.save(f"{imp.file_sha256}.xlsx", ContentFile(data), save=False)
        imp.save()
        audit_log(
            actor=actor,
            verb="member_import.upload",
            target=imp,
            unit=unit,
            data={"file": imp.file_name, "bytes": len(data)},
        )
    _set_progress(imp.pk, "checking", 0, 0)
    member_import_check_run.enqueue(imp.pk)
    imp.refresh_from_db()
    return imp


def _claim(import_id: int, waiting: str, working: str) -> tuple[MemberImport, bool]:
    """Move an import from `waiting` to `working` once: a second worker gets False."""
    claimed = MemberImport.objects.filter(pk=import_id, status=waiting).update(status=working)
    return MemberImport.objects.select_related("unit", "uploaded_by").get(pk=import_id), bool(
        claimed
    )


def member_import_check(*, import_id: int) -> MemberImport:
    """The worker's part of an upload: check every row (claims the import; safe to repeat)."""
    imp, claimed = _claim(import_id, ImportStatus.CHECKING, ImportStatus.CHECKING_NOW)
    if not claimed:
        return imp
    try:
        with imp.file.open("rb") as fh:
            data = fh.read()
        report = importing.check_file(
            data,
            unit=imp.unit,
            actor=imp.uploaded_by,
            progress=lambda n: _set_progress(imp.pk, "checking", n, 0),
        )
    except ImportRejected as exc:
        with transaction.atomic():
            MemberImport.objects.filter(pk=imp.pk).update(
                status=ImportStatus.REJECTED, file_error=str(exc.message)
            )
            audit_log(
                actor=imp.uploaded_by,
                verb="member_import.reject",
                target=imp,
                unit=imp.unit,
                data={"file": imp.file_name, "reason": str(exc.message)},
            )
        cache.delete(progress_key(imp.pk))
        imp.refresh_from_db()
        return imp
    except Exception:
        MemberImport.objects.filter(pk=imp.pk).update(
            status=ImportStatus.REJECTED,
            file_error=_("The Excel file could not be read; it may be damaged."),
        )
        cache.delete(progress_key(imp.pk))
        raise
    imp.total_rows = report.total_rows
    imp.valid_rows = len(report.valid)
    imp.error_rows = len(report.invalid)
    imp.row_errors = [
        {"row": r.row, "errors": r.errors, "raw": [importing._cell(x) for x in r.raw]}
        for r in report.invalid[:MAX_STORED_ERRORS]
    ]
    imp.header = report.header
    imp.status = ImportStatus.VALIDATED
    with transaction.atomic():
        imp.rows_file.save(
            f"{imp.file_sha256}.rows.json.gz", ContentFile(_pack_rows(report.valid)), save=False
        )
        imp.save()
        audit_log(
            actor=imp.uploaded_by,
            verb="member_import.check",
            target=imp,
            unit=imp.unit,
            data={"rows": imp.total_rows, "errors": imp.error_rows},
        )
    cache.delete(progress_key(imp.pk))
    return imp


def member_import_confirm(*, actor, imp: MemberImport) -> MemberImport:
    """Queue the import of the valid rows. A second click changes nothing."""
    from .tasks import member_import_run

    with transaction.atomic():
        updated = MemberImport.objects.filter(
            pk=imp.pk, status=ImportStatus.VALIDATED, valid_rows__gt=0
        ).update(status=ImportStatus.QUEUED)
        if updated:
            audit_log(actor=actor, verb="member_import.confirm", target=imp, unit=imp.unit)
            _set_progress(imp.pk, "queued", 0, imp.valid_rows)
            transaction.on_commit(partial(member_import_run.enqueue, imp.pk))
    imp.refresh_from_db()
    return imp


def member_import_execute(*, import_id: int, retry: bool = False) -> MemberImport:
    """Run a queued import: all valid rows land in one transaction, or none do. On a retry
    the import may be RUNNING (the worker that claimed it died; its transaction never
    committed); the write below checks under a lock that nobody finished it meanwhile."""
    imp, claimed = _claim(import_id, ImportStatus.QUEUED, ImportStatus.RUNNING)
    if not claimed and retry and imp.status == ImportStatus.RUNNING:
        claimed = True
    if not claimed:
        return imp
    try:
        unit = imp.unit
        _set_progress(imp.pk, "checking", 0, imp.valid_rows)
        with imp.rows_file.open("rb") as fh:
            rows = _unpack_rows(fh.read())
        _refresh_units(unit, rows)
        with transaction.atomic():
            still = MemberImport.objects.select_for_update().filter(
                pk=imp.pk, status=ImportStatus.RUNNING
            )
            if not still.exists():  # another attempt finished it while this one read
                imp.refresh_from_db()
                return imp
            counts = _write(imp, rows)
            MemberImport.objects.filter(pk=imp.pk).update(
                status=ImportStatus.DONE,
                finished_at=timezone.now(),
                valid_rows=len(rows),
                **counts,
            )
            audit_log(
                actor=imp.uploaded_by, verb="member_import.done", target=imp, unit=unit, data=counts
            )
    except Exception as exc:
        MemberImport.objects.filter(pk=imp.pk).update(
            status=ImportStatus.FAILED,
            file_error=_("The import stopped and nothing was imported: %(reason)s")
            % {"reason": str(getattr(exc, "message", exc))[:500]},
            finished_at=timezone.now(),
        )
        cache.delete(progress_key(imp.pk))
        if not isinstance(exc, ImportRejected):
            raise
    imp.refresh_from_db()
    return imp


def _pack_rows(rows) -> bytes:
    import gzip
    import json

    payload = [
        {
            **r.values,
            "row": r.row,
            "date_of_birth": r.values["date_of_birth"].isoformat()
            if r.values["date_of_birth"]
            else None,
            "start_date": r.values["start_date"].isoformat() if r.values["start_date"] else None,
        }
        for r in rows
    ]
    return gzip.compress(json.dumps(payload, ensure_ascii=False).encode(), compresslevel=5)


def _unpack_rows(blob: bytes) -> list:
    import datetime as dt
    import gzip
    import json

    rows = []
    for v in json.loads(gzip.decompress(blob)):
        for key in ("date_of_birth", "start_date"):
            v[key] = dt.date.fromisoformat(v[key]) if v[key] else None
        rows.append(importing.RowResult(row=v.pop("row"), raw=[], values=v))
    return rows


def _refresh_units(unit: Unit, rows) -> None:
    """Units may have moved since the check: take their current paths, and refuse rows whose
    unit has left the importing unit's subtree."""
    ids = sorted({r.values["unit_id"] for r in rows})
    paths = dict(
        Unit.objects.filter(pk__in=ids, path__startswith=unit.path).values_list("pk", "path")
    )
    gone = sorted({r.row for r in rows if r.values["unit_id"] not in paths})
    if gone:
        raise ImportRejected(
            _("Units of rows %(rows)s are no longer below %(unit)s. Upload the file again.")
            % {"rows": ", ".join(map(str, gone[:10])), "unit": unit.code}
        )
    for r in rows:
        r.values["unit_path"] = paths[r.values["unit_id"]]


def _write(imp: MemberImport, rows) -> dict:
    from .invitations import membership_invite_many, needs_acceptance

    total = len(rows)
    matcher = PersonMatcher(actor=imp.uploaded_by)
    matcher.load(rows)
    conflicts = [r.row for r in rows if matcher.conflict(r.values)]
    if conflicts:
        raise ImportRejected(
            _(
                "Since the check, people were added whose details conflict with rows %(rows)s. "
                "Upload the file again to see why."
            )
            % {"rows": ", ".join(map(str, conflicts[:10]))}
        )
    unusable = make_password(None)
    people_created = people_matched = 0
    person_ids: list[int] = []
    existing_rows: set[int] = set()  # rows naming people who were on the platform before
    pending: list[tuple[int, Person]] = []
    pending_keys: dict[tuple[str, str], int] = {}
    alias: dict[int, int] = {}

    def flush_people():
        Person.objects.bulk_create([p for _i, p in pending], batch_size=BATCH)
        for i, p in pending:
            person_ids[i] = p.pk
            matcher.remember(rows[i].values, p.pk)
        pending.clear()
        pending_keys.clear()

    for i, r in enumerate(rows):
        v = r.values
        pid = matcher.find(v)
        keys = [(k, v[k]) for k in ("national_id", "phone", "email") if v.get(k)]
        if pid is None:
            # Another row of this file may already create the same person (another unit).
            twin = next((pending_keys[k] for k in keys if k in pending_keys), None)
            if twin is not None:
                alias[i] = twin
                person_ids.append(0)
                people_matched += 1
                continue
        person_ids.append(pid or 0)
        if pid:
            people_matched += 1
            existing_rows.add(i)
        else:
            p = Person(
                full_name=v["full_name"],
                phone=v["phone"],
                email=v["email"],
                national_id=v["national_id"],
                date_of_birth=v["date_of_birth"],
                gender=v["gender"],
                password=unusable,
            )
            p.fill_derived()
            pending.append((i, p))
            for k in keys:
                pending_keys[k] = i
            people_created += 1
            if len(pending) >= BATCH:
                flush_people()
        if i % 2000 == 0:
            _set_progress(imp.pk, "people", i, total)
    flush_people()
    for i, j in alias.items():
        person_ids[i] = person_ids[j]

    names = {
        pid: ns
        for chunk in _chunks(sorted(set(person_ids)))
        for pid, ns in Person.objects.filter(pk__in=chunk).values_list("pk", "name_sort")
    }
    existing: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted(set(person_ids))):
        existing.update(
            Membership.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
                "person_id", "unit_id"
            )
        )
    today = timezone.localdate()
    new_memberships = []
    per_unit: dict[int, int] = {}
    unchanged = 0
    invite: list[dict] = []
    units_by_id: dict[int, Unit] = {}
    # (person, unit) → what a row says of a membership held before: its external id (from the
    # API), its occupation and household groups (filled in a later file)
    relabel: dict[tuple[int, int], dict] = {}
    for i, r in enumerate(rows):
        v = r.values
        key = (person_ids[i], v["unit_id"])
        if (
            i in existing_rows
            and key not in existing
            and (not matcher.is_known(person_ids[i]) or needs_acceptance(v["role"]))
        ):
            # Somebody who already has an account, outside the importer's units or offered a
            # staff role: invited, never attached (nothing about them is shown before).
            existing.add(key)
            unit_obj = units_by_id.get(v["unit_id"]) or Unit.objects.get(pk=v["unit_id"])
            units_by_id[v["unit_id"]] = unit_obj
            invite.append(
                {
                    "unit": unit_obj,
                    "person": Person(pk=person_ids[i]),
                    "role": v["role"],
                    "position_title": v["position_title"],
                    "start_date": v["start_date"],
                }
            )
            continue
        if key in existing:
            unchanged += 1
            given = {
                f: v[f] for f in ("external_id", "occupation_group", "income_group") if v.get(f)
            }
            if given:
                relabel[key] = given
            continue
        existing.add(key)
        new_memberships.append(
            Membership(
                person_id=person_ids[i],
                unit_id=v["unit_id"],
                role=v["role"],
                position_title=v["position_title"],
                start_date=v["start_date"] or today,
                unit_path=v["unit_path"],
                person_name_sort=names[person_ids[i]],
                import_batch=imp,
                external_id=v.get("external_id", ""),
                occupation_group=v.get("occupation_group", ""),
                income_group=v.get("income_group", ""),
            )
        )
        per_unit[v["unit_id"]] = per_unit.get(v["unit_id"], 0) + 1
        if len(new_memberships) >= BATCH:
            Membership.objects.bulk_create(new_memberships, batch_size=BATCH)
            new_memberships.clear()
            _set_progress(imp.pk, "memberships", i, total)
    Membership.objects.bulk_create(new_memberships, batch_size=BATCH)
    for (person_id, unit_id), given in relabel.items():
        Membership.objects.filter(
            person_id=person_id, unit_id=unit_id, end_date__isnull=True
        ).update(**given)
    for unit_id, n in sorted(per_unit.items()):
        Unit.objects.filter(pk=unit_id).update(member_count=F("member_count") + n)
    invited = 0
    if invite:
        people = Person.objects.in_bulk([it["person"].pk for it in invite])
        for it in invite:
            it["person"] = people[it["person"].pk]
        invited = membership_invite_many(actor=imp.uploaded_by, items=invite, import_batch=imp)
    _set_progress(imp.pk, "done", total, total)
    return {
        "invitations_sent": invited,
        "people_created": people_created,
        "people_matched": people_matched,
        "memberships_created": sum(per_unit.values()),
        "memberships_unchanged": unchanged,
    }

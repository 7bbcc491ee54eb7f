"""Members pushed by another system through the API, many at a time (#19): the same checks,
matching and writes as an Excel import, on JSON rows, in the request. All rows of a request land
together or none do; sending the same rows again changes nothing (people are matched by citizen
ID, phone or email; existing memberships stay as they are)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed

from . import importing
from .access import can
from .import_actions import _write
from .models import ImportStatus, MemberImport
from .policies import Capability

MAX_ITEMS = 1000
FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "national_id",
    "unit_code",
    "role",
    "position_title",
    "start_date",
    "occupation_group",
    "income_group",
)


def member_bulk_upsert(*, actor, unit, members: list[dict]) -> MemberImport:
    """Items with an `external_id` already held by an active membership of this unit's subtree
    update that membership (its position); the rest go through the import's checks and land
    as new memberships carrying their external id. A person's own details (name, phone) are
    theirs: an upsert never changes them."""
    from django.db import IntegrityError

    from suotdoi.core.errors import Conflict

    from .models import Membership

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if not members:
        raise ValidationFailed(_("Send at least one member."))
    if len(members) > MAX_ITEMS:
        raise ValidationFailed(_("Send at most %(max)s members per request.") % {"max": MAX_ITEMS})
    seen: dict[str, int] = {}
    twice = []
    for i, item in enumerate(members):
        ext = item.get("external_id") or ""
        if ext and ext in seen:
            twice.append(
                {
                    "item": i,
                    "errors": [_("This external id is already in item %(n)s.") % {"n": seen[ext]}],
                }
            )
        seen.setdefault(ext, i)
    if twice:
        raise ValidationFailed(_("Some members are not valid; nothing was saved."), errors=twice)
    known = {
        m.external_id: m
        for m in Membership.objects.filter(
            unit_path__startswith=unit.path,
            end_date__isnull=True,
            external_id__in=[e for e in seen if e],
        )
    }
    updates = [
        (item, known[item["external_id"]]) for item in members if item.get("external_id") in known
    ]
    fresh = [(i, item) for i, item in enumerate(members) if item.get("external_id") not in known]
    checker = importing.RowChecker(unit=unit, actor=actor)
    report = importing.CheckReport()
    for i, item in fresh:
        raw = {k: item.get(k) for k in FIELDS}
        for key in ("date_of_birth", "start_date"):
            if raw[key]:
                raw[key] = raw[key].strftime("%d/%m/%Y")  # the checker reads what Excel gives
        report.total_rows += 1
        result = checker.check(i + 1, raw, [])
        result.values["external_id"] = item.get("external_id") or ""
        (report.invalid if result.errors else report.valid).append(result)
    if not report.invalid and report.valid:
        checker.finish(report)
    if report.invalid:
        raise ValidationFailed(
            _("Some members are not valid; nothing was saved."),
            errors=[{"item": r.row - 1, "errors": r.errors} for r in report.invalid[:200]],
        )
    try:
        with transaction.atomic():
            imp = MemberImport.objects.create(
                unit=unit,
                uploaded_by=actor,
                file_name=_("API: %(n)s members") % {"n": len(members)},
                file_sha256="",
                status=ImportStatus.RUNNING,
                total_rows=len(members),
                valid_rows=len(report.valid) + len(updates),
            )
            counts = _write(imp, report.valid) if report.valid else {}
            counts["memberships_updated"] = _update_known(updates)
            MemberImport.objects.filter(pk=imp.pk).update(
                status=ImportStatus.DONE, finished_at=timezone.now(), **counts
            )
            audit_log(actor=actor, verb="member_import.api", target=imp, unit=unit, data=counts)
    except IntegrityError:
        raise Conflict(
            _("Another request changed these members at the same time; send them again.")
        ) from None
    imp.refresh_from_db()
    return imp


def _update_known(updates) -> int:
    """Memberships found by their external id take the position, occupation group and
    household sent (each when one is sent)."""
    from .models import Membership

    changed = 0
    for item, m in updates:
        new = {
            "position_title": (item.get("position_title") or "").strip(),
            "occupation_group": item.get("occupation_group") or "",
            "income_group": item.get("income_group") or "",
        }
        new = {k: v for k, v in new.items() if v and v != getattr(m, k)}
        if new:
            Membership.objects.filter(pk=m.pk).update(**new)
            changed += 1
    return changed


def members_by_reference(*, unit, refs: list[dict]) -> list:
    """The people that `refs` name among the active members of `unit` and the units below it,
    in order. Each reference gives one of: membership_id, phone, national_id (CCCD) or
    external_id (the pushing system's own id of the membership). Anyone not found there makes
    a 422 listing the items, with the same words whether the person is absent or elsewhere: an
    officer learns nothing about other trees."""
    from django.core.exceptions import ValidationError

    from suotdoi.core.fieldcrypto import lookup_hashes
    from suotdoi.core.vn import normalise_cccd, normalise_phone

    from .models import Membership

    if len(refs) > MAX_ITEMS:
        raise ValidationFailed(_("Send at most %(max)s members per request.") % {"max": MAX_ITEMS})
    active = Membership.objects.filter(unit_path__startswith=unit.path, end_date__isnull=True)
    keys: list[tuple[str, object] | None] = []
    for ref in refs:
        given = [(k, ref.get(k)) for k in ("membership_id", "phone", "national_id", "external_id")]
        given = [(k, v) for k, v in given if v not in (None, "")]
        if len(given) != 1:
            keys.append(None)
            continue
        kind, value = given[0]
        try:
            if kind == "phone":
                value = normalise_phone(str(value))
            elif kind == "national_id":
                value = normalise_cccd(str(value))
        except ValidationError:
            keys.append(None)
            continue
        keys.append((kind, value))
    found: dict[tuple[str, object], object] = {}
    by_kind: dict[str, set] = {}
    for key in keys:
        if key is not None:
            by_kind.setdefault(key[0], set()).add(key[1])
    rows = active.select_related("person")
    if by_kind.get("membership_id"):
        for m in rows.filter(pk__in=by_kind["membership_id"]):
            found[("membership_id", m.pk)] = m.person
    if by_kind.get("external_id"):
        for m in rows.filter(external_id__in=by_kind["external_id"]):
            found[("external_id", m.external_id)] = m.person
    if by_kind.get("phone"):
        for m in rows.filter(person__phone__in=by_kind["phone"]):
            found[("phone", m.person.phone)] = m.person
    if by_kind.get("national_id"):
        cccd_of = {h: c for c in by_kind["national_id"] for h in lookup_hashes("cccd", c)}
        for m in rows.filter(person__national_id_hash__in=list(cccd_of)):
            found[("national_id", cccd_of[m.person.national_id_hash])] = m.person
    people, missing = [], []
    for i, key in enumerate(keys):
        person = found.get(key) if key is not None else None
        if person is None:
            missing.append(i)
        else:
            people.append(person)
    if missing:
        raise ValidationFailed(
            _("Some items name nobody among the active members of this unit; nothing was saved."),
            errors=[{"item": i} for i in missing[:200]],
        )
    return people


def unit_bulk_upsert(*, actor, unit, items: list[dict]) -> dict:
    """Units pushed by another system, keyed by their code (unique in the tree): a new code
    makes a unit under `parent_code` (empty: `unit`; a parent may come earlier in the same
    request); a known code below `unit` takes the name, short name, address and type sent.
    A unit is never moved this way (that has its own operation and date). All or none."""
    from .actions import unit_create, unit_update
    from .models import Unit, UnitType

    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if not items:
        raise ValidationFailed(_("Send at least one unit."))
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_("Send at most %(max)s units per request.") % {"max": MAX_ITEMS})
    codes = [i["code"].strip().upper() for i in items]
    parents = [(i.get("parent_code") or "").strip().upper() for i in items]
    in_tree = {
        u.code: u
        for u in Unit.objects.filter(tree_key=unit.tree_key, code__in=set(codes) | set(parents))
    }
    types = {t.code: t for t in UnitType.objects.filter(code__in={i["unit_type"] for i in items})}
    errors, planned = [], {}
    for n, (item, code, parent) in enumerate(zip(items, codes, parents, strict=True)):
        problems = []
        if code in planned:
            problems.append(_("This code is already in item %(n)s.") % {"n": planned[code]})
        if item["unit_type"] not in types:
            problems.append(_("Unknown unit type."))
        known = in_tree.get(code)
        if known is not None and not known.path.startswith(unit.path):
            problems.append(_("This code is already used in your organisation's tree."))
        if (
            parent
            and parent not in planned
            and not (parent in in_tree and in_tree[parent].path.startswith(unit.path))
        ):
            problems.append(_("The parent unit is not below yours."))
        if known is not None and known.path.startswith(unit.path) and not problems:
            want = in_tree.get(parent) if parent else unit
            if known.pk != unit.pk and (want is None or known.path[: -Unit.steplen] != want.path):
                problems.append(_("Moving a unit is done with its own operation, with a date."))
        if problems:
            errors.append({"item": n, "errors": problems})
        planned.setdefault(code, n)
    if errors:
        raise ValidationFailed(
            _("Some units are not valid; nothing was saved."), errors=errors[:200]
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for item, code, parent in zip(items, codes, parents, strict=True):
            fields = {
                "name": item["name"],
                "short_name": item.get("short_name") or "",
                "address": item.get("address") or "",
                "unit_type": types[item["unit_type"]],
            }
            known = in_tree.get(code)
            if known is None:
                new = unit_create(
                    actor=actor, parent=in_tree[parent] if parent else unit, code=code, **fields
                )
                in_tree[code] = new
                counts["created"] += 1
                continue
            before = known.name, known.short_name, known.address, known.unit_type_id
            known = unit_update(actor=actor, unit=known, data=fields)
            after = known.name, known.short_name, known.address, known.unit_type_id
            counts["updated" if after != before else "unchanged"] += 1
    return counts

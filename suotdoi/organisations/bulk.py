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
)


def member_bulk_upsert(*, actor, unit, members: list[dict]) -> MemberImport:
    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if not members:
        raise ValidationFailed(_("Send at least one member."))
    if len(members) > MAX_ITEMS:
        raise ValidationFailed(_("Send at most %(max)s members per request.") % {"max": MAX_ITEMS})
    checker = importing.RowChecker(unit=unit, actor=actor)
    report = importing.CheckReport()
    for i, item in enumerate(members, start=1):
        raw = {k: item.get(k) for k in FIELDS}
        for key in ("date_of_birth", "start_date"):
            if raw[key]:
                raw[key] = raw[key].strftime("%d/%m/%Y")  # the checker reads what Excel gives
        report.total_rows += 1
        result = checker.check(i, raw, [])
        (report.invalid if result.errors else report.valid).append(result)
    if not report.invalid:
        checker.finish(report)
    if report.invalid:
        raise ValidationFailed(
            _("Some members are not valid; nothing was saved."),
            errors=[{"item": r.row - 1, "errors": r.errors} for r in report.invalid[:200]],
        )
    with transaction.atomic():
        imp = MemberImport.objects.create(
            unit=unit,
            uploaded_by=actor,
            file_name=_("API: %(n)s members") % {"n": len(members)},
            file_sha256="",
            status=ImportStatus.RUNNING,
            total_rows=len(members),
            valid_rows=len(report.valid),
        )
        counts = _write(imp, report.valid)
        MemberImport.objects.filter(pk=imp.pk).update(
            status=ImportStatus.DONE, finished_at=timezone.now(), **counts
        )
        audit_log(actor=actor, verb="member_import.api", target=imp, unit=unit, data=counts)
    imp.refresh_from_db()
    return imp

"""Member lists to XLSX, written row by row so a large list never sits in memory."""

from __future__ import annotations

import tempfile

from django.utils.translation import gettext as _

from suotdoi.core.sheets import add_row, add_sheet
from suotdoi.core.vn import mask_cccd
from suotdoi.organisations.models import STEPLEN, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _parent_names(memberships) -> dict[str, str]:
    """Names of the units directly above the listed units, by path (one query)."""
    paths = {
        p[:-STEPLEN] for p in memberships.order_by().values_list("unit__path", flat=True).distinct()
    }
    paths.discard("")
    return dict(Unit.objects.filter(path__in=paths).values_list("path", "name"))


def members_xlsx(memberships) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = add_sheet(
        wb,
        _("Members"),
        [
            _("Full name"),
            _("Date of birth"),
            _("Gender"),
            _("Phone"),
            _("Email"),
            _("Citizen ID (CCCD)"),
            _("Unit"),
            _("Unit code"),
            _("Parent unit"),
            _("Role"),
            _("Position"),
            _("From"),
            _("Until"),
        ],
        widths=[28, 13, 10, 15, 26, 16, 32, 14, 32, 20, 20, 12, 12],
    )
    parents = _parent_names(memberships)
    for m in memberships.iterator(chunk_size=2000):
        p = m.person
        add_row(
            ws,
            [
                p.full_name,
                p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "",
                p.get_gender_display() if p.gender else "",
                p.phone_display,
                p.email or "",
                mask_cccd(p.national_id),
                m.unit.name,
                m.unit.code,
                parents.get(m.unit.path[:-STEPLEN], ""),
                m.get_role_display(),
                m.position_title,
                m.start_date.strftime("%d/%m/%Y"),
                m.end_date.strftime("%d/%m/%Y") if m.end_date else "",
            ],
        )
    # Closed by the FileResponse that streams it.
    fh = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(fh)
    fh.seek(0)
    return fh

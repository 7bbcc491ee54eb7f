"""Member lists to XLSX, written row by row so a large list never sits in memory."""

from __future__ import annotations

import tempfile

from django.utils.translation import gettext as _

from suotdoi.core.vn import mask_cccd

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def members_xlsx(memberships) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Members"))
    ws.append(
        [
            _("Full name"),
            _("Date of birth"),
            _("Gender"),
            _("Phone"),
            _("Email"),
            _("Citizen ID (CCCD)"),
            _("Unit"),
            _("Unit code"),
            _("Role"),
            _("Position"),
            _("From"),
            _("Until"),
        ]
    )
    for m in memberships.iterator(chunk_size=2000):
        p = m.person
        ws.append(
            [
                p.full_name,
                p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "",
                p.get_gender_display() if p.gender else "",
                p.phone_display,
                p.email or "",
                mask_cccd(p.national_id),
                m.unit.name,
                m.unit.code,
                m.get_role_display(),
                m.position_title,
                m.start_date.strftime("%d/%m/%Y"),
                m.end_date.strftime("%d/%m/%Y") if m.end_date else "",
            ]
        )
    # Closed by the FileResponse that streams it.
    fh = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(fh)
    fh.seek(0)
    return fh

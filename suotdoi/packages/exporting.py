"""The provider's report of a package as a workbook (Excel, LibreOffice)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.core.sheets import add_row, add_sheet

from . import selectors
from .models import Package


def report_workbook(package: Package) -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = add_sheet(
        wb,
        _("Learners"),
        [
            _("Learner"),
            _("Status"),
            _("Score (%)"),
            _("Best score (%)"),
            _("Minutes"),
            _("Attempts"),
            _("Last activity"),
            _("Finished"),
        ],
        widths=[32, 16, 12, 14, 10, 10, 18, 18],
    )
    for r in selectors.learner_rows(package):
        add_row(
            ws,
            [
                r["person"].full_name,
                str(r["status_label"]),
                r["score_pct"],
                r["best_pct"],
                r["minutes"],
                r["attempts"],
                timezone.localtime(r["updated_at"]).strftime("%d/%m/%Y %H:%M"),
                timezone.localtime(r["ended_at"]).strftime("%d/%m/%Y %H:%M")
                if r["ended_at"]
                else "",
            ],
        )
    about = add_sheet(wb, _("Package"), [_("Item"), _("Value")], widths=[24, 60])
    for label, value in (
        (_("Package"), package.title),
        (_("Course"), package.lesson.course.title),
        (_("Standard"), f"{package.get_standard_display()} {package.edition}".strip()),
        (_("Made"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
    ):
        add_row(about, [str(label), value])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out

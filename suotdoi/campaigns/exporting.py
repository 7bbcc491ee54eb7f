"""The issuer's exports: a workbook with a sheet per level, and the official PDF summary."""

from __future__ import annotations

import tempfile

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.core.pdf import render_pdf
from suotdoi.core.sheets import add_row, add_sheet

from . import selectors


def campaign_xlsx(*, campaign) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook

    from .selectors import campaign_roots

    wb = Workbook(write_only=True)
    roots = campaign_roots(campaign)
    header = [
        _("Unit"),
        _("Tasks"),
        _("Done"),
        _("Sessions held"),
        _("Members"),
        _("Attended"),
        _("Attendance (%)"),
        _("Reports received"),
    ]
    deepest = max(selectors.task_depths(campaign=campaign) or [0])
    for n_root, root in enumerate(roots):
        for depth in range(root.depth + 1, deepest + 1):
            rows = selectors.rows_at_depth(campaign=campaign, root=root, depth=depth)
            if not rows:
                continue
            title = _("Level %(n)s") % {"n": depth - root.depth}
            if n_root:  # a partner's tree of a joint campaign: its own sheets
                title = f"{root.code[:18]} {title}"
            ws = add_sheet(wb, title, header, widths=[40, 8, 8, 10, 10, 10, 12, 12])
            for r in rows:
                add_row(
                    ws,
                    [
                        r["unit"].name,
                        r["tasks"],
                        r["done"],
                        r["sessions"],
                        r["members"],
                        r["attendees"],
                        r["attendance_pct"],
                        r["reported"],
                    ],
                )
    if not wb.worksheets:
        add_sheet(wb, _("Level %(n)s") % {"n": 1}, header)
    out = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - returned
    wb.save(out)
    out.seek(0)
    return out


def campaign_pdf(*, campaign, base_url: str) -> bytes:
    issuer = campaign.issuer
    rows = selectors.dashboard_rows(campaign=campaign, focus=issuer)
    rows.sort(key=lambda r: r["unit"].path)
    html = render_to_string(
        "campaigns/summary.html",
        {
            "campaign": campaign,
            "issuer": issuer,
            "total": selectors.rollup(campaign=campaign, focus=issuer),
            "rows": rows,
            "lagging": [r for r in rows if r["lagging"]],
            "now": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)

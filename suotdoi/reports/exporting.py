"""A report in the official layout: PDF (national heading, numbered sections, the signer) and
XLSX (the report, then one sheet per level below with every unit's figures), both from the
same consolidation the page shows."""

from __future__ import annotations

import io
from collections import defaultdict

from django.template.loader import render_to_string
from django.utils import timezone

from suotdoi.core.pdf import render_pdf
from suotdoi.core.sheets import print_setup
from suotdoi.core.sheets import put_cell as _put

from . import rules, selectors
from .models import Report


def _lines(report: Report, whole: dict) -> list[dict]:
    out = []
    for section in report.period.form.sections:
        rows = []
        for n, item in enumerate(section["items"], start=1):
            code, kind = item["code"], item["kind"]
            if kind == "ratio":
                own, total = rules.ratio(item, report.values), rules.ratio(item, whole["values"])
            elif kind == "text":
                own = total = None
            else:
                own = rules.dec(report.values.get(code))
                total = rules.dec(whole["values"].get(code))
            rows.append(
                {
                    "n": n,
                    "item": item,
                    "own": own,
                    "total": total,
                    "text": report.texts.get(code, ""),
                    "note": report.notes.get(code, ""),
                }
            )
        numeric = any(i["kind"] != "text" for i in section["items"])
        out.append(
            {
                "number": section["number"],
                "title": section["title"],
                "rows": rows,
                "numeric": numeric,
            }
        )
    return out


def report_pdf(*, report: Report, base_url: str) -> bytes:
    whole = selectors.consolidation(report)
    parent_name = report.parent.unit.name if report.parent_id else ""
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "r": report,
            "sections": _lines(report, whole),
            "whole": whole,
            "parent_name": parent_name,
            "accepted": len(whole["children"]) - len(whole["missing"]),
            "now": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)


def report_xlsx(*, report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    reports = sorted(selectors.subtree_reports(report), key=lambda r: r.unit_path)
    whole = selectors.consolidation(report, reports)
    period, items = report.period, report.period.form.items()
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    _put(ws, 1, 1, f"{report.unit.name} — {period.form.title}", bold=True)
    _put(ws, 2, 1, f"{period.title} (từ {period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y})")
    as_of = timezone.localtime(report.figures_as_of) if report.figures_as_of else None
    _put(ws, 3, 1, f"Số liệu tính đến {as_of:%H:%M %d/%m/%Y}" if as_of else "")
    for col, head in enumerate(
        [
            "TT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Số liệu của đơn vị",
            "Tổng hợp (cả các đơn vị trực thuộc đã duyệt)",
            "Giải trình",
        ],
        1,
    ):
        _put(ws, 4, col, head, bold=True)
    row = 5
    for section in _lines(report, whole):
        _put(ws, row, 1, section["number"], bold=True)
        _put(ws, row, 2, section["title"], bold=True)
        row += 1
        for line in section["rows"]:
            item = line["item"]
            _put(ws, row, 1, line["n"])
            _put(ws, row, 2, item["label"])
            if item["kind"] == "text":
                _put(ws, row, 4, line["text"])
            else:
                _put(ws, row, 3, item.get("unit", ""))
                fmt = "#,##0.0" if item["kind"] == "ratio" else "#,##0.##"
                _put(ws, row, 4, line["own"], number=fmt)
                _put(ws, row, 5, line["total"], number=fmt)
                _put(ws, row, 6, line["note"])
            row += 1
    for i, width in enumerate([6, 60, 12, 18, 22, 40], 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup(ws, title_row=4)
    # One sheet per level below: every unit's report, its status and figures.
    by_type: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        if r.pk != report.pk:
            t = r.unit.unit_type
            by_type[(t.order, t.code, t.name)].append(r)
    memo = {r.pk: r for r in reports}
    sums = whole["sums"]
    numeric = [i for i in items if i["kind"] in ("computed", "typed")]
    statuses = dict(Report.STATUSES)
    for (_order, _code, name), group in sorted(by_type.items()):
        sheet = wb.create_sheet(title=name[:31])
        _put(sheet, 1, 1, f"{period.title}: {name}", bold=True)
        _put(sheet, 2, 1, "Số liệu của mỗi đơn vị (gồm các đơn vị trực thuộc đã duyệt)")
        heads = ["TT", "Đơn vị", "Trạng thái", "Ngày gửi"] + [i["label"] for i in numeric]
        for col, head in enumerate(heads, 1):
            _put(sheet, 4, col, head, bold=True)
        for n, r in enumerate(group, 1):
            values = sums[r.pk]
            rr = 4 + n
            _put(sheet, rr, 1, n)
            _put(sheet, rr, 2, memo[r.pk].unit.name)
            _put(sheet, rr, 3, str(statuses.get(r.status, r.status)))
            _put(
                sheet,
                rr,
                4,
                timezone.localtime(r.submitted_at).strftime("%d/%m/%Y") if r.submitted_at else "",
            )
            for col, item in enumerate(numeric, 5):
                _put(sheet, rr, col, rules.dec(values.get(item["code"])), number="#,##0.##")
        sheet.column_dimensions["A"].width = 6
        sheet.column_dimensions["B"].width = 40
        for col in range(3, len(heads) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 16
        print_setup(sheet, title_row=4)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

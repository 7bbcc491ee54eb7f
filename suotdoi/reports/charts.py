# ruff: noqa: E501 - SVG markup reads best one element per line
"""Charts drawn on the server as SVG: no script to download on a cheap phone, the same picture
in the browser, in print and in the PDF, and a table beside each one for screen readers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

W, H, PAD = 360, 170, 28


def months_svg(months: list[dict], *, year: int) -> SafeString:
    """Hours of learning by month: the verified part dark, the rest light."""
    by_month = {m["month"]: m for m in months}
    top = max([Decimal(m["hours"] or 0) for m in months] + [Decimal(1)])
    bar = (W - PAD - 4) / 12
    parts = [
        f'<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="mchart-t" '
        'xmlns="http://www.w3.org/2000/svg" class="chart">',
        f'<title id="mchart-t">{escape(_("Hours of learning by month, %(year)s") % {"year": year})}</title>',
        f'<line x1="{PAD}" y1="{H - 20}" x2="{W}" y2="{H - 20}" stroke="#555"/>',
        f'<text x="{PAD - 4}" y="14" text-anchor="end" font-size="12">{escape(number_format(top, 0, force_grouping=True))}</text>',
    ]
    scale = (H - 40) / float(top)
    for i in range(12):
        m = by_month.get(i + 1, {})
        hours, verified = float(m.get("hours") or 0), float(m.get("verified") or 0)
        x = PAD + i * bar + 2
        h_all, h_ver = hours * scale, verified * scale
        parts.append(
            f'<rect x="{x:.1f}" y="{H - 20 - h_all:.1f}" width="{bar - 4:.1f}" height="{h_all:.1f}" fill="#9ec5e8"/>'
            f'<rect x="{x:.1f}" y="{H - 20 - h_ver:.1f}" width="{bar - 4:.1f}" height="{h_ver:.1f}" fill="#1d5c96"/>'
            f'<text x="{x + (bar - 4) / 2:.1f}" y="{H - 6}" text-anchor="middle" font-size="12">{i + 1}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def rates_svg(children: list[dict], *, limit: int = 40) -> SafeString:
    """Each child's share of members who learned, with the median of units of its size
    (a tick): compared with peers, never ranked by headcount."""
    rows = children[:limit]
    if not rows:
        return mark_safe("")
    row_h = 40
    height = row_h * len(rows) + 8
    parts = [
        f'<svg viewBox="0 0 {W} {height}" width="100%" role="img" aria-labelledby="rchart-t" '
        'xmlns="http://www.w3.org/2000/svg" class="chart">',
        f'<title id="rchart-t">{escape(_("Share of members who learned, each unit beside the median of units of its size"))}</title>',
    ]
    span = W - 8
    for i, r in enumerate(rows):
        y = 4 + i * row_h
        name = r["unit"].short_name or r["unit"].name
        name = name if len(name) <= 36 else name[:35] + "…"
        value = r["rates"]["participation"]
        med = r["median"]["participation"]
        shown = "—" if value is None else f"{number_format(value, 1)} %"
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="16">{escape(name)}: {escape(shown)}</text>'
        )
        parts.append(f'<rect x="0" y="{y + 22}" width="{span}" height="12" fill="#eef1f4"/>')
        if value is not None:
            w = span * min(float(value), 100.0) / 100
            parts.append(f'<rect x="0" y="{y + 22}" width="{w:.1f}" height="12" fill="#1d5c96"/>')
        if med is not None:
            mx = span * min(float(med), 100.0) / 100
            parts.append(
                f'<line x1="{mx:.1f}" y1="{y + 19}" x2="{mx:.1f}" y2="{y + 37}" stroke="#c0392b" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

"""A fund's report and a provider's statement as workbooks (no cell can be a formula)."""

from __future__ import annotations

import tempfile

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.core.sheets import add_row, add_sheet

from . import ledger, selectors
from .models import Fund, Spend

STATUS_SUMS = {
    status: Sum("amount", filter=Q(status=status), default=0)
    for status in (Spend.HELD, Spend.REVIEW, Spend.PAID, Spend.REFUNDED, Spend.CLAWED_BACK)
}


def _save(wb) -> tempfile.SpooledTemporaryFile:
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned
    wb.save(out)
    out.seek(0)
    return out


def fund_xlsx(fund: Fund):
    """The fund's figures, a line per provider, and a line per spend (to pivot by unit)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    f = selectors.fund_figures(fund)
    ws = add_sheet(wb, _("Summary"), [_("Item"), _("Amount (đồng)")], widths=[40, 20])
    for label, key in (
        (_("Received"), "deposited"),
        (_("Not yet granted"), "pool"),
        (_("Granted"), "granted"),
        (_("Unspent in accounts"), "unspent"),
        (_("Held for courses"), "held"),
        (_("Paid to providers"), "paid"),
        (_("Refunded to learners"), "refunded"),
        (_("Clawed back"), "clawed_back"),
        (_("Expired back to the fund"), "expired"),
    ):
        add_row(ws, [str(label), f[key]])
    problems = ledger.verify(fund)
    add_row(ws, [_("Reconciled"), _("yes") if not problems else "; ".join(problems)[:500]])
    add_row(ws, [_("Made"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    ws = add_sheet(
        wb,
        _("By provider"),
        [
            _("Provider"),
            _("Spends"),
            _("Held"),
            _("Waiting for review"),
            _("Paid"),
            _("Refunded"),
            _("Clawed back"),
        ],
        widths=[40, 10, 14, 14, 14, 14, 14],
    )
    rows = (
        Spend.objects.filter(fund=fund)
        .values("provider__unit__name")
        .annotate(n=Count("pk"), **STATUS_SUMS)
        .order_by("provider__unit__name")
    )
    for r in rows:
        add_row(
            ws,
            [
                r["provider__unit__name"],
                r["n"],
                r["held"],
                r["review"],
                r["paid"],
                r["refunded"],
                r["clawed_back"],
            ],
        )
    _by_unit(wb, fund)
    ws = add_sheet(
        wb,
        _("Spends"),
        [
            _("Date"),
            _("Learner"),
            _("Course"),
            _("Provider"),
            _("Price"),
            _("Fund pays"),
            _("State"),
            _("Checks that fired"),
            _("Reason"),
        ],
        widths=[12, 30, 40, 30, 12, 12, 24, 30, 30],
    )
    for s in (
        Spend.objects.filter(fund=fund)
        .select_related("person", "course", "provider__unit")
        .order_by("created_at")
        .iterator(chunk_size=2000)
    ):
        add_row(
            ws,
            [
                timezone.localtime(s.created_at).date(),
                s.person.full_name,
                s.course.title,
                s.provider.unit.name,
                s.price,
                s.amount,
                str(s.get_status_display()),
                ", ".join(s.flags),
                s.reason,
            ],
        )
    return _save(wb)


def _by_unit(wb, fund: Fund) -> None:
    """A line per unit where the learners are members (the deepest such unit under the fund's):
    spends, held, paid, given back."""
    from suotdoi.organisations.models import Membership

    home: dict[int, tuple[int, str, str]] = {}
    for person_id, path, unit_id, name in (
        Membership.objects.filter(
            person__in=Spend.objects.filter(fund=fund).values("person"),
            unit_path__startswith=fund.unit.path,
            end_date__isnull=True,
        )
        .values_list("person_id", "unit_path", "unit_id", "unit__name")
        .iterator(chunk_size=5000)
    ):
        if person_id not in home or len(path) > len(home[person_id][1]):
            home[person_id] = (unit_id, path, name)
    rows: dict[int, dict] = {}
    for person_id, status, amount in (
        Spend.objects.filter(fund=fund).values_list("person_id", "status", "amount").iterator()
    ):
        unit_id, path, name = home.get(person_id, (0, "", _("no longer a member")))
        r = rows.setdefault(
            unit_id, {"path": path, "name": name, "n": 0, "held": 0, "paid": 0, "back": 0}
        )
        r["n"] += 1
        if status in (Spend.HELD, Spend.REVIEW):
            r["held"] += amount
        elif status == Spend.PAID:
            r["paid"] += amount
        elif status in (Spend.REFUNDED, Spend.CLAWED_BACK):
            r["back"] += amount
    ws = add_sheet(
        wb,
        _("By unit"),
        [_("Unit"), _("Spends"), _("Held"), _("Paid"), _("Refunded or clawed back")],
        widths=[40, 10, 14, 14, 18],
    )
    for r in sorted(rows.values(), key=lambda r: r["path"]):
        add_row(ws, [r["name"], r["n"], r["held"], r["paid"], r["back"]])


def provider_statement(provider, funds=None):
    """What the funds paid, refunded or took back from a provider, spend by spend."""
    qs = Spend.objects.filter(
        provider=provider, status__in=[Spend.PAID, Spend.REFUNDED, Spend.CLAWED_BACK]
    )
    if funds is not None:
        qs = qs.filter(fund__in=funds)
    return qs.select_related("fund", "course", "person").order_by("-settled_at", "-pk")


def provider_xlsx(provider):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = add_sheet(
        wb,
        _("Statement"),
        [_("Paid on"), _("Fund"), _("Course"), _("Learner"), _("Amount (đồng)"), _("State")],
        widths=[12, 30, 40, 30, 14, 24],
    )
    for s in provider_statement(provider).iterator(chunk_size=2000):
        when = timezone.localtime(s.settled_at).date() if s.settled_at else None
        add_row(
            ws,
            [
                when,
                s.fund.name,
                s.course.title,
                s.person.full_name,
                s.amount,
                str(s.get_status_display()),
            ],
        )
    return _save(wb)


def fund_month_pdf(fund: Fund, first, *, base_url: str | None = None) -> bytes:
    """The month's report as the unit files it: balances and movements by kind of account,
    payments by provider, the reconciliation, signature lines (an official form: Vietnamese)."""
    from django.template.loader import render_to_string

    from suotdoi.core.pdf import render_pdf

    html = render_to_string(
        "funding/month_pdf.html",
        {
            "fund": fund,
            "m": selectors.fund_month(fund, first),
            "figures": selectors.fund_figures(fund),
            "now": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)

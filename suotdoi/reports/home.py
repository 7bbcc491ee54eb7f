"""Where reports show: the unit page's links (dashboard, reports), and the reports a person
must prepare or review among their to-dos."""

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import register_todos


def _todos(person):
    """Reports of the person's units still to send, and children's reports to review."""
    from django.urls import reverse

    from suotdoi.organisations.access import scope_q
    from suotdoi.organisations.policies import Capability
    from suotdoi.web.home import Todo

    from .models import Period, Report

    scope = scope_q(person, Capability.REPORT, field="unit_path")
    if scope is None:  # platform staff: not a reporting unit by that alone
        return []
    live = Report.objects.filter(period__status=Period.OPEN).select_related("period", "unit")
    todo = [
        Todo(
            kind=str(_("Report to send")),
            title=f"{r.unit.name} — {r.period.title}",
            url=reverse("reports:report", args=[r.pk]),
        )
        for r in live.filter(scope, status__in=[Report.DRAFT, Report.RETURNED]).order_by(
            "period__deadline", "unit_path"
        )[:5]
    ]
    parent_scope = scope_q(person, Capability.REPORT, field="parent__unit_path")
    todo += [
        Todo(
            kind=str(_("Report to review")),
            title=f"{r.unit.name} — {r.period.title}",
            url=reverse("reports:report", args=[r.parent_id]),
        )
        for r in live.filter(parent_scope, status=Report.SUBMITTED).order_by("submitted_at")[:5]
    ]
    return todo


register_todos(_todos)


def unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.VIEW):
        return None
    return render_to_string(
        "reports/_unit_panel.html",
        {"unit": unit, "may_report": can(actor, unit, Capability.REPORT)},
    )

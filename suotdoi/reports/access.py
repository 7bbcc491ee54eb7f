"""Who may see and change periodic reports: the officers and reporters of the report's unit
(or of a unit above it)."""

from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Period, Report


def access_report(actor, report_id) -> Report:
    report = (
        Report.objects.select_related(
            "period__form", "period__unit", "unit__unit_type", "parent__unit"
        )
        .filter(pk=int_or(report_id))
        .first()
    )
    if report is None or not can(actor, report.unit, Capability.REPORT):
        raise NotFound()
    return report


def access_child_report(actor, report_id) -> Report:
    """A report the actor reviews: the unit it goes to is the actor's."""
    report = (
        Report.objects.select_related("period__form", "unit", "parent__unit")
        .filter(pk=int_or(report_id), parent__isnull=False)
        .first()
    )
    if report is None or not can(actor, report.parent.unit, Capability.REPORT):
        raise NotFound()
    return report


def access_period(actor, period_id) -> Period:
    period = Period.objects.select_related("form", "unit").filter(pk=int_or(period_id)).first()
    if period is None or not can(actor, period.unit, Capability.REPORT):
        raise NotFound()
    return period

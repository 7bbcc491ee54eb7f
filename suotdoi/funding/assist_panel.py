"""The learning-account part of the assisted-use page: the member's credit and the courses it
pays for, which an officer they consented to be helped by may pay for with them (#18.3)."""

from __future__ import annotations

from django.template.loader import render_to_string

from suotdoi.records.assist import assisting_unit
from suotdoi.records.panels import register_assist_panel

from . import rules
from .models import Fund, LedgerAccount


def _panel(*, request, membership):
    person = membership.person
    if assisting_unit(request.user, person) is None:
        return None
    accounts = [
        (acc, rules.eligible_courses(acc.fund, 10) if acc.fund.status == Fund.OPEN else [])
        for acc in LedgerAccount.objects.filter(
            kind=LedgerAccount.LEARNER, person=person
        ).select_related("fund")
    ]
    if not accounts:
        return None
    return render_to_string(
        "funding/_assist_panel.html", {"m": membership, "accounts": accounts}, request=request
    )


register_assist_panel(_panel)

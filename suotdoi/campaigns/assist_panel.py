"""The campaigns part of the assisted-use page: sessions open for check-in now to which the
member is invited, each with a button to check them in (#18.3)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from suotdoi.organisations.models import Membership, Unit
from suotdoi.records.assist import assisting_unit
from suotdoi.records.panels import register_assist_panel

from .actions.sessions import is_invited
from .models import Attendance, CampaignStatus, Session


def open_sessions_for(person) -> list[Session]:
    """Sessions whose check-in is open now, organised by a unit the person belongs to (or an
    ancestor of one), that invite them and that they have not attended yet."""
    now = timezone.now()
    step = Unit.steplen
    paths = set()
    for p in Membership.objects.filter(person=person, end_date__isnull=True).values_list(
        "unit_path", flat=True
    ):
        paths.update(p[:i] for i in range(step, len(p) + 1, step))
    if not paths:
        return []
    candidates = (
        Session.objects.filter(
            task__unit_path__in=paths,
            starts_at__gte=now - dt.timedelta(hours=26),
            starts_at__lte=now + Session.CHECK_IN_MARGIN,
        )
        .exclude(task__campaign__status=CampaignStatus.CLOSED)
        .select_related("task__unit")
        .order_by("starts_at")[:50]
    )
    done = set(
        Attendance.objects.filter(person=person, session__in=candidates).values_list(
            "session_id", flat=True
        )
    )
    return [
        s
        for s in candidates
        if s.pk not in done
        and s.check_in_opens <= now <= s.check_in_closes
        and is_invited(s, person)
    ]


def _panel(*, request, membership):
    actor = request.user
    if assisting_unit(actor, membership.person) is None:
        return None
    sessions = open_sessions_for(membership.person)
    return render_to_string(
        "campaigns/_assist_panel.html", {"m": membership, "sessions": sessions}, request=request
    )


register_assist_panel(_panel)

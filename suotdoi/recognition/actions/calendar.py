"""Calendars per title and year, late submissions refused, daily reminders."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.notifications.messages import Day, Say
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability

from ..models import (
    Assessment,
    Status,
)
from ..selectors import round_for

# --- calendar and reminders -----------------------------------------------------------------


@transaction.atomic
def round_set(*, actor, unit: Unit, title_code: str, year: int, submit_by, review_by, decide_by):
    from ..models import Round

    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if not (submit_by <= review_by <= decide_by):
        raise ValidationFailed(_("The dates go in order: self-assessments, reviews, decisions."))
    r, _created = Round.objects.update_or_create(
        title_code=title_code,
        year=year,
        unit=unit,
        defaults={
            "unit_path": unit.path,
            "submit_by": submit_by,
            "review_by": review_by,
            "decide_by": decide_by,
        },
    )
    audit_log(
        actor=actor,
        verb="recognition.round",
        target=r,
        unit=unit,
        data={
            "submit_by": str(submit_by),
            "review_by": str(review_by),
            "decide_by": str(decide_by),
        },
    )
    return r


def _check_on_time(a: Assessment) -> None:
    r = round_for(a)
    if r is None:
        return
    today = timezone.localdate()
    # A first submission by the due date; a returned one may come back until reviews are due.
    due = r.review_by if a.status == Status.RETURNED else r.submit_by
    if today > due:
        raise ValidationFailed(
            _("Self-assessments for %(year)s were due by %(date)s; ask %(unit)s.")
            % {"year": a.year, "date": due.strftime("%d/%m/%Y"), "unit": r.unit.name}
        )


def remind(*, today: dt.date | None = None, days: int = 7) -> int:
    """Notify whoever holds up an assessment whose step is due within `days`: the subject
    (not yet submitted) and the reviewing unit's evaluators (submitted, not reviewed). Once a
    day at most (dedupe key)."""
    from suotdoi.notifications.actions import notify
    from suotdoi.organisations.policies import role_allows

    from ..models import Round

    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=days)
    sent = 0
    for r in Round.objects.filter(review_by__gte=today).select_related("unit"):
        late_submit = today <= r.submit_by <= soon
        late_review = today <= r.review_by <= soon
        if not (late_submit or late_review):
            continue
        rows = Assessment.objects.filter(
            criteria_set__code=r.title_code, year=r.year, unit_path__startswith=r.unit_path
        ).select_related("person", "unit", "criteria_set")
        for a in rows:
            if late_submit and a.status in (Status.REGISTERED, Status.RETURNED) and a.person_id:
                with override(a.person.language):
                    sent += (
                        notify(
                            recipient=a.person,
                            kind="recognition.due",
                            title=Say(
                                gettext_noop("Your self-assessment is due by %(date)s"),
                                date=Day(r.submit_by),
                            ),
                            body=a.criteria_set.title,
                            url=f"/recognition/assessments/{a.pk}/",
                            dedupe_key=f"recognition.due:{a.pk}:{today.isoformat()}",
                        )
                        is not None
                    )
            if late_review and a.status == Status.SUBMITTED:
                step = Unit.steplen
                between = [  # the reviewing unit and those above it, up to the round's unit
                    a.unit_path[:end] for end in range(len(r.unit_path), len(a.unit_path) + 1, step)
                ]
                for m in Membership.objects.filter(
                    unit_path__in=between, end_date__isnull=True
                ).select_related("person"):
                    if role_allows(m.role, Capability.EVALUATE) and m.person_id != a.person_id:
                        with override(m.person.language):
                            sent += (
                                notify(
                                    recipient=m.person,
                                    kind="recognition.review_due",
                                    title=Say(
                                        gettext_noop("Assessments to review by %(date)s"),
                                        date=Day(r.review_by),
                                    ),
                                    body=a.criteria_set.title,
                                    url=f"/recognition/assessments/{a.pk}/",
                                    dedupe_key=f"recognition.review_due:{a.pk}:{m.person_id}:{today}",
                                )
                                is not None
                            )
    return sent

"""Checking in a member who cannot scan a code themselves, by an officer they consented to be
helped by (#18.3): same window and invitation rules as a scan; the entry and the audit row say
who did it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from suotdoi.core.errors import NotFound
from suotdoi.records.assist import assisting_unit
from suotdoi.records.models import LearningEntry

from ..errors import CampaignClosed, CheckInRefused
from ..models import Attendance, CampaignStatus, Session
from .sessions import _attendance_create, _check_in_window, attendance_settle, is_invited


@transaction.atomic
def check_in_for(*, actor, session_id: int, person) -> tuple[Session, bool]:
    if assisting_unit(actor, person) is None:
        raise NotFound()
    session = Session.objects.select_related("task__campaign").filter(pk=session_id).first()
    if session is None or not is_invited(session, person):
        raise NotFound()
    if session.task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    _check_in_window(session)
    att, created = _attendance_create(
        session=session, person=person, method="assisted", status=Attendance.PRESENT
    )
    if not created:
        raise CheckInRefused(_("This member is already checked in."))
    attendance_settle(attendance_id=att.pk, actor=actor)
    LearningEntry.objects.filter(
        person=person, source_key=f"session:{session.pk}:{person.pk}"
    ).update(entered_by=actor)
    return session, created

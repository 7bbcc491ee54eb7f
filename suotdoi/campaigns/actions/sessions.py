"""Sessions, invitations, attendance and QR check-in, settling a hall's check-ins, reports
and reminders."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import At, Day, Say
from suotdoi.organisations.models import Membership
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from .. import qr
from ..errors import CampaignClosed, CheckInRefused
from ..models import (
    Attendance,
    Campaign,
    CampaignStatus,
    Participant,
    Session,
    Task,
)
from ._common import _refresh_done

# --- sessions and attendance ----------------------------------------------------------------


@transaction.atomic
def session_create(*, actor, task: Task, invitees=(), **fields) -> Session:
    """Schedule a session. Every member of the unit is invited unless `invite_all` is off;
    then `invitees` (people who are members below the unit) are."""
    from suotdoi.core.errors import ValidationFailed

    from ..models import SessionInvitee

    if task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    invitees = list(invitees)
    if not fields.get("invite_all", True):
        if not invitees:
            raise ValidationFailed(_("Choose who is invited, or invite every member."))
        members = set(
            Membership.objects.filter(
                unit_path__startswith=task.unit_path,
                end_date__isnull=True,
                person_id__in=[p.pk for p in invitees],
            ).values_list("person_id", flat=True)
        )
        if len(members) != len({p.pk for p in invitees}):
            raise ValidationFailed(_("Only members of the unit can be invited."))
    session = Session.objects.create(task=task, qr_secret=secrets.token_hex(32), **fields)
    if not session.invite_all:
        SessionInvitee.objects.bulk_create(
            [SessionInvitee(session=session, person=p) for p in invitees], ignore_conflicts=True
        )
    audit_log(
        actor=actor,
        verb="session.create",
        target=session,
        unit=task.unit,
        data={"campaign": task.campaign_id},
    )
    from ..tasks import session_announce_task

    transaction.on_commit(partial(session_announce_task.enqueue, session.pk))
    return session


def session_announce(*, session_id: int) -> int:
    """Tell the invited members (the holding unit's members) when and where: one notification
    each, once (dedupe key), email in one background task."""
    from suotdoi.notifications.actions import notify_many

    from ..models import SessionInvitee

    session = Session.objects.select_related("task__unit").filter(pk=session_id).first()
    if session is None:
        return 0
    if session.invite_all:
        people = {
            m.person_id: m.person
            for m in Membership.objects.filter(
                unit_path__startswith=session.task.unit_path, end_date__isnull=True
            ).select_related("person")
        }
    else:
        people = {
            i.person_id: i.person
            for i in SessionInvitee.objects.filter(session=session).select_related("person")
        }
    when = timezone.localtime(session.starts_at)
    items = []
    for person in people.values():
        with override(person.language):
            items.append(
                {
                    "recipient": person,
                    "kind": "session.invited",
                    "title": Say(gettext_noop("Invitation: %(title)s"), title=session.title),
                    "body": Say(
                        gettext_noop("%(unit)s invites you on %(when)s at %(place)s."),
                        unit=session.task.unit.name,
                        when=At(when),
                        place=session.place or "—",
                    ),
                    "url": "/record/",
                    "dedupe_key": f"session.invited:{session.pk}:{person.pk}",
                    "text_unit": session.task.unit_id,
                }
            )
    return notify_many(items)


def is_invited(session: Session, person) -> bool:
    from ..access import is_member_below
    from ..models import SessionInvitee

    if not session.invite_all:
        return SessionInvitee.objects.filter(session=session, person=person).exists()
    return is_member_below(person, session.task.unit_path)


def _attendance_create(*, session: Session, person, method: str, status: str):
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session, person=person, method=method, status=status
            ), True
    except IntegrityError:
        return Attendance.objects.get(session=session, person=person), False


@transaction.atomic
def attendance_settle(*, attendance_id: int, actor=None) -> None:
    """What an attendance sets off: the task's counters (distinct attendees, sessions held),
    the unit-verified learning entry, the task's "done" flag and the audit row. Runs once per
    attendance (guarded by `settled_at`), in the request for the organiser's manual entries and
    in the background for QR check-ins, so a busy hall gets its answers at once."""
    att = (
        Attendance.objects.select_for_update()
        .select_related("session__task__campaign", "session__task__unit", "person")
        .filter(pk=attendance_id, settled_at__isnull=True)
        .first()
    )
    if att is None:
        return
    session, task, person = att.session, att.session.task, att.person
    actor = actor or person
    if att.status == Attendance.PRESENT:
        held = 0
        if Session.objects.filter(pk=session.pk, held=False).update(held=True):
            held = 1
        try:
            with transaction.atomic():
                Participant.objects.create(task=task, person=person)
            new_attendee = 1
        except IntegrityError:
            new_attendee = 0  # attended an earlier session of this campaign already
        if held or new_attendee:
            Task.objects.filter(pk=task.pk).update(
                sessions_held=F("sessions_held") + held, attendees=F("attendees") + new_attendee
            )
        entry_record(
            actor=actor,
            person=person,
            source_key=f"session:{session.pk}:{person.pk}",
            title=session.title,
            kind=EntryKind.SESSION,
            start_date=timezone.localtime(session.starts_at).date(),
            hours=session.hours,
            provenance=Provenance.UNIT_VERIFIED,
            unit=task.unit,
            issued_by=task.unit.name,
        )
        _refresh_done(task.campaign, Q(pk=task.pk))
    Attendance.objects.filter(pk=att.pk).update(settled_at=timezone.now())
    audit_log(
        actor=actor,
        verb="session.attendance",
        target=att,
        unit=task.unit,
        on_behalf_of=person if actor != person else None,
        data={"method": att.method, "status": att.status},
    )


@transaction.atomic
def attendance_record(
    *, actor, session: Session, person, method: str, status: str = Attendance.PRESENT
) -> tuple[Attendance, bool]:
    """The organiser records someone (present, or excused): settled at once. Not before the
    session has started: attendance of a future session would never reach the record."""
    if session.starts_at > timezone.now():
        raise CheckInRefused(_("This session has not started yet: record attendance once it has."))
    att, created = _attendance_create(session=session, person=person, method=method, status=status)
    if created:
        attendance_settle(attendance_id=att.pk, actor=actor)
    return att, created


def _check_in_window(session: Session, now: float | None = None) -> None:
    """Check-in is open around the session's own time only (the window is shown to the
    organiser): a code scanned days before would record a future attendance the record refuses."""
    import datetime as dt

    moment = dt.datetime.fromtimestamp(now, tz=dt.UTC) if now is not None else timezone.now()
    local = timezone.localtime
    if moment < session.check_in_opens:
        raise CheckInRefused(
            _("Check-in for this session opens at %(time)s on %(day)s.")
            % {
                "time": local(session.check_in_opens).strftime("%H:%M"),
                "day": local(session.check_in_opens).strftime("%d/%m/%Y"),
            }
        )
    if moment > session.check_in_closes:
        raise CheckInRefused(
            _("Check-in for this session closed at %(time)s on %(day)s. Ask the organiser.")
            % {
                "time": local(session.check_in_closes).strftime("%H:%M"),
                "day": local(session.check_in_closes).strftime("%d/%m/%Y"),
            }
        )


@transaction.atomic
def check_in(*, person, token: str, now: float | None = None) -> tuple[Session, bool]:
    """A member scans the organiser's rotating code. One transaction, like every action: the
    attendance row is written here; counters, entry and audit are settled after commit."""
    try:
        sid = qr.session_id_of(token)
    except qr.BadToken:
        raise CheckInRefused(_("This is not a check-in code.")) from None
    session = (
        Session.objects.select_related("task__campaign")
        .only("pk", "title", "qr_secret", "invite_all", "task__unit_path", "task__campaign__status")
        .filter(pk=sid)
        .first()
    )
    if session is None:
        raise CheckInRefused(_("This is not a check-in code."))
    try:
        qr.check_token(session, token, now=now)
    except qr.BadToken as exc:
        messages_ = {
            "expired": _("This code has expired: scan the code on the screen now."),
            "forged": _("This code was not made by Suốt Đời."),
            "other_session": _("This code belongs to another session."),
            "malformed": _("This is not a check-in code."),
        }
        raise CheckInRefused(messages_[exc.reason]) from None
    if session.task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    _check_in_window(session, now)
    if not is_invited(session, person):
        raise CheckInRefused(_("You are not invited to this session."))
    att, created = _attendance_create(
        session=session, person=person, method="qr", status=Attendance.PRESENT
    )
    if created:
        transaction.on_commit(partial(schedule_session_settle, session.pk))
    return session, created


SETTLE_WINDOW = 2  # seconds: a hall's check-ins are settled together, this long after


_scheduled: dict[int, int] = {}  # session id → window already scheduled, in this process


def schedule_session_settle(session_id: int) -> None:
    """At most one settling task per session per window and per server process: a hall of
    200 people checking in makes a handful of background tasks, not 200 of them. The mark is
    in this process's memory (no I/O on the check-in path; another process may queue its own
    task, which is harmless: settling is idempotent). The task runs a window later and settles
    every unsettled check-in of the session, so one that commits just after is still taken."""
    import time

    from ..tasks import session_settle_task

    task = session_settle_task
    if not task.get_backend().supports_defer:
        task.enqueue(session_id)  # a backend that runs at once: settle each check-in now
        return
    window = int(time.time() // SETTLE_WINDOW)
    if _scheduled.get(session_id) == window:
        return
    if len(_scheduled) > 10_000:
        _scheduled.clear()
    _scheduled[session_id] = window
    task.using(run_after=timezone.now() + dt.timedelta(seconds=SETTLE_WINDOW)).enqueue(session_id)


@transaction.atomic
def session_settle(*, session_id: int) -> int:
    """Settle every check-in of a session not yet settled, in one transaction: the session
    held, new distinct attendees counted once (the task row is locked, so two runs cannot
    count the same person), the unit-verified entries in one batch, the audit rows in one
    statement. Returns how many were settled."""
    from suotdoi.audit.actions import audit_log_many
    from suotdoi.records.actions import entry_record_issued_many

    session = Session.objects.select_related("task").filter(pk=session_id).first()
    if session is None:
        return 0
    task = (
        Task.objects.select_for_update().select_related("campaign", "unit").get(pk=session.task_id)
    )
    atts = list(
        Attendance.objects.select_for_update()
        .filter(session_id=session_id, settled_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    if not atts:
        return 0
    present = [a for a in atts if a.status == Attendance.PRESENT]
    held = 0
    if present and Session.objects.filter(pk=session_id, held=False).update(held=True):
        held = 1
    ids = {a.person_id for a in present}
    known = set(
        Participant.objects.filter(task=task, person_id__in=ids).values_list("person_id", flat=True)
    )
    new = ids - known
    Participant.objects.bulk_create(
        [Participant(task=task, person_id=pid) for pid in sorted(new)], ignore_conflicts=True
    )
    if held or new:
        Task.objects.filter(pk=task.pk).update(
            sessions_held=F("sessions_held") + held, attendees=F("attendees") + len(new)
        )
    day = timezone.localtime(session.starts_at).date()
    entry_record_issued_many(
        unit=task.unit,
        items=[
            {
                "person": a.person,
                "source_key": f"session:{session_id}:{a.person_id}",
                "title": session.title,
                "kind": EntryKind.SESSION,
                "start_date": day,
                "hours": session.hours,
            }
            for a in present
        ],
        issued_by=task.unit.name,
        provenance=Provenance.UNIT_VERIFIED,
    )
    if present:
        _refresh_done(task.campaign, Q(pk=task.pk))
    Attendance.objects.filter(pk__in=[a.pk for a in atts]).update(settled_at=timezone.now())
    by_id = {a.pk: a for a in atts}
    audit_log_many(
        actor=None,
        verb="session.attendance",
        targets=atts,
        unit=task.unit,
        data_for=lambda t: {"method": by_id[t.pk].method, "status": by_id[t.pk].status},
        actor_for=lambda t: by_id[t.pk].person,
    )
    return len(atts)


@transaction.atomic
def task_report_submit(*, actor, task: Task, note: str) -> Task:
    t = Task.objects.select_for_update().select_related("campaign", "unit").get(pk=task.pk)
    t.reported_at = timezone.now()
    t.report_note = note.strip()[:4000]
    t.save(update_fields=["reported_at", "report_note"])
    _refresh_done(t.campaign, Q(pk=t.pk))
    audit_log(
        actor=actor,
        verb="campaign.report",
        target=t,
        unit=t.unit,
        data={"campaign": t.campaign_id, "sessions": t.sessions_held, "attendees": t.attendees},
    )
    t.refresh_from_db(fields=["done"])  # kept by _refresh_done in the database
    return t


def remind_lagging(*, actor, campaign: Campaign, tasks) -> int:
    """Tell the officers of lagging units (one notification each, once a day)."""
    from suotdoi.organisations.policies import STAFF_ROLES

    today = timezone.localdate().isoformat()
    n = 0
    for task in tasks:
        officers = Membership.objects.filter(
            unit=task.unit, role__in=STAFF_ROLES, end_date__isnull=True
        ).select_related("person")
        for m in officers:
            with override(m.person.language):
                if notify(
                    recipient=m.person,
                    kind="campaign.reminder",
                    title=Say(gettext_noop("Reminder: %(title)s"), title=campaign.title),
                    body=Say(
                        gettext_noop(
                            "Your unit has not finished this campaign yet; the report is due "
                            "on %(date)s."
                        ),
                        date=Day(campaign.report_due),
                    ),
                    url=f"/campaigns/tasks/{task.pk}/",
                    dedupe_key=f"campaign.reminder:{task.pk}:{m.person_id}:{today}",
                    text_unit=task.unit_id,
                ):
                    n += 1
    audit_log(
        actor=actor,
        verb="campaign.remind",
        target=campaign,
        unit=campaign.issuer,
        data={"notified": n},
    )
    return n

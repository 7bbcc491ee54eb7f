"""Check-in without signal (#27, ADR 0010): a code scanned on a phone offline and sent later,
and the organiser's screen that showed codes offline and uploads what it showed.

An offline scan is accepted when all of these hold:
- the code is signed for this session (as online);
- the code's time step lies inside the session's check-in window;
- it reaches the server within 48 hours of the code's time;
- the phone's scan time agrees with the code's time (a few minutes' slack for phone clocks);
- the member is invited;
- the screen is known to have shown that code: the server served it to the online screen, or
  the organiser's screen uploaded it. Until then the scan waits (pending) and is settled when
  the organiser's upload arrives.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log

from .. import qr
from ..errors import CampaignClosed, CheckInRefused
from ..models import Attendance, CampaignStatus, OfflineScan, Session, SessionDisplay
from .sessions import _attendance_create, is_invited, schedule_session_settle

OFFLINE_LIMIT = dt.timedelta(hours=48)
CLOCK_SLACK = dt.timedelta(minutes=5)  # phones' clocks are a few minutes out
MAX_RANGES = 500  # an evening's screen has a handful; a crafted upload is refused


def _step_time(step: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(step * qr.STEP, tz=dt.UTC)


def window_steps(session: Session) -> tuple[int, int]:
    first = int(session.check_in_opens.timestamp() // qr.STEP)
    last = int(session.check_in_closes.timestamp() // qr.STEP)
    return first, last


def _shown(session: Session, step: int) -> bool:
    return SessionDisplay.objects.filter(
        session=session, first_step__lte=step, last_step__gte=step
    ).exists()


def display_seen(*, session: Session, step: int) -> None:
    """The online screen fetched the code of `step`: extend its running range, or start one.
    (A log of the screen, written by the server: one UPDATE per refresh, no audit row.)"""
    updated = SessionDisplay.objects.filter(
        session=session,
        source=SessionDisplay.SERVER,
        last_step__gte=step - 2,
        first_step__lte=step,
    ).update(last_step=step)
    if updated == 0 and not _shown(session, step):
        SessionDisplay.objects.create(session=session, first_step=step, last_step=step)


def _accept(scan: OfflineScan, session: Session) -> bool:
    att, created = _attendance_create(
        session=session, person=scan.person, method="qr_offline", status=Attendance.PRESENT
    )
    OfflineScan.objects.filter(pk=scan.pk).update(status=OfflineScan.ACCEPTED, reason="")
    if created:
        transaction.on_commit(partial(schedule_session_settle, session.pk))
    return created


@transaction.atomic
def check_in_offline(
    *, person, token: str, scanned_at: dt.datetime, now: dt.datetime | None = None
) -> tuple[str, Session]:
    """Judge a scan kept offline. Returns ("accepted" | "already" | "pending", session);
    raises CheckInRefused with the reason otherwise. Sending the same scan again is harmless."""
    now = now or timezone.now()
    try:
        sid = qr.session_id_of(token)
    except qr.BadToken:
        raise CheckInRefused(_("This is not a check-in code.")) from None
    session = Session.objects.select_related("task__campaign").filter(pk=sid).first()
    if session is None:
        raise CheckInRefused(_("This is not a check-in code."))
    try:
        step = qr.signed_step(session, token)
    except qr.BadToken as exc:
        raise CheckInRefused(
            _("This code was not made by Suốt Đời.")
            if exc.reason == "forged"
            else _("This is not a check-in code.")
        ) from None
    shown_at = _step_time(step)
    first, last = window_steps(session)
    if not first <= step <= last:
        raise CheckInRefused(_("This code was not shown during the session's check-in time."))
    if now - (shown_at + dt.timedelta(seconds=qr.STEP)) > OFFLINE_LIMIT:
        raise CheckInRefused(
            _("This scan was sent more than 48 hours after the code was shown. Ask the organiser.")
        )
    if not (
        shown_at - CLOCK_SLACK
        <= scanned_at
        <= shown_at + 2 * dt.timedelta(seconds=qr.STEP) + CLOCK_SLACK
        and scanned_at <= now + CLOCK_SLACK
    ):
        raise CheckInRefused(
            _("The time of this scan does not match the code: scan the code on the screen.")
        )
    if session.task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    if not is_invited(session, person):
        raise CheckInRefused(_("You are not invited to this session."))
    if Attendance.objects.filter(session=session, person=person).exists():
        return "already", session
    try:
        with transaction.atomic():
            scan = OfflineScan.objects.create(
                session=session, person=person, step=step, scanned_at=scanned_at
            )
    except IntegrityError:
        scan = OfflineScan.objects.get(session=session, person=person)
        if scan.status == OfflineScan.REFUSED:
            raise CheckInRefused(scan.reason) from None
        if scan.status == OfflineScan.ACCEPTED:
            return "already", session
    audit_log(
        actor=person,
        verb="session.offline_scan",
        target=scan,
        unit=session.task.unit,
        data={"step": step, "scanned_at": scanned_at.isoformat()},
    )
    if _shown(session, step):
        return ("accepted" if _accept(scan, session) else "already"), session
    return "pending", session


def _clean_ranges(session: Session, ranges, now: dt.datetime) -> list[tuple[int, int]]:
    first, last = window_steps(session)
    latest = int(now.timestamp() // qr.STEP) + 1
    if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
        raise CheckInRefused(_("The list of codes shown could not be read."))
    out = []
    for r in ranges:
        if (
            not isinstance(r, list | tuple)
            or len(r) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
            or r[0] > r[1]
        ):
            raise CheckInRefused(_("The list of codes shown could not be read."))
        a, b = max(r[0], first), min(r[1], last, latest)  # only the window, never the future
        if a <= b:
            out.append((a, b))
    return out


@transaction.atomic
def display_upload(*, actor, session: Session, ranges, now: dt.datetime | None = None) -> dict:
    """The organiser's screen, back online, says which codes it showed. Pending scans of
    codes it showed are accepted; the rest wait while check-in is open, then are refused."""
    now = now or timezone.now()
    clean = _clean_ranges(session, ranges, now)
    SessionDisplay.objects.bulk_create(
        SessionDisplay(session=session, first_step=a, last_step=b, source=SessionDisplay.SCREEN)
        for a, b in clean
    )
    accepted = refused = 0
    pending = OfflineScan.objects.select_for_update().filter(
        session=session, status=OfflineScan.PENDING
    )
    closed = now > session.check_in_closes
    shown = list(
        SessionDisplay.objects.filter(session=session).values_list("first_step", "last_step")
    )
    for scan in pending.select_related("person"):
        if any(a <= scan.step <= b for a, b in shown):
            accepted += _accept(scan, session)
        elif closed:
            OfflineScan.objects.filter(pk=scan.pk).update(
                status=OfflineScan.REFUSED,
                reason=_("The organiser's screen did not show this code."),
            )
            refused += 1
    waiting = OfflineScan.objects.filter(session=session, status=OfflineScan.PENDING).count()
    audit_log(
        actor=actor,
        verb="session.display_upload",
        target=session,
        unit=session.task.unit,
        data={"ranges": len(clean), "accepted": accepted, "refused": refused},
    )
    return {"ranges": len(clean), "accepted": accepted, "refused": refused, "waiting": waiting}

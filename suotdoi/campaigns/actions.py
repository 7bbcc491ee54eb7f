"""Writes of campaigns: create, launch (cascade), extend, close; sessions, check-in, reports."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from suotdoi.audit.actions import audit_log
from suotdoi.notifications.actions import notify
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.selectors import unit_subtree_counts
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from . import qr
from .errors import CampaignClosed, CheckInRefused, NotLaunchable
from .models import (
    Attendance,
    Campaign,
    CampaignEvent,
    CampaignStatus,
    Participant,
    Session,
    Task,
)


def _event(campaign, actor, verb, **data):
    CampaignEvent.objects.create(campaign=campaign, actor=actor, verb=verb, data=data)
    audit_log(
        actor=actor, verb=f"campaign.{verb}", target=campaign, unit=campaign.issuer, data=data
    )


@transaction.atomic
def campaign_create(*, actor, issuer: Unit, **fields) -> Campaign:
    campaign = Campaign.objects.create(issuer=issuer, created_by=actor, **fields)
    _event(campaign, actor, "create", title=campaign.title)
    return campaign


def campaign_roots(campaign: Campaign) -> list[Unit]:
    """The issuer and the partners that accepted: the subtrees whose units take part."""
    from .models import CampaignPartner

    partners = [
        p.unit
        for p in CampaignPartner.objects.filter(
            campaign=campaign, accepted_at__isnull=False
        ).select_related("unit")
    ]
    return [campaign.issuer, *partners]


def target_units(campaign: Campaign, roots: list[Unit] | None = None):
    today = timezone.localdate()
    roots = roots if roots is not None else campaign_roots(campaign)
    under = Q(pk__in=[])
    for root in roots:
        under |= Q(path__startswith=root.path)
    return (
        Unit.objects.filter(under, unit_type__code__in=campaign.target_type_codes)
        .exclude(pk__in=[r.pk for r in roots])
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
        .filter(merged_into__isnull=True)
    )


def _refresh_done(campaign: Campaign, task_filter: Q) -> None:
    """A task is done when every requirement holds and the report is in. The same share of
    members (the attendance threshold) must attend, pass the quiz and have a reflection
    accepted, when the campaign asks for those."""
    share = campaign.min_attendance_pct / 100.0
    rule = (
        Q(sessions_held__gte=campaign.min_sessions)
        & Q(attendees__gte=F("members") * share)
        & Q(reported_at__isnull=False)
    )
    if campaign.quiz_required:
        rule &= Q(quiz_passed__gte=F("members") * share)
    if campaign.reflection_required:
        rule &= Q(reflections_accepted__gte=F("members") * share)
    Task.objects.filter(task_filter, campaign=campaign).update(
        done=ExpressionWrapper(rule, output_field=BooleanField())
    )


def _subtree_members(root: Unit) -> dict[str, int]:
    """Members under every unit of `root`'s subtree, from the pre-aggregated unit rows: one
    read of (path, member_count), summed by prefix in Python."""
    sums: dict[str, int] = {}
    step = Unit.steplen
    for path, n in Unit.objects.filter(path__startswith=root.path).values_list(
        "path", "member_count"
    ):
        if n:
            for end in range(len(root.path), len(path) + 1, step):
                sums[path[:end]] = sums.get(path[:end], 0) + n
    return sums


def _create_tasks(campaign: Campaign, units: list[Unit], roots: list[Unit] | None = None) -> int:
    if len(units) > 20:
        sums: dict[str, int] = {}
        for root in roots or [campaign.issuer]:
            sums |= _subtree_members(root)
        members = {u.pk: sums.get(u.path, 0) for u in units}
    else:
        members = {k: v["members"] for k, v in unit_subtree_counts(units=units).items()}
    tasks = [
        Task(campaign=campaign, unit=u, unit_path=u.path, members=members[u.pk]) for u in units
    ]
    Task.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return len(tasks)


@transaction.atomic
def campaign_launch(*, actor, campaign: Campaign) -> int:
    """Create a task for every target unit; they see it on their home page."""
    c = Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)
    if c.status != CampaignStatus.DRAFT:
        raise NotLaunchable()
    roots = campaign_roots(c)
    units = list(target_units(c, roots).only("pk", "path", "depth"))
    n = _create_tasks(c, units, roots)
    c.status = CampaignStatus.LAUNCHED
    c.launched_at = timezone.now()
    c.save(update_fields=["status", "launched_at", "updated_at"])
    _event(c, actor, "launch", tasks=n)
    return n


@transaction.atomic
def campaign_extend(
    *, actor, campaign: Campaign, ends_on: dt.date, report_due: dt.date
) -> Campaign:
    """A new deadline (new material goes through `document_add`); the old dates stay in the
    history and the units' "done" flags are kept as they are."""
    from suotdoi.core.errors import ValidationFailed

    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if c.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    if ends_on < c.starts_on or report_due < c.starts_on:
        raise ValidationFailed(_("The new dates come before the campaign starts."))
    before = {"ends_on": c.ends_on.isoformat(), "report_due": c.report_due.isoformat()}
    c.ends_on, c.report_due = ends_on, report_due
    c.save(update_fields=["ends_on", "report_due", "updated_at"])
    _event(
        c,
        actor,
        "extend",
        before=before,
        after={"ends_on": ends_on.isoformat(), "report_due": report_due.isoformat()},
    )
    return c


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_DOCUMENT_MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
}


def _check_document(upload) -> None:
    from suotdoi.core.errors import ValidationFailed

    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            _("The file is %(size)s MB; the limit is 20 MB.")
            % {"size": round(upload.size / 1048576, 1)}
        )
    head = upload.read(8)
    upload.seek(0)
    if ext not in _DOCUMENT_MAGIC or not head.startswith(_DOCUMENT_MAGIC[ext]):
        raise ValidationFailed(_("Only PDF, Word (.doc, .docx) or OpenDocument files."))


@transaction.atomic
def document_add(*, actor, campaign: Campaign, title: str, upload=None, url: str = "", note=""):
    """Add material to study. A title already used makes the next version of that document;
    earlier versions stay listed and downloadable."""
    from django.db.models import Max

    from suotdoi.core.errors import ValidationFailed

    from .models import CampaignDocument

    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if c.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    title = title.strip()
    if not title or (upload is None and not url):
        raise ValidationFailed(_("Attach a file or give a link."))
    if upload is not None:
        _check_document(upload)
    last = CampaignDocument.objects.filter(campaign=c, title=title).aggregate(v=Max("version"))
    doc = CampaignDocument(
        campaign=c,
        title=title,
        version=(last["v"] or 0) + 1,
        url=url,
        note=note.strip()[:300],
        added_by=actor,
    )
    if upload is not None:
        doc.file.save(upload.name, upload, save=False)
    doc.save()
    _event(c, actor, "document", title=title, version=doc.version)
    return doc


# --- joint campaigns and sub-campaigns ------------------------------------------------------


@transaction.atomic
def partner_invite(*, actor, campaign: Campaign, unit: Unit):
    """Invite a unit of another tree to run the campaign jointly; its officers are told."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.organisations.policies import STAFF_ROLES

    from .models import CampaignPartner

    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    issuer = campaign.issuer
    if unit.path.startswith(issuer.path) or issuer.path.startswith(unit.path):
        raise ValidationFailed(
            _("%(unit)s is in the issuer's own tree; its units take part already.")
            % {"unit": unit.name}
        )
    partner, created = CampaignPartner.objects.get_or_create(
        campaign=campaign, unit=unit, defaults={"invited_by": actor}
    )
    if not created:
        return partner
    for m in Membership.objects.filter(
        unit=unit, role__in=STAFF_ROLES, end_date__isnull=True
    ).select_related("person"):
        with override(m.person.language):
            notify(
                recipient=m.person,
                kind="campaign.partner",
                title=_("%(issuer)s invites %(unit)s to run a campaign jointly")
                % {"issuer": issuer.name, "unit": unit.name},
                body=campaign.title,
                url=f"/campaigns/{campaign.pk}/partners/{partner.pk}/",
                dedupe_key=f"campaign.partner:{partner.pk}:{m.person_id}",
            )
    # The code the issuer typed, never the name: nothing about the unit shows before it accepts.
    _event(campaign, actor, "partner_invite", unit=unit.code)
    return partner


@transaction.atomic
def partner_accept(*, actor, partner) -> int:
    """The partner's officer accepts: its units join (tasks at once if the campaign runs)."""
    from .models import CampaignPartner

    p = CampaignPartner.objects.select_for_update().select_related("campaign__issuer", "unit")
    p = p.get(pk=partner.pk)
    if p.accepted_at is not None:
        return 0
    if p.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    p.accepted_at, p.accepted_by = timezone.now(), actor
    p.save(update_fields=["accepted_at", "accepted_by"])
    n = 0
    if p.campaign.status == CampaignStatus.LAUNCHED:
        units = list(target_units(p.campaign, [p.unit]).only("pk", "path", "depth"))
        n = _create_tasks(p.campaign, units, [p.unit])
    _event(p.campaign, actor, "partner_accept", unit=p.unit.name, tasks=n)
    audit_log(actor=actor, verb="campaign.partner_accept", target=p, unit=p.unit)
    return n


@transaction.atomic
def subcampaign_create(*, actor, task: Task, target_type_codes: list[str], report_due: dt.date):
    """A target unit carries the campaign further down: a draft of its own, with the same
    title, purpose, period and requirements, for the unit types it chooses below it. Its
    roll-ups show on the parent campaign's page."""
    from suotdoi.core.errors import ValidationFailed

    parent = task.campaign
    if parent.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    if report_due > parent.report_due:
        raise ValidationFailed(
            _("Your units must report by %(date)s, so that you can report in time.")
            % {"date": parent.report_due.strftime("%d/%m/%Y")}
        )
    sub = Campaign.objects.create(
        issuer=task.unit,
        parent=parent,
        title=parent.title,
        purpose=parent.purpose,
        target_type_codes=list(target_type_codes),
        starts_on=parent.starts_on,
        ends_on=parent.ends_on,
        report_due=report_due,
        min_sessions=parent.min_sessions,
        min_attendance_pct=parent.min_attendance_pct,
        quiz_pass_pct=parent.quiz_pass_pct,
        quiz_required=parent.quiz_required,
        quiz_draw=parent.quiz_draw,
        reflection_required=parent.reflection_required,
        created_by=actor,
    )
    _event(sub, actor, "create", title=sub.title, parent=parent.pk)
    return sub


def campaign_snapshot(*, campaign: Campaign, day: dt.date | None = None) -> None:
    """Keep today's (or `day`'s) point of the progress chart: one aggregate over the tasks'
    counters and one upsert; run when the dashboard is opened and by `campaign_snapshots`
    each night."""
    from .models import CampaignDay
    from .selectors import rollup

    if campaign.status == CampaignStatus.DRAFT:
        return
    r = rollup(campaign=campaign, focus=None)
    CampaignDay.objects.update_or_create(
        campaign=campaign,
        day=day or timezone.localdate(),
        defaults={
            k: r[k]
            for k in (
                "tasks",
                "done",
                "sessions",
                "attendees",
                "members",
                "quiz_passed",
                "reflections",
            )
        },
    )


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> None:
    if (
        Campaign.objects.filter(pk=campaign.pk)
        .exclude(status=CampaignStatus.CLOSED)
        .update(status=CampaignStatus.CLOSED)
    ):
        _event(campaign, actor, "close")


def task_for_new_unit(unit: Unit) -> int:
    """A unit founded during a campaign gets the task too."""
    made = 0
    for c in Campaign.objects.filter(status=CampaignStatus.LAUNCHED).select_related("issuer"):
        if unit.unit_type.code not in c.target_type_codes:
            continue
        roots = campaign_roots(c)
        if any(unit.path.startswith(r.path) and unit.pk != r.pk for r in roots):
            made += _create_tasks(c, [unit], roots)
    return made


# --- sessions and attendance ----------------------------------------------------------------


@transaction.atomic
def session_create(*, actor, task: Task, invitees=(), **fields) -> Session:
    """Schedule a session. Every member of the unit is invited unless `invite_all` is off;
    then `invitees` (people who are members below the unit) are."""
    from suotdoi.core.errors import ValidationFailed

    from .models import SessionInvitee

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
    from .tasks import session_announce_task

    transaction.on_commit(partial(session_announce_task.enqueue, session.pk))
    return session


def session_announce(*, session_id: int) -> int:
    """Tell the invited members (the holding unit's members) when and where: one notification
    each, once (dedupe key), email in one background task."""
    from suotdoi.notifications.actions import notify_many

    from .models import SessionInvitee

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
                    "title": _("Invitation: %(title)s") % {"title": session.title},
                    "body": _("%(unit)s invites you on %(when)s at %(place)s.")
                    % {
                        "unit": session.task.unit.name,
                        "when": when.strftime("%H:%M %d/%m/%Y"),
                        "place": session.place or "—",
                    },
                    "url": "/record/",
                    "dedupe_key": f"session.invited:{session.pk}:{person.pk}",
                }
            )
    return notify_many(items)


def is_invited(session: Session, person) -> bool:
    from .access import is_member_below
    from .models import SessionInvitee

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
    """The organiser records someone (present, or excused): settled at once."""
    att, created = _attendance_create(session=session, person=person, method=method, status=status)
    if created:
        attendance_settle(attendance_id=att.pk, actor=actor)
    return att, created


def check_in(*, person, token: str, now: float | None = None) -> tuple[Session, bool]:
    """A member scans the organiser's rotating code."""
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

    from .tasks import session_settle_task

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
                    title=_("Reminder: %(title)s") % {"title": campaign.title},
                    body=_(
                        "Your unit has not finished this campaign yet; the report is due "
                        "on %(date)s."
                    )
                    % {"date": campaign.report_due.strftime("%d/%m/%Y")},
                    url=f"/campaigns/tasks/{task.pk}/",
                    dedupe_key=f"campaign.reminder:{task.pk}:{m.person_id}:{today}",
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


# --- reflections ----------------------------------------------------------------------------


@transaction.atomic
def reflection_submit(*, actor, task: Task, text: str, upload=None):
    """A member hands in (or, once returned, hands in again) their reflection: text, a file
    (PDF or a photo of a handwritten page), or both."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.records.rules import check_evidence

    from .errors import ReflectionLocked
    from .models import Reflection

    if task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    r = Reflection.objects.select_for_update().filter(task=task, person=actor).first()
    if r is not None and r.status != Reflection.RETURNED:
        raise ReflectionLocked()
    text = text.strip()
    if upload is None and len(text) < 50:
        raise ValidationFailed(
            _("Write at least 50 characters, or attach your reflection as a file.")
        )
    if upload is not None:
        head = upload.read(16)
        upload.seek(0)
        check_evidence(upload.name, upload.size, head)
    if r is None:
        r = Reflection(task=task, person=actor)
    r.text, r.status, r.submitted_at = text, Reflection.SUBMITTED, timezone.now()
    if upload is not None:
        r.file.save(upload.name, upload, save=False)
    r.save()
    audit_log(actor=actor, verb="reflection.submit", target=r, unit=task.unit)
    return r


@transaction.atomic
def reflection_review(*, actor, reflection, accept: bool, comment: str = ""):
    """Accepted: it counts for the unit and goes into the learner's record. Returned: the
    learner sees the comment and may hand it in again."""
    from .errors import NotSubmitted
    from .models import Reflection

    r = (
        Reflection.objects.select_for_update()
        .select_related("task__campaign", "task__unit", "person")
        .get(pk=reflection.pk)
    )
    if r.status != Reflection.SUBMITTED:
        raise NotSubmitted()
    r.status = Reflection.ACCEPTED if accept else Reflection.RETURNED
    r.comment = comment.strip()[:500]
    r.reviewed_by, r.reviewed_at = actor, timezone.now()
    r.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    if accept:
        Task.objects.filter(pk=r.task_id).update(reflections_accepted=F("reflections_accepted") + 1)
        _refresh_done(r.task.campaign, Q(pk=r.task_id))
        entry_record(
            actor=actor,
            person=r.person,
            source_key=f"reflection:{r.pk}",
            title=_("Reflection: %(title)s") % {"title": r.task.campaign.title},
            kind=EntryKind.SELF_STUDY,
            start_date=timezone.localdate(),
            hours=1,
            provenance=Provenance.UNIT_VERIFIED,
            unit=r.task.unit,
            issued_by=r.task.unit.name,
        )
    with override(r.person.language):
        notify(
            recipient=r.person,
            kind="reflection.reviewed",
            title=(
                _("Your reflection was accepted") if accept else _("Your reflection was returned")
            ),
            body=r.comment,
            url=f"/campaigns/tasks/{r.task_id}/reflection/",
            dedupe_key=f"reflection:{r.pk}:{r.reviewed_at.isoformat()}",
        )
    audit_log(
        actor=actor,
        verb="reflection.accept" if accept else "reflection.return",
        target=r,
        unit=r.task.unit,
        on_behalf_of=r.person,
        data={"comment": r.comment},
    )
    return r


# --- quiz -------------------------------------------------------------------------------------


@transaction.atomic
def question_add(*, actor, campaign: Campaign, text: str, choices: list[str], correct: int):
    from .models import Question

    choices = [c.strip() for c in choices if c and c.strip()]
    if len(choices) < 2 or not 0 <= correct < len(choices):
        from suotdoi.core.errors import ValidationFailed

        raise ValidationFailed(_("A question needs at least two answers, one of them right."))
    q = Question.objects.create(
        campaign=campaign, text=text.strip(), choices=choices, correct=correct
    )
    audit_log(actor=actor, verb="campaign.question_add", target=q, unit=campaign.issuer)
    return q


@transaction.atomic
def quiz_submit(*, actor, task: Task, answers: dict[int, int]):
    """Score an attempt (question id → chosen index). The latest attempt counts; passing once
    counts the member for the unit."""
    from .models import QuizResult
    from .selectors import draw_questions

    result = QuizResult.objects.select_for_update().filter(task=task, person=actor).first()
    questions = [q for q, _order in draw_questions(task, actor, result.attempts if result else 0)]
    if not questions:
        raise CampaignClosed(_("This campaign has no quiz."))
    right = sum(1 for q in questions if answers.get(q.pk) == q.correct)
    score = round(100 * right / len(questions))
    passed = score >= task.campaign.quiz_pass_pct
    newly_passed = passed and not (result and result.passed)
    if result is None:
        result = QuizResult(task=task, person=actor, attempts=0)
    result.score_pct = max(score, result.score_pct or 0) if result.pk else score
    result.passed = bool(passed or (result.pk and result.passed))
    result.attempts += 1
    result.answers = {str(k): v for k, v in answers.items()}
    result.save()
    if newly_passed:
        Task.objects.filter(pk=task.pk).update(quiz_passed=F("quiz_passed") + 1)
        _refresh_done(task.campaign, Q(pk=task.pk))
    audit_log(
        actor=actor,
        verb="campaign.quiz",
        target=result,
        unit=task.unit,
        data={"score": score, "passed": passed},
    )
    return score, passed


@transaction.atomic
def session_minutes_upload(*, actor, session: Session, upload) -> Session:
    """The minutes (PDF or photo, ≤ 10 MB, content checked like learning evidence)."""
    from suotdoi.records.rules import check_evidence

    head = upload.read(16)
    upload.seek(0)
    check_evidence(upload.name, upload.size, head)
    s = Session.objects.select_for_update().get(pk=session.pk)
    s.minutes.save(upload.name, upload, save=False)
    s.save(update_fields=["minutes", "updated_at"])
    audit_log(
        actor=actor,
        verb="session.minutes",
        target=s,
        unit=s.task.unit,
        data={"file": upload.name, "bytes": upload.size},
    )
    return s


MAX_PHOTOS = 20


@transaction.atomic
def session_photos_add(*, actor, session: Session, uploads) -> int:
    """Photos of the session (JPG or PNG, ≤ 10 MB each, at most 20 a session); all or none."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.records.rules import check_evidence

    from .models import SessionPhoto

    s = Session.objects.select_for_update().select_related("task__unit").get(pk=session.pk)
    uploads = list(uploads)
    if s.photos.count() + len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(_("A session keeps at most %(n)s photos.") % {"n": MAX_PHOTOS})
    for up in uploads:
        if not up.name.lower().endswith((".jpg", ".jpeg", ".png")):
            raise ValidationFailed(_("Photos must be JPG or PNG: %(name)s") % {"name": up.name})
        head = up.read(16)
        up.seek(0)
        check_evidence(up.name, up.size, head)
    for up in uploads:
        photo = SessionPhoto(session=s, uploaded_by=actor)
        photo.image.save(up.name, up, save=False)
        photo.save()
    audit_log(
        actor=actor,
        verb="session.photos",
        target=s,
        unit=s.task.unit,
        data={"files": [u.name for u in uploads]},
    )
    return len(uploads)

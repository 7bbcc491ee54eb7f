"""A unit's task, its sessions, the rotating QR and check-in, minutes and photos."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions, qr, selectors
from ..access import access_session, access_task
from ..forms import ManualAttendanceForm, ReportForm, SessionForm


@login_required
def task_detail(request, task_id):
    task = access_task(request.user, task_id)
    from ..forms import SubCampaignForm

    may_manage = can(request.user, task.unit, Capability.MANAGE_MEMBERS)
    session_form = SessionForm(prefix="s", unit=task.unit)
    report_form = ReportForm(initial={"note": task.report_note})
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if "s-title" in request.POST:
            # "Find" (or Enter with a search typed) shows matches; "Schedule" schedules.
            finding = "s-find" in request.POST or (
                "s-schedule" not in request.POST and request.POST.get("s-invitee_q", "").strip()
            )
            session_form = SessionForm(
                request.POST, prefix="s", unit=task.unit, finding=bool(finding)
            )
            if not finding and session_form.is_valid():
                data = dict(session_form.cleaned_data)
                invitees = data.pop("invitees", [])
                with action_errors(request):
                    s = actions.session_create(
                        actor=request.user, task=task, invitees=invitees, **data
                    )
                    return redirect("campaigns:session", session_id=s.pk)
        else:
            report_form = ReportForm(request.POST)
            if report_form.is_valid():
                actions.task_report_submit(
                    actor=request.user, task=task, note=report_form.cleaned_data["note"]
                )
                messages.success(request, _("Your report was sent to the level above."))
                return redirect("campaigns:task", task_id=task.pk)
    task.refresh_from_db()
    return render(
        request,
        "campaigns/task.html",
        {
            "task": task,
            "campaign": task.campaign,
            "sessions": task.sessions.all(),
            "reflections": task.reflections.filter(status="submitted").select_related("person")
            if may_manage
            else [],
            "session_form": session_form,
            "report_form": report_form,
            "may_manage": may_manage,
            "documents": selectors.documents_of(task.campaign),
            "sub_form": SubCampaignForm(
                prefix="sub", initial={"report_due": task.campaign.report_due}, unit=task.unit
            )
            if may_manage and task.unit.numchild
            else None,
            "subcampaigns": task.campaign.subcampaigns.filter(issuer=task.unit),
        },
    )


def _qr_context(request, session):
    token = qr.current_token(session)
    actions.display_seen(session=session, step=qr.session_step_of(token))
    url = request.build_absolute_uri(reverse("campaigns:checkin", args=[token]))
    return {
        "session": session,
        "qr": segno.make(url, error="m").svg_data_uri(scale=6),
        "checkin_url": url,
        # for the screen to go on making codes when the hall has no signal (ADR 0010)
        "display_key": qr.display_key(session),
        "checkin_base": request.build_absolute_uri(reverse("campaigns:checkin", args=["T"]))[:-2],
        "window_steps": actions.window_steps(session),
    }


@login_required
def session_detail(request, session_id):
    session = access_session(request.user, session_id)
    members = (
        Membership.objects.filter(
            unit_path__startswith=session.task.unit_path, end_date__isnull=True
        )
        .select_related("person")
        .order_by("person_name_sort")
    )
    choices = {}
    for m in members[:2000]:
        choices.setdefault(m.person_id, m.person.full_name)
    if request.method == "POST" and request.FILES.getlist("photos"):
        with action_errors(request):
            n = actions.session_photos_add(
                actor=request.user, session=session, uploads=request.FILES.getlist("photos")
            )
            messages.success(
                request, ngettext("%(n)s photo uploaded.", "%(n)s photos uploaded.", n) % {"n": n}
            )
        return redirect("campaigns:session", session_id=session.pk)
    if request.method == "POST" and "minutes" in request.FILES:
        with action_errors(request):
            actions.session_minutes_upload(
                actor=request.user, session=session, upload=request.FILES["minutes"]
            )
            messages.success(request, _("The minutes were uploaded."))
        return redirect("campaigns:session", session_id=session.pk)
    form = ManualAttendanceForm(request.POST or None)
    form.fields["person"].choices = list(choices.items())
    if request.method == "POST" and form.is_valid():
        person = members.filter(person_id=form.cleaned_data["person"]).first().person
        _a, created = actions.attendance_record(
            actor=request.user,
            session=session,
            person=person,
            method="manual",
            status=form.cleaned_data["status"],
        )
        if created:
            messages.success(request, _("Recorded: %(name)s") % {"name": person.full_name})
        else:
            messages.warning(
                request, _("%(name)s was already recorded.") % {"name": person.full_name}
            )
        return redirect("campaigns:session", session_id=session.pk)
    return render(
        request,
        "campaigns/session.html",
        {
            **_qr_context(request, session),
            "attendance": session.attendance.select_related("person").order_by("at"),
            "form": form,
            "photos": session.photos.all(),
            "offline_waiting": session.offline_scans.filter(status="pending").count(),
            "invitees": None
            if session.invite_all
            else session.invitees.select_related("person").order_by("person__name_sort"),
        },
    )


@login_required
def session_qr(request, session_id):
    """The rotating code alone, refreshed by htmx every few seconds."""
    session = access_session(request.user, session_id)
    return render(request, "campaigns/_qr.html", _qr_context(request, session))


@login_required
def checkin(request, token):
    if request.method == "POST":
        try:
            session, created = actions.check_in(person=request.user, token=token)
        except ApplicationError as exc:
            return render(request, "campaigns/checkin.html", {"error": exc.message}, status=400)
        return render(
            request,
            "campaigns/checkin.html",
            {"session": session, "created": created, "done": True},
        )
    return render(request, "campaigns/checkin.html", {"token": token})


@login_required
def session_minutes(request, session_id):
    """The minutes file, for staff of the holding unit and above."""
    from django.http import FileResponse

    session = access_session(request.user, session_id, Capability.VIEW)
    if not session.minutes:
        raise NotFound()
    return FileResponse(
        session.minutes.open("rb"),
        as_attachment=True,
        filename=session.minutes.name.rsplit("/", 1)[-1],
    )


@login_required
def session_photo(request, session_id, photo_id):
    from django.http import FileResponse

    from ..models import SessionPhoto

    session = access_session(request.user, session_id, Capability.VIEW)
    photo = SessionPhoto.objects.filter(pk=_int(photo_id), session=session).first()
    if photo is None:
        raise NotFound()
    name = photo.image.name.lower()
    return FileResponse(
        photo.image.open("rb"), content_type="image/png" if name.endswith(".png") else "image/jpeg"
    )

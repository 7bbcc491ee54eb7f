"""Campaign pages: the issuer's dashboard, the target unit's task, sessions and check-in."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.organisations.access import access_unit_by_id, can, scope_q
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability

from . import actions, qr, selectors
from .access import access_campaign, access_session, access_task, access_task_as_member
from .forms import CampaignForm, ManualAttendanceForm, ReportForm, SessionForm
from .models import Campaign, Task


@login_required
def campaign_list(request):
    q = scope_q(request.user, Capability.VIEW, field="issuer__path")
    issued = Campaign.objects.select_related("issuer")
    issued = issued if q is None else issued.filter(q)
    tq = scope_q(request.user, Capability.VIEW, field="unit_path")
    tasks = Task.objects.select_related("campaign", "unit").filter(campaign__status="launched")
    tasks = tasks if tq is None else tasks.filter(tq)
    return render(
        request,
        "campaigns/list.html",
        {"issued": issued[:50], "tasks": tasks.order_by("campaign__report_due")[:50]},
    )


@login_required
def campaign_create(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaign = actions.campaign_create(actor=request.user, issuer=unit, **data)
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/create.html", {"unit": unit, "form": form})


@login_required
def campaign_detail(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id)
    focus = campaign.issuer
    if request.GET.get("focus"):
        focus = Unit.objects.filter(
            pk=_int(request.GET["focus"]), path__startswith=campaign.issuer.path
        ).first()
        if focus is None:
            raise NotFound()
    rows = selectors.dashboard_rows(campaign=campaign, focus=focus)
    sort = request.GET.get("sort", "done_pct")
    if sort in ("done_pct", "attendance_pct", "sessions", "tasks"):
        rows.sort(key=lambda r: (r[sort], r["unit"].name))
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "focus": focus,
            "total": selectors.rollup(campaign=campaign, focus=focus),
            "rows": rows,
            "events": campaign.events.select_related("actor"),
            "may_manage": can(request.user, campaign.issuer, Capability.MANAGE_MEMBERS),
            "breadcrumbs": _breadcrumbs(campaign.issuer, focus),
        },
    )


def _breadcrumbs(issuer: Unit, focus: Unit) -> list[Unit]:
    if focus.pk == issuer.pk:
        return []
    chain = [u for u in Unit.objects.get_ancestors(focus) if u.path.startswith(issuer.path)]
    return [*chain, focus]


@login_required
@require_POST
def campaign_launch(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    try:
        n = actions.campaign_launch(actor=request.user, campaign=campaign)
        messages.success(request, _("Launched: %(n)s units received the task.") % {"n": n})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_close(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    actions.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_remind(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    lagging = Task.objects.filter(campaign=campaign, done=False).select_related("unit")
    n = actions.remind_lagging(actor=request.user, campaign=campaign, tasks=lagging)
    messages.success(request, _("%(n)s officers of lagging units were reminded.") % {"n": n})
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def task_detail(request, task_id):
    task = access_task(request.user, task_id)
    may_manage = can(request.user, task.unit, Capability.MANAGE_MEMBERS)
    session_form = SessionForm(prefix="s")
    report_form = ReportForm(initial={"note": task.report_note})
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if "s-title" in request.POST:
            session_form = SessionForm(request.POST, prefix="s")
            if session_form.is_valid():
                try:
                    s = actions.session_create(
                        actor=request.user, task=task, **session_form.cleaned_data
                    )
                    return redirect("campaigns:session", session_id=s.pk)
                except ApplicationError as exc:
                    messages.error(request, exc.message)
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
        },
    )


def _qr_context(request, session):
    token = qr.current_token(session)
    url = request.build_absolute_uri(reverse("campaigns:checkin", args=[token]))
    return {
        "session": session,
        "qr": segno.make(url, error="m").svg_data_uri(scale=6),
        "checkin_url": url,
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
    if request.method == "POST" and "minutes" in request.FILES:
        try:
            actions.session_minutes_upload(
                actor=request.user, session=session, upload=request.FILES["minutes"]
            )
            messages.success(request, _("The minutes were uploaded."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
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


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@login_required
def campaign_export_xlsx(request, campaign_id):
    from django.http import FileResponse

    from .exporting import campaign_xlsx

    campaign = access_campaign(request.user, campaign_id)
    return FileResponse(
        campaign_xlsx(campaign=campaign),
        as_attachment=True,
        filename=f"dot-hoc-tap-{campaign.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def campaign_report_pdf(request, campaign_id):
    from django.http import HttpResponse

    from .exporting import campaign_pdf

    campaign = access_campaign(request.user, campaign_id)
    pdf = campaign_pdf(campaign=campaign, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{campaign.pk}.pdf"'
    return response


@login_required
def reflection(request, task_id):
    """A member writes their reflection for their unit's campaign task."""
    from .forms import ReflectionForm
    from .models import Reflection

    task = access_task_as_member(request.user, task_id)
    mine = Reflection.objects.filter(task=task, person=request.user).first()
    form = ReflectionForm(request.POST or None, initial={"text": mine.text if mine else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.reflection_submit(actor=request.user, task=task, text=form.cleaned_data["text"])
            messages.success(
                request, _("Your reflection was handed in to %(unit)s.") % {"unit": task.unit.name}
            )
            return redirect("campaigns:reflection", task_id=task.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "campaigns/reflection.html",
        {"task": task, "campaign": task.campaign, "mine": mine, "form": form},
    )


@login_required
@require_POST
def reflection_review(request, task_id, reflection_id):
    from .forms import ReviewForm
    from .models import Reflection

    task = access_task(request.user, task_id, Capability.MANAGE_MEMBERS)
    r = Reflection.objects.filter(pk=_int(reflection_id), task=task).first()
    if r is None:
        raise NotFound()
    form = ReviewForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        try:
            actions.reflection_review(
                actor=request.user,
                reflection=r,
                accept=accept,
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("campaigns:task", task_id=task.pk)


@login_required
def questions(request, campaign_id):
    """The issuer writes the quiz: a question and its answers, one of them right."""
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    if request.method == "POST":
        try:
            actions.question_add(
                actor=request.user,
                campaign=campaign,
                text=request.POST.get("text", "")[:500],
                choices=[request.POST.get(f"choice{i}", "")[:300] for i in range(4)],
                correct=_int(request.POST.get("correct")),
            )
            messages.success(request, _("The question was added."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("campaigns:questions", campaign_id=campaign.pk)
    return render(
        request,
        "campaigns/questions.html",
        {"campaign": campaign, "questions": campaign.questions.all()},
    )


@login_required
def quiz(request, task_id):
    """A member takes the quiz: questions in an order of their own, answers scored at once."""
    import random

    from .models import Question, QuizResult

    task = access_task_as_member(request.user, task_id)
    qs = list(Question.objects.filter(campaign=task.campaign).order_by("pk"))
    if not qs:
        raise NotFound()
    result = QuizResult.objects.filter(task=task, person=request.user).first()
    score = None
    if request.method == "POST":
        answers = {q.pk: _int(request.POST.get(f"q{q.pk}")) for q in qs}
        score, passed = actions.quiz_submit(actor=request.user, task=task, answers=answers)
        result = QuizResult.objects.filter(task=task, person=request.user).first()
    rng = random.Random(f"{request.user.pk}:{task.pk}:{result.attempts if result else 0}")  # noqa: S311
    rng.shuffle(qs)
    return render(
        request,
        "campaigns/quiz.html",
        {
            "task": task,
            "campaign": task.campaign,
            "questions": qs,
            "result": result,
            "score": score,
        },
    )


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

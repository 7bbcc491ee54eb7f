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
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, can, scope_q
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

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
    """The issuer's dashboard: totals, a row per unit one level down (or per tree of a joint
    campaign), drill-down, reasons for lagging, progress over time, material, history."""
    from .access import visible_roots
    from .forms import DocumentForm, ExtendForm, PartnerForm
    from .models import CampaignPartner

    campaign = access_campaign(request.user, campaign_id)
    all_roots = selectors.campaign_roots(campaign)
    roots = visible_roots(request.user, campaign, all_roots)
    joint = len(all_roots) > 1
    focus = None
    if request.GET.get("focus"):
        focus = Unit.objects.filter(pk=_int(request.GET["focus"])).first()
        if focus is None or not any(focus.path.startswith(r.path) for r in roots):
            raise NotFound()
    elif not (joint and len(roots) > 1):
        focus = roots[0]
    if focus is None:
        rows = selectors.root_rows(campaign=campaign, roots=roots)
    else:
        rows = selectors.dashboard_rows(campaign=campaign, focus=focus)
    sort = request.GET.get("sort", "done_pct")
    if sort in ("done_pct", "attendance_pct", "sessions", "tasks"):
        rows.sort(key=lambda r: (r[sort], r["unit"].name))
    may_manage = can(request.user, campaign.issuer, Capability.MANAGE_MEMBERS)
    sees_all = len(roots) == len(all_roots)
    if not request.GET.get("focus") and sees_all:
        actions.campaign_snapshot(campaign=campaign)
    subs = [
        (sub, selectors.rollup(campaign=sub, focus=sub.issuer))
        for sub in campaign.subcampaigns.select_related("issuer").order_by("issuer__path")
        if any(sub.issuer.path.startswith(r.path) for r in roots)
    ]
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "focus": focus,
            "focus_param": f"focus={focus.pk}&amp;" if focus and request.GET.get("focus") else "",
            "total": selectors.rollup(campaign=campaign, focus=None if sees_all else focus),
            "rows": rows,
            "events": campaign.events.select_related("actor"),
            "may_manage": may_manage,
            "breadcrumbs": _breadcrumbs(roots, focus) if request.GET.get("focus") else [],
            "documents": selectors.documents_of(campaign),
            "partners": CampaignPartner.objects.filter(campaign=campaign).select_related("unit"),
            "subcampaigns": subs,
            "chart": selectors.progress_chart(campaign) if sees_all else None,
            "document_form": DocumentForm(prefix="d") if may_manage else None,
            "partner_form": PartnerForm(prefix="p") if may_manage and not campaign.parent else None,
            "extend_form": ExtendForm(
                prefix="e", initial={"ends_on": campaign.ends_on, "report_due": campaign.report_due}
            )
            if may_manage
            else None,
        },
    )


def _breadcrumbs(roots: list[Unit], focus: Unit) -> list[Unit]:
    root = next(r for r in roots if focus.path.startswith(r.path))
    chain = [u for u in Unit.objects.get_ancestors(focus) if u.path.startswith(root.path)]
    return [*chain, focus] if focus.pk != root.pk else [focus]


@login_required
@require_POST
def campaign_extend(request, campaign_id):
    from .forms import ExtendForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = ExtendForm(request.POST, prefix="e")
    if form.is_valid():
        with action_errors(request):
            actions.campaign_extend(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("The campaign was extended."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def document_add(request, campaign_id):
    from .forms import DocumentForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = DocumentForm(request.POST, request.FILES, prefix="d")
    if form.is_valid():
        d = form.cleaned_data
        with action_errors(request):
            doc = actions.document_add(
                actor=request.user,
                campaign=campaign,
                title=d["title"],
                upload=d.get("file"),
                url=d.get("url") or "",
                note=d.get("note") or "",
            )
            messages.success(
                request,
                _("Added: %(title)s (version %(v)s)") % {"title": doc.title, "v": doc.version},
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def document_download(request, document_id):
    from django.http import FileResponse

    from .access import may_read_material
    from .models import CampaignDocument

    doc = (
        CampaignDocument.objects.select_related("campaign__issuer")
        .filter(pk=_int(document_id))
        .first()
    )
    if doc is None or not doc.file or not may_read_material(request.user, doc.campaign):
        raise NotFound()
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def partner_invite(request, campaign_id):
    from .forms import PartnerForm

    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    form = PartnerForm(request.POST, prefix="p")
    unit = None
    if form.is_valid():
        found = list(Unit.objects.filter(code=form.cleaned_data["code"].strip())[:2])
        unit = found[0] if len(found) == 1 else None
    if unit is None:
        messages.error(request, _("No unit has this code."))
    else:
        with action_errors(request):
            actions.partner_invite(actor=request.user, campaign=campaign, unit=unit)
            messages.success(
                request,
                _(
                    "The unit with code %(code)s was invited. Its name and its units appear "
                    "once its officers accept."
                )
                % {"code": unit.code},
            )
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
def partner_accept(request, campaign_id, partner_id):
    """The partner's officers read the invitation and accept it."""
    from .models import CampaignPartner

    p = (
        CampaignPartner.objects.select_related("campaign__issuer", "unit")
        .filter(pk=_int(partner_id), campaign_id=_int(campaign_id))
        .first()
    )
    if p is None or not can(request.user, p.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if request.method == "POST":
        with action_errors(request):
            n = actions.partner_accept(actor=request.user, partner=p)
            messages.success(
                request, _("Accepted: %(n)s of your units received the task.") % {"n": n}
            )
            return redirect("campaigns:detail", campaign_id=p.campaign_id)
    return render(
        request,
        "campaigns/partner.html",
        {"partner": p, "campaign": p.campaign, "documents": selectors.documents_of(p.campaign)},
    )


@login_required
@require_POST
def subcampaign_create(request, task_id):
    from .forms import SubCampaignForm

    task = access_task(request.user, task_id, Capability.MANAGE_MEMBERS)
    form = SubCampaignForm(request.POST, prefix="sub")
    if form.is_valid():
        with action_errors(request):
            sub = actions.subcampaign_create(actor=request.user, task=task, **form.cleaned_data)
            return redirect("campaigns:detail", campaign_id=sub.pk)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:task", task_id=task.pk)


@login_required
def my_campaigns(request):
    """A member's side: the campaigns of their units, with the material, the quiz and the
    reflection."""
    from suotdoi.organisations.selectors import member_path_prefixes

    from .models import QuizResult, Reflection

    prefixes = member_path_prefixes(request.user)
    tasks = list(
        Task.objects.filter(unit_path__in=prefixes, campaign__status="launched")
        .select_related("campaign", "unit")
        .order_by("campaign__report_due")[:20]
    )
    quiz = {r.task_id: r for r in QuizResult.objects.filter(person=request.user, task__in=tasks)}
    refl = {r.task_id: r for r in Reflection.objects.filter(person=request.user, task__in=tasks)}
    with_questions = set(
        Task.objects.filter(pk__in=[t.pk for t in tasks], campaign__questions__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    items = [
        {
            "task": t,
            "documents": selectors.documents_of(t.campaign),
            "quiz": quiz.get(t.pk),
            "has_quiz": t.pk in with_questions,
            "reflection": refl.get(t.pk),
        }
        for t in tasks
    ]
    return render(request, "campaigns/mine.html", {"items": items})


@login_required
@require_POST
def campaign_launch(request, campaign_id):
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    with action_errors(request):
        n = actions.campaign_launch(actor=request.user, campaign=campaign)
        messages.success(request, _("Launched: %(n)s units received the task.") % {"n": n})
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
    from .forms import SubCampaignForm

    may_manage = can(request.user, task.unit, Capability.MANAGE_MEMBERS)
    session_form = SessionForm(prefix="s", unit=task.unit)
    report_form = ReportForm(initial={"note": task.report_note})
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if "s-title" in request.POST:
            session_form = SessionForm(request.POST, prefix="s", unit=task.unit)
            if session_form.is_valid():
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
                prefix="sub", initial={"report_due": task.campaign.report_due}
            )
            if may_manage and task.unit.numchild
            else None,
            "subcampaigns": task.campaign.subcampaigns.filter(issuer=task.unit),
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
    if request.method == "POST" and request.FILES.getlist("photos"):
        with action_errors(request):
            n = actions.session_photos_add(
                actor=request.user, session=session, uploads=request.FILES.getlist("photos")
            )
            messages.success(request, _("%(n)s photo(s) uploaded.") % {"n": n})
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
    if request.method == "POST":
        form = ReflectionForm(request.POST, request.FILES)
    if request.method == "POST" and form.is_valid():
        with action_errors(request):
            actions.reflection_submit(
                actor=request.user,
                task=task,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("file"),
            )
            messages.success(
                request, _("Your reflection was handed in to %(unit)s.") % {"unit": task.unit.name}
            )
            return redirect("campaigns:reflection", task_id=task.pk)
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
        with action_errors(request):
            actions.reflection_review(
                actor=request.user,
                reflection=r,
                accept=accept,
                comment=form.cleaned_data["comment"],
            )
    return redirect("campaigns:task", task_id=task.pk)


@login_required
def questions(request, campaign_id):
    """The issuer writes the quiz: a question and its answers, one of them right."""
    campaign = access_campaign(request.user, campaign_id, Capability.MANAGE_MEMBERS)
    if request.method == "POST":
        with action_errors(request):
            actions.question_add(
                actor=request.user,
                campaign=campaign,
                text=request.POST.get("text", "")[:500],
                choices=[request.POST.get(f"choice{i}", "")[:300] for i in range(4)],
                correct=_int(request.POST.get("correct")),
            )
            messages.success(request, _("The question was added."))
        return redirect("campaigns:questions", campaign_id=campaign.pk)
    return render(
        request,
        "campaigns/questions.html",
        {"campaign": campaign, "questions": campaign.questions.all()},
    )


@login_required
def quiz(request, task_id):
    """A member takes the quiz: questions in an order of their own, answers scored at once."""
    from .models import QuizResult

    task = access_task_as_member(request.user, task_id)
    result = QuizResult.objects.filter(task=task, person=request.user).first()
    drawn = selectors.draw_questions(task, request.user, result.attempts if result else 0)
    if not drawn:
        raise NotFound()
    score = None
    if request.method == "POST":
        answers = {q.pk: _int(request.POST.get(f"q{q.pk}")) for q, _order in drawn}
        score, passed = actions.quiz_submit(actor=request.user, task=task, answers=answers)
        result = QuizResult.objects.filter(task=task, person=request.user).first()
        drawn = selectors.draw_questions(task, request.user, result.attempts)
    return render(
        request,
        "campaigns/quiz.html",
        {
            "task": task,
            "campaign": task.campaign,
            "questions": [
                {"q": q, "choices": [(i, q.choices[i]) for i in order]} for q, order in drawn
            ],
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


@login_required
def session_photo(request, session_id, photo_id):
    from django.http import FileResponse

    from .models import SessionPhoto

    session = access_session(request.user, session_id, Capability.VIEW)
    photo = SessionPhoto.objects.filter(pk=_int(photo_id), session=session).first()
    if photo is None:
        raise NotFound()
    name = photo.image.name.lower()
    return FileResponse(
        photo.image.open("rb"), content_type="image/png" if name.endswith(".png") else "image/jpeg"
    )


@login_required
def reflection_file(request, task_id, reflection_id):
    """A reflection's file: for its author and for the unit's staff who review it."""
    from django.http import FileResponse

    from .models import Reflection

    r = (
        Reflection.objects.select_related("task__unit")
        .filter(pk=_int(reflection_id), task_id=_int(task_id))
        .first()
    )
    if (
        r is None
        or not r.file
        or not (
            r.person_id == request.user.pk
            or can(request.user, r.task.unit, Capability.MANAGE_MEMBERS)
        )
    ):
        raise NotFound()
    return FileResponse(
        r.file.open("rb"), as_attachment=True, filename=r.file.name.rsplit("/", 1)[-1]
    )

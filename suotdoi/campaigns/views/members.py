"""Members' pages: my campaigns, reflections, the quiz; the issuer's questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions, selectors
from ..access import access_campaign, access_task, access_task_as_member
from ..models import Task


@login_required
def my_campaigns(request):
    """A member's side: the campaigns of their units, with the material, the quiz and the
    reflection."""
    from suotdoi.organisations.selectors import member_path_prefixes

    from ..models import QuizResult, Reflection

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
    upcoming: dict[int, list] = {}
    for s in selectors.upcoming_sessions_for(request.user, prefixes=prefixes):
        upcoming.setdefault(s.task_id, []).append(s)
    items = [
        {
            "task": t,
            "sessions": upcoming.get(t.pk, []),
            "documents": selectors.documents_of(t.campaign),
            "quiz": quiz.get(t.pk),
            "has_quiz": t.pk in with_questions,
            "reflection": refl.get(t.pk),
        }
        for t in tasks
    ]
    return render(request, "campaigns/mine.html", {"items": items})


@login_required
def reflection(request, task_id):
    """A member writes their reflection for their unit's campaign task."""
    from ..forms import ReflectionForm
    from ..models import Reflection

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
    from ..forms import ReviewForm
    from ..models import Reflection

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
                explanation=request.POST.get("explanation", "")[:500],
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
    from ..models import QuizResult

    task = access_task_as_member(request.user, task_id)
    result = QuizResult.objects.filter(task=task, person=request.user).first()
    drawn = selectors.draw_questions(task, request.user, result.attempts if result else 0)
    if not drawn:
        raise NotFound()
    score = None
    review = []
    if request.method == "POST":
        answers = {q.pk: _int(request.POST.get(f"q{q.pk}")) for q, _order in drawn}
        score, passed = actions.quiz_submit(actor=request.user, task=task, answers=answers)
        result = QuizResult.objects.filter(task=task, person=request.user).first()
        # The answers just given, each with the right one and why: a result to learn from,
        # not a fresh quiz (#16.8). "Try again" opens a new draw.
        review = [
            {
                "q": q,
                "given": q.choices[answers[q.pk]]
                if answers[q.pk] is not None and 0 <= answers[q.pk] < len(q.choices)
                else "",
                "right": q.choices[q.correct],
                "ok": answers[q.pk] == q.correct,
            }
            for q, _order in drawn
        ]
        drawn = []
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
            "review": review,
        },
    )


@login_required
def reflection_file(request, task_id, reflection_id):
    """A reflection's file: for its author and for the unit's staff who review it."""
    from django.http import FileResponse

    from ..models import Reflection

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

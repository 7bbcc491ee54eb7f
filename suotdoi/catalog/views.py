"""Catalogue pages: search and browse, the course player, the library, provider management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suotdoi.core.dbrouting import replica_reads
from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.jsonio import BadJSON, parse_json_body
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .access import (
    _int,
    access_course,
    access_course_manage,
    access_provider,
    access_resource,
    public_provider,
)
from .actions import offline
from .forms import (
    CourseForm,
    LessonForm,
    ModuleForm,
    ProviderForm,
    QuestionForm,
    ResourceForm,
    RunForm,
)
from .models import Category, Course, Enrolment, Format, Lesson, Provider
from .rules import MAX_REQUEST_BYTES
from .search import Filters, search


def _filters(request) -> Filters:
    g = request.GET
    hours = g.get("max_hours")
    try:
        max_hours = float(hours) if hours else None
    except ValueError:
        max_hours = None
    return Filters(
        category=g.get("category", "") if g.get("category") in Category.values else "",
        format=g.get("format", "") if g.get("format") in Format.values else "",
        price=g.get("price", "") if g.get("price") in ("free", "paid") else "",
        provider=_int(g.get("provider")) if g.get("provider") else None,
        max_hours=max_hours,
        kind=g.get("kind", "") if g.get("kind") in ("course", "resource") else "",
    )


@replica_reads
def home(request):
    """Search box, categories, and what is recommended for this person."""
    q = request.GET.get("q", "").strip()[:200]
    filters = _filters(request)
    context = {
        "q": q,
        "filters": filters,
        "categories": Category.choices,
        "formats": Format.choices,
    }
    if q or any(vars(filters).values()):
        results = search(
            q, person=request.user, filters=filters, page=_int(request.GET.get("page"))
        )
        context |= {
            "page": results,
            "items": selectors.docs_with_objects(results.items),
            "words": results.words,
            "searched": True,
        }
    else:
        context["recommended"] = selectors.docs_with_objects(selectors.recommended(request.user))
    return render(request, "catalog/home.html", context)


def course_detail(request, course_id):
    course = access_course(request.user, course_id)
    enrolment = (
        Enrolment.objects.filter(course=course, person=request.user).first()
        if request.user.is_authenticated
        else None
    )
    outline = selectors.course_outline(course, enrolment)
    return render(
        request,
        "catalog/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "outline": outline,
            "runs": course.runs.all(),
            "has_quiz": course.questions.exists(),
            "may_manage": can(request.user, course.provider.unit, Capability.MANAGE_MEMBERS),
        },
    )


@login_required
@require_POST
def course_enrol(request, course_id):
    course = access_course(request.user, course_id)
    run = None
    if request.POST.get("run"):
        run = course.runs.filter(pk=_int(request.POST["run"])).first()
        if run is None:
            raise NotFound()
    with action_errors(request):
        e = actions.enrol(person=request.user, course=course, run=run)
        if e.status == Enrolment.WAITLISTED:
            messages.warning(request, _("The run is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are enrolled."))
    return redirect("catalog:course", course_id=course.pk)


@login_required
@require_POST
def course_cancel(request, course_id):
    course = access_course(request.user, course_id)
    e = Enrolment.objects.filter(course=course, person=request.user).first()
    if e is None:
        raise NotFound()
    actions.enrolment_cancel(actor=request.user, enrolment=e)
    messages.success(request, _("Your enrolment is cancelled."))
    return redirect("catalog:course", course_id=course.pk)


def _enrolment_or_404(request, course):
    e = Enrolment.objects.filter(
        course=course,
        person=request.user,
        status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED],
    ).first()
    if e is None:
        raise NotFound()
    return e


@login_required
def lesson(request, course_id, lesson_id):
    """One lesson on a phone: the content, then "done, next"."""
    course = access_course(request.user, course_id)
    e = _enrolment_or_404(request, course)
    ls = Lesson.objects.filter(pk=_int(lesson_id), course=course).first()
    if ls is None:
        raise NotFound()
    if ls.kind == "package":  # played and tracked by the package player, never ticked off here
        return redirect("packages:play", lesson_id=ls.pk)
    if request.method == "POST":
        actions.lesson_done(person=request.user, enrolment=e, lesson=ls)
        e.refresh_from_db()
        if e.status == Enrolment.COMPLETED:
            messages.success(request, _("Course completed. It is in your learning record."))
            return redirect("catalog:course", course_id=course.pk)
        outline = selectors.course_outline(course, e)
        if outline["next"] is not None:
            return redirect("catalog:lesson", course_id=course.pk, lesson_id=outline["next"].pk)
        if course.questions.exists() and not e.quiz_passed:
            return redirect("catalog:quiz", course_id=course.pk)
        return redirect("catalog:course", course_id=course.pk)
    outline = selectors.course_outline(course, e)
    lessons = outline["lessons"]
    index = next(i for i, x in enumerate(lessons) if x.pk == ls.pk)
    return render(
        request,
        "catalog/lesson.html",
        {
            "course": course,
            "lesson": ls,
            "done": ls.pk in outline["done"],
            "position": index + 1,
            "count": len(lessons),
            "previous": lessons[index - 1] if index else None,
        },
    )


@login_required
def lesson_file(request, course_id, lesson_id):
    course = access_course(request.user, course_id)
    if not can(request.user, course.provider.unit, Capability.MANAGE_MEMBERS):
        _enrolment_or_404(request, course)
    ls = Lesson.objects.filter(pk=_int(lesson_id), course=course).first()
    if ls is None or not ls.file:
        raise NotFound()
    return FileResponse(ls.file.open("rb"), filename=ls.file.name.rsplit("/", 1)[-1])


@login_required
def quiz(request, course_id):
    course = access_course(request.user, course_id)
    e = _enrolment_or_404(request, course)
    attempt = None
    if request.method == "POST":
        drawn = actions.draw_questions(e, e.attempts)
        answers = {}
        for q, _order in drawn:
            key = f"q{q.pk}"
            if q.kind == "multiple":
                answers[q.pk] = sorted(_int(v) for v in request.POST.getlist(key))
            elif q.kind == "short":
                answers[q.pk] = request.POST.get(key, "")[:200]
            else:
                answers[q.pk] = _int(request.POST.get(key))
        with action_errors(request):
            attempt = actions.quiz_submit(person=request.user, enrolment=e, answers=answers)
            e.refresh_from_db()
            if e.status == Enrolment.COMPLETED and attempt.passed:
                messages.success(request, _("Course completed. It is in your learning record."))
    limit = course.attempts_limit
    left = max(0, limit - e.attempts) if limit else None
    drawn = actions.draw_questions(e, e.attempts)
    return render(
        request,
        "catalog/quiz.html",
        {
            "course": course,
            "enrolment": e,
            "attempt": attempt,
            "answered": {q.pk: q for q, _o in actions.draw_questions(e, e.attempts - 1)}
            if attempt
            else {},
            "questions": [
                {"q": q, "choices": [(i, q.choices[i]["text"]) for i in order]}
                for q, order in drawn
            ],
            "left": left,
            "may_try": not e.quiz_passed and (left is None or left > 0),
        },
    )


def provider_page(request, unit_id):
    provider = public_provider(unit_id)
    from .models import SearchDoc
    from .search import visible_q

    docs = SearchDoc.objects.filter(visible_q(request.user), provider=provider).order_by(
        "kind", "title_folded"
    )
    return render(
        request,
        "catalog/provider.html",
        {
            "provider": provider,
            "items": selectors.docs_with_objects(docs[:200]),
        },
    )


def resource_detail(request, resource_id):
    r = access_resource(resource_id)
    return render(request, "catalog/resource.html", {"resource": r})


def resource_file(request, resource_id):
    r = access_resource(resource_id)
    if not r.file:
        raise NotFound()
    return FileResponse(r.file.open("rb"), filename=r.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def resource_studied(request, resource_id):
    r = access_resource(resource_id)
    with action_errors(request):
        _entry, created = actions.resource_studied(person=request.user, resource=r)
        if created:
            messages.success(request, _("Added to your learning record."))
        else:
            messages.info(request, _("This is already in your learning record."))
    return redirect("catalog:resource", resource_id=r.pk)


# --- provider side --------------------------------------------------------------------------


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def _refuse_big(request):
    return render(
        request,
        "catalog/too_big.html",
        {"limit_mb": MAX_REQUEST_BYTES // (1024 * 1024)},
        status=413,
    )


@login_required
def manage(request, unit_id):
    unit = access_provider(request.user, unit_id)
    provider = Provider.objects.filter(unit=unit).first()
    if request.method == "POST" and _too_big(request):
        return _refuse_big(request)
    course_form = CourseForm(prefix="c", provider=provider)
    resource_form = ResourceForm(prefix="r")
    provider_form = ProviderForm(
        request.POST if request.method == "POST" and "enable" in request.POST else None
    )
    if request.method == "POST":
        with action_errors(request):
            if "enable" in request.POST and provider_form.is_valid():
                actions.provider_enable(actor=request.user, unit=unit, **provider_form.cleaned_data)
                return redirect("catalog:manage", unit_id=unit.pk)
            if provider is None:
                raise NotFound()
            if "c-title" in request.POST:
                course_form = CourseForm(request.POST, prefix="c", provider=provider)
                if course_form.is_valid():
                    c = actions.course_create(
                        actor=request.user, provider=provider, **course_form.cleaned_data
                    )
                    return redirect("catalog:manage_course", course_id=c.pk)
            elif "r-title" in request.POST:
                resource_form = ResourceForm(request.POST, request.FILES, prefix="r")
                if resource_form.is_valid():
                    d = dict(resource_form.cleaned_data)
                    upload = d.pop("upload", None)
                    actions.resource_add(actor=request.user, provider=provider, upload=upload, **d)
                    messages.success(request, _("The resource is in your library."))
                    return redirect("catalog:manage", unit_id=unit.pk)
    return render(
        request,
        "catalog/manage.html",
        {
            "unit": unit,
            "provider": provider,
            "provider_form": provider_form,
            "course_form": course_form,
            "resource_form": resource_form,
            "courses": provider.courses.order_by("status", "title") if provider else [],
            "resources": provider.resources.order_by("title")[:200] if provider else [],
        },
    )


@login_required
def manage_course(request, course_id):
    course = access_course_manage(request.user, course_id)
    if request.method == "POST" and _too_big(request):
        return _refuse_big(request)
    may_publish = can(request.user, course.provider.unit, Capability.MANAGE_UNITS)
    forms_ = {
        "course_form": CourseForm(instance=course, prefix="c", provider=course.provider),
        "module_form": ModuleForm(prefix="m"),
        "lesson_form": LessonForm(prefix="l", course=course),
        "question_form": QuestionForm(prefix="q"),
        "run_form": RunForm(prefix="run"),
    }
    if request.method == "POST":
        p = request.POST
        if "publish" in p and not may_publish:
            raise NotFound()
        with action_errors(request):
            if "c-title" in p:
                f = CourseForm(
                    p,
                    instance=Course.objects.get(pk=course.pk),
                    prefix="c",
                    provider=course.provider,
                )
                forms_["course_form"] = f
                if f.is_valid():
                    fields = dict(f.cleaned_data)
                    actions.course_update(actor=request.user, course=course, **fields)
                    messages.success(request, _("Saved."))
                    return redirect("catalog:manage_course", course_id=course.pk)
            elif "m-title" in p:
                f = ModuleForm(p, prefix="m")
                if f.is_valid():
                    actions.module_add(
                        actor=request.user, course=course, title=f.cleaned_data["title"]
                    )
                    return redirect("catalog:manage_course", course_id=course.pk)
            elif "l-title" in p:
                f = LessonForm(p, request.FILES, prefix="l", course=course)
                forms_["lesson_form"] = f
                if f.is_valid():
                    d = f.cleaned_data
                    module = course.modules.get(pk=d["module"])
                    actions.lesson_add(
                        actor=request.user, module=module, title=d["title"], kind=d["kind"],
                        body=d["body"], url=d["url"], upload=d.get("file"), minutes=d["minutes"],
                    )  # fmt: skip
                    messages.success(request, _("The lesson was added."))
                    return redirect("catalog:manage_course", course_id=course.pk)
            elif "q-text" in p:
                f = QuestionForm(p, prefix="q")
                forms_["question_form"] = f
                if f.is_valid():
                    actions.question_add(actor=request.user, course=course, **f.as_action_kwargs())
                    messages.success(request, _("The question was added."))
                    return redirect("catalog:manage_course", course_id=course.pk)
            elif "run-place" in p:
                f = RunForm(p, prefix="run")
                forms_["run_form"] = f
                if f.is_valid():
                    actions.run_add(actor=request.user, course=course, **f.cleaned_data)
                    return redirect("catalog:manage_course", course_id=course.pk)
            elif "submit" in p:
                actions.course_submit(actor=request.user, course=course)
                messages.success(request, _("Handed in for review."))
                return redirect("catalog:manage_course", course_id=course.pk)
            elif "publish" in p:
                actions.course_publish(actor=request.user, course=course)
                messages.success(request, _("Published: the course is in the catalogue."))
                return redirect("catalog:manage_course", course_id=course.pk)
            elif "unpublish" in p:
                actions.course_return(
                    actor=request.user, course=course, comment=p.get("comment", "")
                )
                messages.success(request, _("The course is a draft again."))
                return redirect("catalog:manage_course", course_id=course.pk)
            elif "complete" in p:
                ids = [_int(x) for x in p.getlist("enrolment")]
                n = actions.complete_in_person(actor=request.user, course=course, enrolment_ids=ids)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s learner marked as completed.",
                        "%(n)s learners marked as completed.",
                        n,
                    )
                    % {"n": n},
                )
                return redirect("catalog:manage_course", course_id=course.pk)
    from .rules import course_problems

    course.refresh_from_db()
    return render(
        request,
        "catalog/manage_course.html",
        {
            "course": course,
            **forms_,
            "modules": course.modules.prefetch_related("lessons"),
            "questions": course.questions.all(),
            "runs": course.runs.all(),
            "enrolments": course.enrolments.select_related("person", "run").order_by(
                "status", "enrolled_at"
            )[:500],
            "problems": course_problems(course),
            "may_publish": may_publish,
        },
    )


# --- a course kept for a phone without signal (#27) ----------------------------------------


@login_required
def offline_reader(request, course_id):
    """The course as the phone keeps it: lessons and quiz drawn from the saved bundle by
    reader.js, the same online and offline (what is done offline is queued and sent)."""
    course = access_course(request.user, course_id)
    _enrolment_or_404(request, course)
    return render(request, "catalog/offline.html", {"course": course})


@login_required
def offline_bundle(request, course_id):
    course = access_course(request.user, course_id)
    e = _enrolment_or_404(request, course)
    response = JsonResponse(offline.bundle(e))
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def offline_send(request, course_id):
    """One thing done offline, sent once there is signal (see actions.offline)."""
    course = access_course(request.user, course_id)
    e = _enrolment_or_404(request, course)
    try:
        op = parse_json_body(request, max_bytes=256 * 1024)
    except BadJSON as exc:
        return JsonResponse({"status": "error", "message": str(exc.message)}, status=400)
    try:
        return JsonResponse(offline.offline_send(person=request.user, enrolment=e, op=op))
    except ApplicationError as exc:  # final: the phone drops it and shows why
        return JsonResponse({"status": "refused", "message": str(exc.message)})

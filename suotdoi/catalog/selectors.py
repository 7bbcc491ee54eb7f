from __future__ import annotations

from django.db.models import Count

from .models import Course, Enrolment, LessonProgress, SearchDoc
from .search import visible_q


def docs_with_objects(docs) -> list[dict]:
    """Search rows with their course or resource (two queries for a page)."""
    from .models import Resource

    docs = list(docs)
    courses = Course.objects.in_bulk([d.object_id for d in docs if d.kind == SearchDoc.COURSE])
    resources = Resource.objects.in_bulk(
        [d.object_id for d in docs if d.kind == SearchDoc.RESOURCE]
    )
    out = []
    for d in docs:
        obj = (courses if d.kind == SearchDoc.COURSE else resources).get(d.object_id)
        if obj is not None:
            out.append({"doc": d, "obj": obj})
    return out


def recommended(person, limit: int = 6) -> list[SearchDoc]:
    """Courses for this person: from providers in their own organisation trees and in the
    categories they studied before, then the newest; never one they already took."""
    qs = SearchDoc.objects.filter(visible_q(person), kind=SearchDoc.COURSE).select_related(
        "provider__unit"
    )
    if person is None or not person.is_authenticated:
        return list(qs.order_by("-id")[:limit])
    taken = set(Enrolment.objects.filter(person=person).values_list("course_id", flat=True))
    qs = qs.exclude(object_id__in=taken)
    from suotdoi.organisations.models import Membership, Unit

    step = Unit.steplen
    paths = list(
        Membership.objects.filter(person=person, end_date__isnull=True).values_list(
            "unit_path", flat=True
        )
    )
    trees = {p[:step] for p in paths}
    cats = list(
        Course.objects.filter(pk__in=taken)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("category", flat=True)[:3]
    )
    picked: list[SearchDoc] = []
    seen: set[int] = set()

    def take(rows):
        for d in rows:
            if d.pk not in seen and len(picked) < limit:
                seen.add(d.pk)
                picked.append(d)

    from django.db.models import Q

    if trees:
        near = Q()
        for t in trees:
            near |= Q(provider__unit__path__startswith=t)
        take(qs.filter(near).order_by("-id")[: limit * 2])
    if cats and len(picked) < limit:
        take(qs.filter(category__in=cats).order_by("-id")[: limit * 2])
    if len(picked) < limit:
        take(qs.order_by("-id")[: limit * 2])
    return picked


def course_outline(course: Course, enrolment: Enrolment | None):
    """Modules with their lessons and, for a learner, which lessons are done."""
    done = (
        set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
        if enrolment
        else set()
    )
    modules = list(course.modules.prefetch_related("lessons"))
    lessons = [lesson for m in modules for lesson in m.lessons.all()]
    nxt = next((lesson for lesson in lessons if lesson.pk not in done), None)
    return {"modules": modules, "done": done, "next": nxt, "lessons": lessons}

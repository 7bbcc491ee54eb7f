"""Providers, the search index, courses and their content, review and publication."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import ValidationFailed
from suotdoi.core.text import fold

from .. import rules, search
from ..errors import NotPublishable
from ..models import (
    Course,
    CourseRun,
    Lesson,
    Module,
    Provider,
    Question,
    QuestionKind,
    Resource,
    SearchDoc,
    Status,
)


@transaction.atomic
def provider_enable(*, actor, unit, description: str = "", website: str = "") -> Provider:
    provider, created = Provider.objects.get_or_create(
        unit=unit, defaults={"description": description, "website": website}
    )
    if created:
        audit_log(actor=actor, verb="catalog.provider", target=provider, unit=unit)
    return provider


@transaction.atomic
def provider_update(*, actor, provider: Provider, description: str, website: str) -> Provider:
    p = Provider.objects.select_for_update().select_related("unit").get(pk=provider.pk)
    if (p.description, p.website) != (description, website):
        p.description, p.website = description, website
        p.save(update_fields=["description", "website", "updated_at"])
        audit_log(actor=actor, verb="catalog.provider_update", target=p, unit=p.unit)
    return p


# --- the search index -----------------------------------------------------------------------


def _index(kind: str, obj, *, audience_path: str, fmt: str, price: int, hours) -> None:
    body = " ".join(
        [
            obj.summary or "",
            " ".join(getattr(obj, "tags", None) or []),
            obj.provider.unit.name,
            getattr(obj, "author", "") or "",
            str(obj.get_category_display()),
        ]
    )
    SearchDoc.objects.update_or_create(
        kind=kind,
        object_id=obj.pk,
        defaults={
            "title": obj.title,
            "title_folded": fold(obj.title),
            "body_folded": fold(body),
            "category": obj.category,
            "format": fmt,
            "price": price,
            "hours": hours,
            "provider": obj.provider,
            "audience_path": audience_path,
        },
    )
    search.remember_words([obj.title, body])


def index_course(course: Course) -> None:
    if course.status != Status.PUBLISHED:
        SearchDoc.objects.filter(kind=SearchDoc.COURSE, object_id=course.pk).delete()
        return
    _index(
        SearchDoc.COURSE,
        course,
        audience_path=course.audience_unit.path if course.audience_unit_id else "",
        fmt=course.format,
        price=course.price,
        hours=course.hours,
    )


def index_resource(resource: Resource) -> None:
    if not resource.published:
        SearchDoc.objects.filter(kind=SearchDoc.RESOURCE, object_id=resource.pk).delete()
        return
    _index(
        SearchDoc.RESOURCE,
        resource,
        audience_path="",
        fmt="",
        price=0,
        hours=Decimal(resource.minutes) / 60,
    )


# --- courses and their content --------------------------------------------------------------


COURSE_FIELDS = (
    "title", "summary", "category", "tags", "level", "format", "hours", "credits", "price",
    "audience_unit", "language", "licence", "external_url", "pass_pct", "attempts_limit",
    "quiz_draw",
)  # fmt: skip


def _check_audience(provider: Provider, audience_unit) -> None:
    if audience_unit is not None and not audience_unit.path.startswith(provider.unit.path):
        raise ValidationFailed(
            _("A members-only course is for the provider's own unit or a unit below it.")
        )


@transaction.atomic
def course_create(*, actor, provider: Provider, **fields) -> Course:
    _check_audience(provider, fields.get("audience_unit"))
    course = Course.objects.create(
        provider=provider,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in COURSE_FIELDS},
    )
    audit_log(actor=actor, verb="catalog.course_create", target=course, unit=provider.unit)
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **fields) -> Course:
    c = Course.objects.select_for_update().select_related("provider__unit").get(pk=course.pk)
    _check_audience(c.provider, fields.get("audience_unit", c.audience_unit))
    changed = {}
    for k, v in fields.items():
        if k in COURSE_FIELDS and getattr(c, k) != v:
            changed[k] = str(v)[:200]
            setattr(c, k, v)
    c.save()
    index_course(c)
    audit_log(
        actor=actor, verb="catalog.course_update", target=c, unit=c.provider.unit, data=changed
    )
    return c


@transaction.atomic
def module_add(*, actor, course: Course, title: str) -> Module:
    n = course.modules.count()
    m = Module.objects.create(course=course, title=title.strip(), order=n + 1)
    audit_log(actor=actor, verb="catalog.module_add", target=m, unit=course.provider.unit)
    return m


@transaction.atomic
def lesson_add(
    *,
    actor,
    module: Module,
    title: str,
    kind: str,
    body: str = "",
    url: str = "",
    upload=None,
    minutes: int = 10,
) -> Lesson:
    if kind == "package":
        raise ValidationFailed(_("E-learning packages are added by uploading the package."))
    if upload is not None:
        if kind not in ("video", "pdf", "image"):
            raise ValidationFailed(_("Only video, PDF and image lessons take a file."))
        rules.check_upload(kind, upload)
    if kind in ("video", "pdf", "image") and upload is None and not url:
        raise ValidationFailed(_("Attach the file or give its address."))
    if kind == "link" and not url:
        raise ValidationFailed(_("Give the link."))
    if kind == "text" and not rules.clean_html(body).strip():
        raise ValidationFailed(_("Write the lesson's text."))
    lesson = Lesson(
        module=module,
        course=module.course,
        title=title.strip(),
        kind=kind,
        body=rules.clean_html(body),
        url=url,
        minutes=minutes,
        order=module.lessons.count() + 1,
    )
    if upload is not None:
        lesson.file.save(upload.name, upload, save=False)
    lesson.save()
    audit_log(
        actor=actor, verb="catalog.lesson_add", target=lesson, unit=module.course.provider.unit
    )
    return lesson


@transaction.atomic
def question_add(
    *, actor, course: Course, kind: str, text: str, choices=(), answers=(), feedback: str = ""
) -> Question:
    """Add a question to the course's bank. A question without a right answer may be saved
    while the course is a draft; publishing refuses it."""
    if kind == QuestionKind.TRUE_FALSE and not choices:
        raise ValidationFailed(_("Say whether the statement is true or false."))
    q = Question.objects.create(
        course=course,
        kind=kind,
        text=text.strip(),
        choices=[
            {"text": str(c["text"]).strip(), "correct": bool(c.get("correct"))}
            for c in choices
            if str(c.get("text", "")).strip()
        ],
        answers=[str(a).strip() for a in answers if str(a).strip()],
        feedback=feedback.strip(),
    )
    audit_log(actor=actor, verb="catalog.question_add", target=q, unit=course.provider.unit)
    return q


@transaction.atomic
def run_add(*, actor, course: Course, starts_at, ends_at, place: str, seats: int) -> CourseRun:
    if ends_at <= starts_at:
        raise ValidationFailed(_("The run ends before it starts."))
    if seats < 1:
        raise ValidationFailed(_("A run needs at least one seat."))
    run = CourseRun.objects.create(
        course=course, starts_at=starts_at, ends_at=ends_at, place=place.strip(), seats=seats
    )
    audit_log(actor=actor, verb="catalog.run_add", target=run, unit=course.provider.unit)
    return run


@transaction.atomic
def course_submit(*, actor, course: Course) -> Course:
    """The provider's editor hands the course in for review."""
    c = Course.objects.select_for_update().select_related("provider__unit").get(pk=course.pk)
    problems = rules.course_problems(c)
    if problems:
        raise NotPublishable(" ".join(problems))
    if c.status == Status.DRAFT:
        c.status = Status.REVIEW
        c.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, verb="catalog.course_submit", target=c, unit=c.provider.unit)
    return c


@transaction.atomic
def course_publish(*, actor, course: Course) -> Course:
    """The reviewer publishes: the checks run again; the course enters the search index."""
    c = Course.objects.select_for_update().select_related("provider__unit").get(pk=course.pk)
    problems = rules.course_problems(c)
    if problems:
        raise NotPublishable(" ".join(problems))
    c.status, c.published_at = Status.PUBLISHED, timezone.now()
    c.save(update_fields=["status", "published_at", "updated_at"])
    index_course(c)
    audit_log(actor=actor, verb="catalog.course_publish", target=c, unit=c.provider.unit)
    return c


@transaction.atomic
def course_return(*, actor, course: Course, comment: str = "") -> Course:
    """Back to draft (from review, or withdrawn from the catalogue)."""
    c = Course.objects.select_for_update().select_related("provider__unit").get(pk=course.pk)
    c.status = Status.DRAFT
    c.save(update_fields=["status", "updated_at"])
    index_course(c)
    audit_log(
        actor=actor,
        verb="catalog.course_return",
        target=c,
        unit=c.provider.unit,
        data={"comment": comment[:500]},
    )
    return c

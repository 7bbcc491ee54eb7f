"""Writes of the catalogue: providers, courses and their content, the review workflow,
enrolment, progress, quizzes, completion (record, credential, xAPI) and open resources."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import ValidationFailed
from suotdoi.core.text import fold
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from . import rules, search
from .errors import NoAttemptsLeft, NotEnrolled, NotPublishable
from .models import (
    Course,
    CourseRun,
    Enrolment,
    Format,
    Lesson,
    LessonProgress,
    Module,
    Provider,
    Question,
    QuestionKind,
    QuizAttempt,
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


# --- enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrol(*, person, course: Course, run: CourseRun | None = None) -> Enrolment:
    """Enrol (idempotent). A full run puts the learner on its waiting list."""
    if not Course.objects.filter(pk=course.pk, status=Status.PUBLISHED).exists():
        raise ValidationFailed(_("This course is not open for enrolment."))
    if course.format in (Format.IN_PERSON,) and run is None:
        raise ValidationFailed(_("Choose a run of the course."))
    if run is not None:
        run = CourseRun.objects.select_for_update().get(pk=run.pk, course=course)
    existing = Enrolment.objects.select_for_update().filter(course=course, person=person).first()
    if existing and existing.status in (
        Enrolment.ACTIVE,
        Enrolment.WAITLISTED,
        Enrolment.COMPLETED,
    ):
        return existing
    status = Enrolment.ACTIVE
    if run is not None:
        taken = run.enrolments.filter(status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED]).count()
        if taken >= run.seats:
            status = Enrolment.WAITLISTED
    if existing:
        existing.status, existing.run, existing.enrolled_at = status, run, timezone.now()
        existing.save(update_fields=["status", "run", "enrolled_at"])
        e = existing
    else:
        e = Enrolment.objects.create(course=course, person=person, run=run, status=status)
    audit_log(
        actor=person,
        verb="catalog.enrol",
        target=e,
        unit=course.provider.unit,
        data={"status": status, "run": run.pk if run else None},
    )
    return e


@transaction.atomic
def enrolment_cancel(*, actor, enrolment: Enrolment) -> Enrolment | None:
    """Cancel; the first on the run's waiting list takes the seat. Returns who moved up."""
    e = (
        Enrolment.objects.select_for_update()
        .select_related("course__provider__unit")
        .get(pk=enrolment.pk)
    )
    if e.status not in (Enrolment.ACTIVE, Enrolment.WAITLISTED):
        return None
    freed = e.status == Enrolment.ACTIVE and e.run_id
    e.status = Enrolment.CANCELLED
    e.save(update_fields=["status"])
    audit_log(actor=actor, verb="catalog.cancel", target=e, unit=e.course.provider.unit)
    if not freed:
        return None
    nxt = (
        Enrolment.objects.select_for_update()
        .filter(run_id=e.run_id, status=Enrolment.WAITLISTED)
        .order_by("enrolled_at", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = Enrolment.ACTIVE
    nxt.save(update_fields=["status"])
    from suotdoi.notifications.actions import notify

    notify(
        recipient=nxt.person,
        kind="catalog.seat",
        title=_("A seat is yours: %(title)s") % {"title": e.course.title},
        body=_("Someone cancelled; you moved up from the waiting list."),
        url=f"/catalog/courses/{e.course_id}/",
        dedupe_key=f"catalog.seat:{nxt.pk}",
    )
    audit_log(actor=actor, verb="catalog.waitlist_promote", target=nxt, unit=e.course.provider.unit)
    return nxt


# --- progress, quiz, completion -------------------------------------------------------------


@transaction.atomic
def lesson_done(*, person, enrolment: Enrolment, lesson: Lesson) -> Enrolment:
    if enrolment.person_id != person.pk or enrolment.status not in (
        Enrolment.ACTIVE,
        Enrolment.COMPLETED,
    ):
        raise NotEnrolled()
    try:
        with transaction.atomic():
            LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            lessons_done=F("lessons_done") + 1, last_lesson=lesson
        )
    except IntegrityError:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    enrolment.refresh_from_db()
    _maybe_complete(enrolment, actor=person)
    return enrolment


def draw_questions(enrolment: Enrolment, attempt: int) -> list[tuple[Question, list[int]]]:
    """The questions of an attempt and the order of their answers, from a seed of the
    enrolment and the attempt number (the page and the scoring agree without storing it)."""
    from suotdoi.core.parsing import seeded_draw

    course = enrolment.course
    bank = list(Question.objects.filter(course=course).order_by("pk"))
    return seeded_draw(
        bank, course.quiz_draw, f"catalog:{enrolment.pk}:{attempt}", lambda q: q.choices
    )


def _right(q: Question, given) -> bool:
    if q.kind == QuestionKind.SHORT:
        accepted = {fold(a) for a in q.answers}
        return fold(str(given or "")) in accepted
    correct = {i for i, c in enumerate(q.choices) if c.get("correct")}
    chosen = set(given) if isinstance(given, list | tuple | set) else {given}
    return chosen == correct


@transaction.atomic
def quiz_submit(*, person, enrolment: Enrolment, answers: dict) -> QuizAttempt:
    """Score an attempt: question id → chosen index, list of indexes, or text."""
    e = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if e.person_id != person.pk or e.status not in (Enrolment.ACTIVE, Enrolment.COMPLETED):
        raise NotEnrolled()
    limit = e.course.attempts_limit
    if limit and e.attempts >= limit and not e.quiz_passed:
        raise NoAttemptsLeft()
    drawn = draw_questions(e, e.attempts)
    if not drawn:
        raise ValidationFailed(_("This course has no quiz."))
    right = sum(1 for q, _o in drawn if _right(q, answers.get(q.pk)))
    score = round(100 * right / len(drawn))
    passed = score >= e.course.pass_pct
    attempt = QuizAttempt.objects.create(
        enrolment=e,
        number=e.attempts + 1,
        score_pct=score,
        passed=passed,
        answers={str(k): v for k, v in answers.items()},
    )
    e.attempts += 1
    e.best_score = max(e.best_score, score)
    e.quiz_passed = e.quiz_passed or passed
    e.save(update_fields=["attempts", "best_score", "quiz_passed"])
    audit_log(
        actor=person,
        verb="catalog.quiz",
        target=attempt,
        unit=None,
        data={"course": e.course_id, "score": score, "passed": passed},
    )
    _maybe_complete(e, actor=person)
    return attempt


def _maybe_complete(enrolment: Enrolment, *, actor) -> bool:
    e = enrolment
    if e.status != Enrolment.ACTIVE:
        return False
    course = e.course
    total = Lesson.objects.filter(course=course).count()
    if total == 0 or e.lessons_done < total:
        return False
    if Question.objects.filter(course=course).exists() and not e.quiz_passed:
        return False
    complete(actor=actor, enrolment=e)
    return True


@transaction.atomic
def complete(*, actor, enrolment: Enrolment) -> Enrolment:
    """A completed course: the provider-issued learning entry (hours, credits), the
    credential when the provider issues them, and an xAPI statement in the platform's LRS."""
    e = (
        Enrolment.objects.select_for_update()
        .select_related("course__provider__unit", "person")
        .get(pk=enrolment.pk)
    )
    if e.status == Enrolment.COMPLETED:
        return e
    if e.status != Enrolment.ACTIVE:
        raise NotEnrolled()
    course, unit = e.course, e.course.provider.unit
    now = timezone.now()
    e.status, e.completed_at = Enrolment.COMPLETED, now
    e.save(update_fields=["status", "completed_at"])
    entry, _created = entry_record(
        actor=actor,
        person=e.person,
        source_key=f"catalog:{course.pk}:{e.person_id}",
        title=course.title,
        kind=EntryKind.COURSE,
        start_date=timezone.localtime(e.enrolled_at).date(),
        end_date=timezone.localtime(now).date(),
        hours=course.hours,
        credits=course.credits,
        provenance=Provenance.ISSUED,
        unit=unit,
        issued_by=unit.name,
    )
    audit_log(
        actor=actor,
        verb="catalog.complete",
        target=e,
        unit=unit,
        on_behalf_of=e.person if actor != e.person else None,
        data={"course": course.pk, "entry": entry.pk},
    )
    _emit_statement(e, course, now)
    if course.provider.issues_credentials:
        transaction.on_commit(lambda: _issue_credential(entry.pk, actor.pk))
    return e


def _issue_credential(entry_id: int, actor_id: int) -> None:
    from django.contrib.auth import get_user_model

    from suotdoi.core.errors import ApplicationError
    from suotdoi.credentials.actions import credential_issue_for_entry
    from suotdoi.records.models import LearningEntry

    entry = LearningEntry.objects.select_related("person", "unit").get(pk=entry_id)
    try:
        credential_issue_for_entry(actor=get_user_model().objects.get(pk=actor_id), entry=entry)
    except ApplicationError:
        pass  # the unit has no issuer key (yet): the entry stays, no credential


def platform_lrs_client(unit):
    """The LRS client the catalogue writes through for a provider (one per provider unit)."""
    import hashlib
    import secrets

    from suotdoi.records.lrs.models import LrsClient

    client, _created = LrsClient.objects.get_or_create(
        key=f"catalog-{unit.pk}",
        defaults={
            "unit": unit,
            "name": "Suốt Đời catalogue",
            "secret_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        },
    )
    return client


def _emit_statement(e: Enrolment, course: Course, when) -> None:
    from suotdoi.records.lrs import storage

    base = settings.PUBLIC_URL.rstrip("/")
    statement = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/catalog/{course.pk}/{e.person_id}")),
        "actor": {
            "objectType": "Agent",
            "name": e.person.full_name,
            "account": e.person.xapi_account,
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"vi": "đã hoàn thành", "en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": f"{base}/catalog/courses/{course.pk}/",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/course",
                "name": {course.language or "vi": course.title},
            },
        },
        "result": {
            "completion": True,
            "success": True,
            "duration": f"PT{course.hours.normalize():f}H",
            **({"score": {"scaled": e.best_score / 100}} if e.attempts else {}),
        },
        "timestamp": when.isoformat(),
    }
    storage.store(
        [statement],
        client=platform_lrs_client(course.provider.unit),
        version="2.0.0",
        attachments={},
        into_record=False,
    )


@transaction.atomic
def complete_in_person(*, actor, course: Course, enrolment_ids: list[int]) -> int:
    """The provider marks the learners of an in-person run as completed, in bulk."""
    done = 0
    for e in Enrolment.objects.filter(
        course=course, pk__in=enrolment_ids, status=Enrolment.ACTIVE
    ).select_related("course__provider__unit", "person"):
        complete(actor=actor, enrolment=e)
        done += 1
    return done


# --- open educational resources -------------------------------------------------------------


@transaction.atomic
def resource_add(*, actor, provider: Provider, upload=None, **fields) -> Resource:
    if upload is not None:
        rules.check_upload("video" if fields.get("kind") == "video" else "document", upload)
    elif not fields.get("url"):
        raise ValidationFailed(_("Attach the file or give its address."))
    r = Resource(provider=provider, created_by=actor, **fields)
    if upload is not None:
        r.file.save(upload.name, upload, save=False)
    r.save()
    index_resource(r)
    audit_log(actor=actor, verb="catalog.resource_add", target=r, unit=provider.unit)
    return r


def resource_studied(*, person, resource: Resource):
    """ "I studied this": a self-declared entry (once per resource)."""
    entry, created = entry_record(
        actor=person,
        person=person,
        source_key=f"oer:{resource.pk}:{person.pk}",
        title=resource.title,
        kind=EntryKind.READING if resource.kind != "video" else EntryKind.SELF_STUDY,
        start_date=timezone.localdate(),
        hours=(Decimal(resource.minutes) / 60).quantize(Decimal("0.1")),
        provenance=Provenance.SELF_DECLARED,
        issued_by=resource.provider.unit.name,
        evidence_url=f"{settings.PUBLIC_URL.rstrip('/')}/catalog/resources/{resource.pk}/",
    )
    return entry, created

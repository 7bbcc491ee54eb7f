"""Enrolment and waiting lists, lesson progress, the quiz and completion (an entry, a
credential, an xAPI statement)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from suotdoi.audit.actions import audit_log
from suotdoi.core import fastsql
from suotdoi.core.errors import ValidationFailed
from suotdoi.core.text import fold
from suotdoi.notifications.messages import Say
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from ..errors import NoAttemptsLeft, NotEnrolled
from ..models import (
    Course,
    CourseRun,
    Enrolment,
    Format,
    Lesson,
    LessonProgress,
    Question,
    QuestionKind,
    QuizAttempt,
    Status,
)

# --- enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrol(*, person, course: Course, run: CourseRun | None = None, actor=None) -> Enrolment:
    """Enrol (idempotent). A full run puts the learner on its waiting list. `actor`: the
    provider's officer enrolling a member (the learner themself when absent)."""
    return enrol_within(person=person, course=course, run=run, actor=actor)[0]


def enrol_within(
    *, person, course: Course, run: CourseRun | None = None, actor=None, published=False, audit=None
) -> tuple[Enrolment, bool]:
    """`enrol` for a caller whose own transaction is open (a spend): no savepoint of its own.
    `published`: the caller has just read, in that transaction, that the course is open.
    `audit`: a list the audit row is added to, for the caller to write with its own.
    Returns the enrolment and whether it is a new row. Plain statements (a spend's path)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enrol_within needs the caller's transaction")
    if not published and not Course.objects.filter(pk=course.pk, status=Status.PUBLISHED).exists():
        raise ValidationFailed(_("This course is not open for enrolment."))
    if course.format in (Format.IN_PERSON,) and run is None:
        raise ValidationFailed(_("Choose a run of the course."))
    status = Enrolment.ACTIVE
    if run is not None:
        run = CourseRun.objects.select_for_update().get(pk=run.pk, course=course)
        taken = run.enrolments.filter(status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED]).count()
        if taken >= run.seats:
            status = Enrolment.WAITLISTED
    e = Enrolment(course=course, person=person, run=run, status=status)
    new = bool(fastsql.insert([e], unless_conflict=True))  # one_enrolment_each
    if not new:
        e = Enrolment.objects.select_for_update().get(course=course, person=person)
        if e.status in (Enrolment.ACTIVE, Enrolment.WAITLISTED, Enrolment.COMPLETED):
            return e, False
        e.status, e.run, e.enrolled_at = status, run, timezone.now()
        e.save(update_fields=["status", "run", "enrolled_at"])
    entry = {
        "actor": actor or person,
        "verb": "catalog.enrol",
        "target": e,
        "unit": course.provider.unit,
        "on_behalf_of": person if actor is not None and actor != person else None,
        "data": {"status": status, "run": run.pk if run else None},
    }
    if audit is None:
        audit_log(**entry)
    else:
        audit.append(entry)
    return e, new


@transaction.atomic
def enrol_many(*, actor, course: Course, people, run: CourseRun | None = None) -> dict:
    """The provider enrols members (from its LMS, through the API): all or none. Those already
    enrolled are left as they are; a full run puts the rest on its waiting list."""
    before = dict(
        Enrolment.objects.filter(course=course, person__in=people).values_list(
            "person_id", "status"
        )
    )
    counts = {"done": 0, "unchanged": 0, "waitlisted": 0}
    for person in dict.fromkeys(people):
        if before.get(person.pk) in (Enrolment.ACTIVE, Enrolment.WAITLISTED, Enrolment.COMPLETED):
            counts["unchanged"] += 1
            continue
        e = enrol(person=person, course=course, run=run, actor=actor)
        counts["waitlisted" if e.status == Enrolment.WAITLISTED else "done"] += 1
    return counts


@transaction.atomic
def complete_many(*, actor, course: Course, people) -> dict:
    """The provider reports completions (all or none): each learner must be enrolled; one who
    has completed already is left as they are, so a replayed request changes nothing."""
    people = list(dict.fromkeys(people))
    rows = {
        e.person_id: e
        for e in Enrolment.objects.filter(course=course, person__in=people).select_related(
            "course__provider__unit", "person"
        )
    }
    missing = [
        i
        for i, p in enumerate(people)
        if rows.get(p.pk) is None
        or rows[p.pk].status not in (Enrolment.ACTIVE, Enrolment.COMPLETED)
    ]
    if missing:
        raise ValidationFailed(
            _("Some learners are not enrolled in this course; nothing was saved."),
            errors=[{"item": i} for i in missing[:200]],
        )
    counts = {"done": 0, "unchanged": 0, "waitlisted": 0}
    for p in people:
        e = rows[p.pk]
        if e.status == Enrolment.COMPLETED:
            counts["unchanged"] += 1
            continue
        complete(actor=actor, enrolment=e)
        counts["done"] += 1
    return counts


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
        title=Say(gettext_noop("A seat is yours: %(title)s"), title=e.course.title),
        body=Say(gettext_noop("Someone cancelled; you moved up from the waiting list.")),
        url=f"/catalog/courses/{e.course_id}/",
        dedupe_key=f"catalog.seat:{nxt.pk}",
    )
    audit_log(actor=actor, verb="catalog.waitlist_promote", target=nxt, unit=e.course.provider.unit)
    return nxt


# --- progress, quiz, completion -------------------------------------------------------------


@transaction.atomic
def lesson_done(*, person, enrolment: Enrolment, lesson: Lesson, hours=None) -> Enrolment:
    """A lesson is done; the course completes when everything is. `hours`: the time the
    learner spent, when the provider counts that instead of the course's hours."""
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
    _maybe_complete(enrolment, actor=person, hours=hours)
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
def quiz_submit(
    *,
    person,
    enrolment: Enrolment,
    answers: dict,
    drawn_for: int | None = None,
    offline_key: str = "",
) -> QuizAttempt:
    """Score an attempt: question id → chosen index, list of indexes, or text. `drawn_for`:
    the attempt whose questions were answered, when it was drawn earlier on a phone without
    signal (another attempt may have been made since); it is scored against what was seen."""
    e = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if e.person_id != person.pk or e.status not in (Enrolment.ACTIVE, Enrolment.COMPLETED):
        raise NotEnrolled()
    limit = e.course.attempts_limit
    if limit and e.attempts >= limit and not e.quiz_passed:
        raise NoAttemptsLeft()
    seed = e.attempts if drawn_for is None else drawn_for
    if not 0 <= seed <= e.attempts:
        raise ValidationFailed(_("These answers are for a quiz that was never shown."))
    drawn = draw_questions(e, seed)
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
        offline_key=offline_key,
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


def _maybe_complete(enrolment: Enrolment, *, actor, hours=None) -> bool:
    e = enrolment
    if e.status != Enrolment.ACTIVE:
        return False
    course = e.course
    total = Lesson.objects.filter(course=course).count()
    if total == 0 or e.lessons_done < total:
        return False
    if Question.objects.filter(course=course).exists() and not e.quiz_passed:
        return False
    complete(actor=actor, enrolment=e, hours=hours)
    return True


@transaction.atomic
def complete(*, actor, enrolment: Enrolment, hours=None) -> Enrolment:
    """A completed course: the provider-issued learning entry (hours, credits), the
    credential when the provider issues them, and an xAPI statement in the platform's LRS.
    `hours`: the tracked time, when the provider counts it instead of the course's hours."""
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
        hours=hours if hours is not None else course.hours,
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
    from suotdoi.catalog.signals import course_completed

    course_completed.send(sender=Enrolment, enrolment=e, entry=entry)
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
    from suotdoi.records.lrs.actions import platform_client

    return platform_client(unit=unit, purpose="catalog", name="Suốt Đời catalogue")


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

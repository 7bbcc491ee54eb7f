"""A course downloaded for a phone without signal (#27): what the phone keeps, and the
progress and quiz answers it sends back later — once each, in the order they were made.

Conflicts go the learner's way where that is safe, and the answer says what happened:
- a lesson finished offline that is already done counts once;
- a quiz already passed (on another device, or by an earlier send) keeps its pass: answers
  sent later are not scored, so they cannot lower anything;
- answers to an attempt drawn before another attempt was made elsewhere are scored against
  the questions the learner actually saw, as the next attempt, while attempts are left.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from suotdoi.core.errors import ValidationFailed

from ..models import Enrolment, Lesson, LessonProgress, QuizAttempt
from .learning import draw_questions, lesson_done, quiz_submit

KEY = re.compile(r"[A-Za-z0-9-]{8,40}")
MAX_ANSWER = 200


def bundle(enrolment: Enrolment) -> dict:
    """Everything the phone needs to study the course offline. The quiz is the current
    attempt's draw without its answer key (answers are marked once they reach the server)."""
    course = enrolment.course
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )
    lessons = []
    for ls in Lesson.objects.filter(course=course).select_related("module"):
        if ls.kind == "package":
            continue  # played by the package player, online
        size = None
        if ls.file:
            try:
                size = ls.file.size
            except OSError:
                size = None
        lessons.append(
            {
                "id": ls.pk,
                "title": ls.title,
                "kind": ls.kind,
                "body": ls.body,
                "file": reverse("catalog:lesson_file", args=[course.pk, ls.pk])
                if ls.file
                else None,
                "file_size": size,
                "link": ls.url or None,
                "minutes": ls.minutes,
                "done": ls.pk in done,
            }
        )
    quiz = None
    drawn = draw_questions(enrolment, enrolment.attempts)
    if drawn:
        limit = course.attempts_limit
        quiz = {
            "attempt": enrolment.attempts,
            "passed": enrolment.quiz_passed,
            "pass_pct": course.pass_pct,
            "attempts_left": None if not limit else max(0, limit - enrolment.attempts),
            "questions": [
                {
                    "id": q.pk,
                    "kind": q.kind,
                    "text": q.text,
                    "choices": [[i, q.choices[i]["text"]] for i in order]
                    if q.kind != "short"
                    else [],
                }
                for q, order in drawn
            ],
        }
    return {
        "course": {"id": course.pk, "title": course.title},
        "lessons": lessons,
        "quiz": quiz,
        "completed": enrolment.status == Enrolment.COMPLETED,
    }


def _answers(raw) -> dict[int, object]:
    if not isinstance(raw, dict) or len(raw) > 500:
        raise ValidationFailed(_("The answers could not be read."))
    out: dict[int, object] = {}
    for k, v in raw.items():
        if not (isinstance(k, str) and k.isdigit() and len(k) < 12):
            raise ValidationFailed(_("The answers could not be read."))
        if isinstance(v, bool):
            raise ValidationFailed(_("The answers could not be read."))
        if isinstance(v, int):
            out[int(k)] = v
        elif (
            isinstance(v, list)
            and len(v) <= 50
            and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
        ):
            out[int(k)] = sorted(v)
        elif isinstance(v, str):
            out[int(k)] = v[:MAX_ANSWER]
        elif v is None:
            continue
        else:
            raise ValidationFailed(_("The answers could not be read."))
    return out


@transaction.atomic
def offline_send(*, person, enrolment: Enrolment, op: dict) -> dict:
    """One thing done offline: {"kind": "lesson", "lesson": id} or {"kind": "quiz",
    "attempt": n, "answers": {...}, "key": "…"}. Returns {"status", "message"}; raises
    ValidationFailed (and friends) for what can never be accepted."""
    kind = op.get("kind")
    course = enrolment.course
    if kind == "lesson":
        lesson_id = op.get("lesson")
        ls = (
            Lesson.objects.filter(pk=lesson_id, course=course).exclude(kind="package").first()
            if isinstance(lesson_id, int) and not isinstance(lesson_id, bool)
            else None
        )
        if ls is None:
            raise ValidationFailed(_("This lesson is no longer in the course."))
        already = LessonProgress.objects.filter(enrolment=enrolment, lesson=ls).exists()
        e = lesson_done(person=person, enrolment=enrolment, lesson=ls)
        if already:
            msg = _("“%(t)s” was already done.")
        elif e.status == Enrolment.COMPLETED:
            msg = _("“%(t)s” is done. Course completed: it is in your learning record.")
        else:
            msg = _("“%(t)s” is done.")
        return {"status": "already" if already else "done", "message": msg % {"t": ls.title}}
    if kind == "quiz":
        key = op.get("key")
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise ValidationFailed(_("The answers could not be read."))
        earlier = QuizAttempt.objects.filter(enrolment=enrolment, offline_key=key).first()
        if earlier is not None:
            return _scored(earlier, resent=True)
        enrolment.refresh_from_db()
        if enrolment.quiz_passed:
            return {
                "status": "kept",
                "message": _(
                    "You had already passed this quiz; your pass is kept and these answers "
                    "were not marked."
                ),
            }
        drawn_for = op.get("attempt")
        if not isinstance(drawn_for, int) or isinstance(drawn_for, bool):
            raise ValidationFailed(_("The answers could not be read."))
        moved_on = drawn_for < enrolment.attempts
        attempt = quiz_submit(
            person=person,
            enrolment=enrolment,
            answers=_answers(op.get("answers")),
            drawn_for=drawn_for,
            offline_key=key,
        )
        out = _scored(attempt)
        if moved_on:
            out["message"] += " " + _(
                "Another attempt had been made on another device; these answers were marked "
                "against the questions you saw."
            )
        return out
    raise ValidationFailed(_("The request could not be read."))


def _scored(attempt: QuizAttempt, resent: bool = False) -> dict:
    msg = (
        _("Quiz marked: %(s)s%% — passed.") if attempt.passed else _("Quiz marked: %(s)s%%.")
    ) % {"s": attempt.score_pct}
    status = Enrolment.objects.filter(pk=attempt.enrolment_id).values_list("status", flat=True)
    if attempt.passed and status.first() == Enrolment.COMPLETED:
        msg += " " + _("Course completed: it is in your learning record.")
    return {
        "status": "already" if resent else "scored",
        "message": msg,
        "score": attempt.score_pct,
        "passed": attempt.passed,
    }

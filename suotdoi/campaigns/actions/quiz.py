"""The campaign quiz: the issuer's questions and members' attempts."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log

from ..errors import CampaignClosed
from ..models import (
    Campaign,
    Task,
)
from ._common import _refresh_done

# --- quiz -------------------------------------------------------------------------------------


@transaction.atomic
def question_add(
    *, actor, campaign: Campaign, text: str, choices: list[str], correct: int, explanation=""
):
    from ..models import Question

    choices = [c.strip() for c in choices if c and c.strip()]
    if len(choices) < 2 or not 0 <= correct < len(choices):
        from suotdoi.core.errors import ValidationFailed

        raise ValidationFailed(_("A question needs at least two answers, one of them right."))
    q = Question.objects.create(
        campaign=campaign,
        text=text.strip(),
        choices=choices,
        correct=correct,
        explanation=explanation.strip()[:500],
    )
    audit_log(actor=actor, verb="campaign.question_add", target=q, unit=campaign.issuer)
    return q


@transaction.atomic
def quiz_submit(*, actor, task: Task, answers: dict[int, int]):
    """Score an attempt (question id → chosen index). The latest attempt counts; passing once
    counts the member for the unit."""
    from ..models import QuizResult
    from ..selectors import draw_questions

    result = QuizResult.objects.select_for_update().filter(task=task, person=actor).first()
    questions = [q for q, _order in draw_questions(task, actor, result.attempts if result else 0)]
    if not questions:
        raise CampaignClosed(_("This campaign has no quiz."))
    right = sum(1 for q in questions if answers.get(q.pk) == q.correct)
    score = round(100 * right / len(questions))
    passed = score >= task.campaign.quiz_pass_pct
    newly_passed = passed and not (result and result.passed)
    if result is None:
        result = QuizResult(task=task, person=actor, attempts=0)
    result.score_pct = max(score, result.score_pct or 0) if result.pk else score
    result.passed = bool(passed or (result.pk and result.passed))
    result.attempts += 1
    result.answers = {str(k): v for k, v in answers.items()}
    result.save()
    if newly_passed:
        Task.objects.filter(pk=task.pk).update(quiz_passed=F("quiz_passed") + 1)
        _refresh_done(task.campaign, Q(pk=task.pk))
    audit_log(
        actor=actor,
        verb="campaign.quiz",
        target=result,
        unit=task.unit,
        data={"score": score, "passed": passed},
    )
    return score, passed

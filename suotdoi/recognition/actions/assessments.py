"""The assessment workflow: register, self-assess with evidence, submit, review, approve or
return."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import Conflict, NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability
from suotdoi.records.assist import assisting_unit

from .. import engine
from ..metrics import metric_value
from ..models import (
    Assessment,
    CriteriaSet,
    Evidence,
    Indicator,
    Status,
    SubjectType,
    UnitYearFigure,
)
from .calendar import _check_on_time


class WrongStep(Conflict):
    code = "wrong_step"
    default_message = _("This assessment is not at that step.")


def _for(actor, a: Assessment):
    """The person an officer acts for (assisted use), for the audit row; None otherwise."""
    return a.person if a.person_id and a.person_id != actor.pk else None


def _home_unit(person) -> Unit:
    """The unit that reviews a person's assessment: the deepest unit they are a member of."""
    m = (
        Membership.objects.filter(person=person, end_date__isnull=True)
        .select_related("unit")
        .order_by("-unit__depth", "unit_path")
        .first()
    )
    if m is None:
        raise ValidationFailed(_("You are not a member of any unit that could assess you."))
    return m.unit


@transaction.atomic
def assessment_register(
    *, actor, criteria_set: CriteriaSet, year: int, subject_unit=None, for_person=None
):
    """Đăng ký: a person registers themselves (or an officer they consented to be helped by
    registers them); a unit's officer registers the unit (reviewed by the unit above).
    Idempotent for the same set and year."""
    if subject_unit is None:
        person = actor
        if for_person is not None and for_person.pk != actor.pk:
            if assisting_unit(actor, for_person) is None:
                raise NotFound()
            person = for_person
        if criteria_set.subject_type != SubjectType.PERSON:
            raise ValidationFailed(_("This title is for units."))
        existing = Assessment.objects.filter(
            criteria_set=criteria_set, year=year, person=person
        ).first()
        if existing:
            return existing
        unit = _home_unit(person)
        a = Assessment.objects.create(
            criteria_set=criteria_set, year=year, person=person, unit=unit, unit_path=unit.path
        )
    else:
        if criteria_set.subject_type == SubjectType.PERSON:
            raise ValidationFailed(_("This title is for people."))
        if not can(actor, subject_unit, Capability.MANAGE_MEMBERS):
            raise NotFound()
        existing = Assessment.objects.filter(
            criteria_set=criteria_set, year=year, subject_unit=subject_unit
        ).first()
        if existing:
            return existing
        reviewer = Unit.objects.get_parent(subject_unit) or subject_unit
        a = Assessment.objects.create(
            criteria_set=criteria_set,
            year=year,
            subject_unit=subject_unit,
            unit=reviewer,
            unit_path=reviewer.path,
        )
    assessment_prefill(a)
    audit_log(
        actor=actor, verb="recognition.register", target=a, unit=a.unit, on_behalf_of=_for(actor, a)
    )
    return a


def assessment_prefill(a: Assessment, *, save: bool = True) -> Assessment:
    """Fill the computed indicators from the record (or the unit's figures) and recompute.
    With save=False only the object in hand changes: a page shows figures as of now without
    writing on GET."""
    values = dict(a.values)
    for ind in Indicator.objects.filter(criteria_set=a.criteria_set_id):
        if ind.measure == engine.RECORD and a.person_id:
            v, sources = metric_value(ind.metric, a.person, a.year)
            values[ind.code] = values.get(ind.code, {}) | {
                "computed": _plain(v),
                "sources": sources,
            }
        elif ind.measure == engine.SHARE and a.subject_unit_id:
            fig = UnitYearFigure.objects.filter(
                unit_id=a.subject_unit_id, title_code=ind.share_of, year=a.year
            ).first()
            pct = fig.share_pct if fig else Decimal("0")
            values[ind.code] = values.get(ind.code, {}) | {
                "computed": str(pct),
                "holders": fig.holders if fig else 0,
                "members": fig.members if fig else 0,
            }
    a.values = values
    _score(a)
    if save:
        a.save(update_fields=["values", "total", "outcome", "passed", "updated_at"])
    return a


def _plain(v: Decimal) -> str:
    """48, 2.5: the same text whatever the database returned (48.00 on PostgreSQL)."""
    return format(Decimal(v).normalize(), "f")


def _score(a: Assessment) -> engine.Outcome:
    rule = a.criteria_set.rule()
    out = engine.evaluate(rule, {i.code: a.value_of(i.code) for i in rule.indicators})
    a.total, a.outcome, a.passed = out.total, out.label, out.passed
    return out


def _editable_by_subject(actor, a: Assessment) -> None:
    if a.person_id:
        if a.person_id != actor.pk and assisting_unit(actor, a.person) is None:
            raise NotFound()
    elif not can(actor, a.subject_unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if a.status not in (Status.REGISTERED, Status.RETURNED):
        raise WrongStep()


@transaction.atomic
def assessment_self(*, actor, assessment: Assessment, values: dict) -> Assessment:
    """Tự đánh giá: the subject scores the indicators that are not computed."""
    a = Assessment.objects.select_for_update().select_related("criteria_set").get(pk=assessment.pk)
    _editable_by_subject(actor, a)
    inds = {i.code: i for i in Indicator.objects.filter(criteria_set=a.criteria_set_id)}
    stored = dict(a.values)
    for code, raw in values.items():
        ind = inds.get(code)
        if ind is None or ind.computed:
            continue
        v = _checked(ind, raw)
        stored[code] = stored.get(code, {}) | {"self": v}
    a.values = stored
    a.save(update_fields=["values", "updated_at"])
    assessment_prefill(a)
    audit_log(
        actor=actor,
        verb="recognition.self",
        target=a,
        unit=a.unit,
        on_behalf_of=_for(actor, a),
        data={"values": values},
    )
    return a


def _checked(ind: Indicator, raw) -> str:
    if ind.measure == engine.YES_NO:
        return "1" if str(raw).lower() in ("1", "true", "yes", "on", "co", "có") else "0"
    try:
        v = Decimal(str(raw).replace(",", "."))
    except ArithmeticError:
        raise ValidationFailed(_("“%(ind)s”: give a number.") % {"ind": ind.text}) from None
    if v < 0 or v > ind.max_points:
        raise ValidationFailed(
            _("“%(ind)s”: between 0 and %(max)s.") % {"ind": ind.text, "max": ind.max_points}
        )
    return str(v)


@transaction.atomic
def evidence_add(
    *, actor, assessment: Assessment, indicator_code: str, note: str, upload=None, url=""
):
    from suotdoi.records.rules import check_evidence

    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _editable_by_subject(actor, a)
    if not Indicator.objects.filter(criteria_set=a.criteria_set_id, code=indicator_code).exists():
        raise NotFound()
    if upload is not None:
        head = upload.read(16)
        upload.seek(0)
        check_evidence(upload.name, upload.size, head)
    if not note.strip() or (upload is None and not url and len(note.strip()) < 10):
        raise ValidationFailed(_("Say what the evidence shows (a file or a link helps)."))
    e = Evidence(assessment=a, indicator_code=indicator_code, note=note.strip()[:500], url=url)
    if upload is not None:
        e.file.save(upload.name, upload, save=False)
    e.save()
    audit_log(
        actor=actor, verb="recognition.evidence", target=a, unit=a.unit, on_behalf_of=_for(actor, a)
    )
    return e


@transaction.atomic
def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    a = Assessment.objects.select_for_update().select_related("criteria_set").get(pk=assessment.pk)
    _editable_by_subject(actor, a)
    _check_on_time(a)
    assessment_prefill(a)
    a.status, a.submitted_at, a.return_reason = Status.SUBMITTED, timezone.now(), ""
    a.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
    audit_log(
        actor=actor, verb="recognition.submit", target=a, unit=a.unit, on_behalf_of=_for(actor, a)
    )
    return a


def _evaluator(actor, a: Assessment) -> None:
    """Evaluators of the reviewing unit (or above); never the subject themselves."""
    if not can(actor, a.unit, Capability.EVALUATE):
        raise NotFound()
    if a.person_id == actor.pk:
        raise NotFound()
    if (
        a.subject_unit_id
        and can(actor, a.subject_unit, Capability.MANAGE_MEMBERS)
        and not can(actor, a.unit, Capability.MANAGE_UNITS)
    ):
        raise NotFound()  # a unit's own officer does not approve their unit
    if a.person_id and _filled_for_by(actor, a):
        raise ValidationFailed(
            _("You filled this self-assessment for the member: another evaluator reviews it.")
        )


def _filled_for_by(actor, a: Assessment) -> bool:
    """Whether `actor` scored or submitted this person's self-assessment for them."""
    from suotdoi.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=a._meta.label_lower,
        target_id=str(a.pk),
        actor=actor,
        on_behalf_of_id=a.person_id,
        verb__in=("recognition.self", "recognition.submit"),
    ).exists()


@transaction.atomic
def assessment_adjust(*, actor, assessment: Assessment, code: str, value, reason: str):
    """The evaluator changes an indicator's score, with a reason kept beside the subject's."""
    a = (
        Assessment.objects.select_for_update()
        .select_related("criteria_set", "unit")
        .get(pk=assessment.pk)
    )
    _evaluator(actor, a)
    if a.status != Status.SUBMITTED:
        raise WrongStep()
    ind = Indicator.objects.filter(criteria_set=a.criteria_set_id, code=code).first()
    if ind is None:
        raise NotFound()
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Give the reason for the change."))
    v = _checked(ind, value) if not ind.computed else str(Decimal(str(value)))
    before = a.value_of(code)
    a.values = dict(a.values) | {
        code: (a.values.get(code) or {})
        | {"review": v, "reason": reason.strip()[:500], "reviewer": actor.full_name}
    }
    _score(a)
    a.reviewed_by = actor
    a.save(update_fields=["values", "total", "outcome", "passed", "reviewed_by", "updated_at"])
    audit_log(
        actor=actor, verb="recognition.adjust", target=a, unit=a.unit,
        data={"indicator": code, "before": before, "after": v, "reason": reason},
    )  # fmt: skip
    return a


@transaction.atomic
def assessment_approve(*, actor, assessment: Assessment) -> Assessment:
    a = (
        Assessment.objects.select_for_update()
        .select_related("criteria_set", "unit")
        .get(pk=assessment.pk)
    )
    _evaluator(actor, a)
    if a.status != Status.SUBMITTED:
        raise WrongStep()
    assessment_prefill(a)  # approve what the record says now, not what it said at submission
    if not a.passed:
        raise ValidationFailed(
            _("The assessment does not meet the rule (%(outcome)s); return it or reject it.")
            % {"outcome": a.outcome}
        )
    a.status, a.approved_at, a.reviewed_by = Status.APPROVED, timezone.now(), actor
    a.save(
        update_fields=[
            "status",
            "approved_at",
            "reviewed_by",
            "total",
            "outcome",
            "passed",
            "updated_at",
        ]
    )
    audit_log(actor=actor, verb="recognition.approve", target=a, unit=a.unit)
    return a


@transaction.atomic
def assessment_return(*, actor, assessment: Assessment, reason: str) -> Assessment:
    a = Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
    _evaluator(actor, a)
    if a.status not in (Status.SUBMITTED, Status.APPROVED):
        raise WrongStep()
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Say what to correct."))
    a.status, a.return_reason = Status.RETURNED, reason.strip()[:500]
    a.save(update_fields=["status", "return_reason", "updated_at"])
    if a.person_id:
        from suotdoi.notifications.actions import notify
        from suotdoi.notifications.messages import Say

        notify(
            recipient=a.person,
            kind="recognition.returned",
            title=Say(gettext_noop("Your self-assessment was returned for correction")),
            body=a.return_reason,
            url=f"/recognition/assessments/{a.pk}/",
            dedupe_key=f"recognition.returned:{a.pk}:{a.updated_at.isoformat()}",
        )
    audit_log(
        actor=actor, verb="recognition.return", target=a, unit=a.unit, data={"reason": reason}
    )
    return a

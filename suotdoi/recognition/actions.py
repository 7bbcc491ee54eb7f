"""The assessment workflow, recognition decisions and the roll-ups of titles over units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import Conflict, NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability

from . import engine
from .metrics import metric_value
from .models import (
    Assessment,
    CriteriaSet,
    Decision,
    Evidence,
    Holding,
    Indicator,
    Status,
    SubjectType,
    UnitYearFigure,
)


class WrongStep(Conflict):
    code = "wrong_step"
    default_message = _("This assessment is not at that step.")


def current_set(code: str, on: dt.date | None = None) -> CriteriaSet:
    """The version of a set in force on a date (the newest valid one)."""
    on = on or timezone.localdate()
    found = (
        CriteriaSet.objects.filter(code=code, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


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
def assessment_register(*, actor, criteria_set: CriteriaSet, year: int, subject_unit=None):
    """Đăng ký: a person registers themselves; a unit's officer registers the unit (reviewed
    by the unit above). Idempotent for the same set and year."""
    if subject_unit is None:
        if criteria_set.subject_type != SubjectType.PERSON:
            raise ValidationFailed(_("This title is for units."))
        existing = Assessment.objects.filter(
            criteria_set=criteria_set, year=year, person=actor
        ).first()
        if existing:
            return existing
        unit = _home_unit(actor)
        a = Assessment.objects.create(
            criteria_set=criteria_set, year=year, person=actor, unit=unit, unit_path=unit.path
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
    audit_log(actor=actor, verb="recognition.register", target=a, unit=a.unit)
    return a


def assessment_prefill(a: Assessment) -> Assessment:
    """Fill the computed indicators from the record (or the unit's figures) and recompute."""
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
        if a.person_id != actor.pk:
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
    audit_log(actor=actor, verb="recognition.self", target=a, unit=a.unit, data={"values": values})
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
    audit_log(actor=actor, verb="recognition.evidence", target=a, unit=a.unit)
    return e


@transaction.atomic
def assessment_submit(*, actor, assessment: Assessment) -> Assessment:
    a = Assessment.objects.select_for_update().select_related("criteria_set").get(pk=assessment.pk)
    _editable_by_subject(actor, a)
    _check_on_time(a)
    assessment_prefill(a)
    a.status, a.submitted_at, a.return_reason = Status.SUBMITTED, timezone.now(), ""
    a.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
    audit_log(actor=actor, verb="recognition.submit", target=a, unit=a.unit)
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
    _score(a)
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

        notify(
            recipient=a.person,
            kind="recognition.returned",
            title=_("Your self-assessment was returned for correction"),
            body=a.return_reason,
            url=f"/recognition/assessments/{a.pk}/",
            dedupe_key=f"recognition.returned:{a.pk}:{a.updated_at.isoformat()}",
        )
    audit_log(
        actor=actor, verb="recognition.return", target=a, unit=a.unit, data={"reason": reason}
    )
    return a


# --- decisions ------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(
    *, actor, unit: Unit, assessments: list[Assessment], number: str, date: dt.date,
    signer: str, signer_title: str,
) -> Decision:  # fmt: skip
    """Quyết định công nhận for approved assessments under `unit` (one set, one year)."""
    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    rows = list(
        Assessment.objects.select_for_update()
        .select_related("criteria_set")
        .filter(pk__in=[a.pk for a in assessments])
    )
    if not rows:
        raise ValidationFailed(_("Choose the approved assessments the decision recognises."))
    if any(not r.unit_path.startswith(unit.path) for r in rows):
        raise NotFound()
    if any(r.status != Status.APPROVED for r in rows):
        raise WrongStep(_("Only approved assessments can be recognised."))
    sets = {(r.criteria_set_id, r.year) for r in rows}
    if len(sets) != 1:
        raise ValidationFailed(_("One decision recognises one title for one year."))
    if not number.strip() or not signer.strip():
        raise ValidationFailed(_("The decision needs its number and its signer."))
    if Decision.objects.filter(unit=unit, number=number.strip()).exists():
        raise ValidationFailed(
            _("%(unit)s already has a decision numbered %(n)s.") % {"unit": unit.name, "n": number}
        )
    set_id, year = next(iter(sets))
    d = Decision.objects.create(
        unit=unit, criteria_set_id=set_id, year=year, number=number.strip(), date=date,
        signer=signer.strip(), signer_title=signer_title.strip(), created_by=actor,
    )  # fmt: skip
    Assessment.objects.filter(pk__in=[r.pk for r in rows]).update(decision=d)
    audit_log(
        actor=actor, verb="recognition.decision", target=d, unit=unit, data={"subjects": len(rows)}
    )
    return d


@transaction.atomic
def decision_publish(*, actor, decision: Decision) -> int:
    """Công bố: the titles are held, each subject gets a credential with its certificate, and
    the units above recompute their shares."""
    d = (
        Decision.objects.select_for_update()
        .select_related("unit", "criteria_set")
        .get(pk=decision.pk)
    )
    if not can(actor, d.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if d.published_at or d.revoked_at:
        raise WrongStep(_("This decision was published already."))
    d.published_at = timezone.now()
    d.save(update_fields=["published_at", "updated_at"])
    rows = list(d.assessments.select_related("person", "subject_unit"))
    for a in rows:
        h = Holding.objects.create(
            title_code=d.criteria_set.code, year=d.year, person=a.person, unit=a.subject_unit,
            outcome=a.outcome, decision=d,
        )  # fmt: skip
        if a.person_id:
            h.credential_id = _credential_for(actor, d, a).pk
            h.save(update_fields=["credential_id"])
    Assessment.objects.filter(decision=d).update(status=Status.DECIDED)
    _rollup_after(d)
    audit_log(
        actor=actor, verb="recognition.publish", target=d, unit=d.unit, data={"subjects": len(rows)}
    )
    return len(rows)


def _credential_for(actor, d: Decision, a: Assessment):
    from suotdoi.credentials.actions import achievement_ensure, credential_issue, issuer_enable
    from suotdoi.credentials.models import CredentialKind

    issuer = issuer_enable(actor=actor, unit=d.unit)
    achievement = achievement_ensure(
        issuer=issuer,
        key=f"title:{d.criteria_set.code}:{d.year}",
        kind=CredentialKind.RECOGNITION,
        name=f"{d.criteria_set.title} {d.year}",
        description=_("Recognised as “%(title)s” for %(year)s.")
        % {"title": d.criteria_set.title, "year": d.year},
        criteria=_("Criteria of %(doc)s; decision %(n)s of %(date)s, signed by %(signer)s.")
        % {
            "doc": d.criteria_set.document_number,
            "n": d.number,
            "date": d.date.strftime("%d/%m/%Y"),
            "signer": d.signer,
        },
    )
    cred, _created = credential_issue(
        actor=actor,
        person=a.person,
        achievement=achievement,
        source_key=f"recognition:{d.pk}:{a.pk}",
        start_date=dt.date(d.year, 1, 1),
        end_date=d.date,
        evidence_narrative=_(
            "Decision %(n)s of %(date)s, %(unit)s; signed by %(signer)s, %(title)s."
        )
        % {
            "n": d.number,
            "date": d.date.strftime("%d/%m/%Y"),
            "unit": d.unit.name,
            "signer": d.signer,
            "title": d.signer_title,
        },
    )
    return cred


@transaction.atomic
def decision_revoke(*, actor, decision: Decision, reason: str) -> int:
    """Thu hồi: the titles are no longer held, the credentials are revoked, shares recomputed."""
    from suotdoi.credentials.actions import credential_revoke
    from suotdoi.credentials.models import Credential

    d = (
        Decision.objects.select_for_update()
        .select_related("unit", "criteria_set")
        .get(pk=decision.pk)
    )
    if not can(actor, d.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if d.revoked_at:
        return 0
    if len(reason.strip()) < 5:
        raise ValidationFailed(_("Give the reason for revoking the decision."))
    d.revoked_at, d.revoke_reason = timezone.now(), reason.strip()[:500]
    d.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
    holdings = list(d.holdings.all())
    for c in Credential.objects.filter(
        pk__in=[h.credential_id for h in holdings if h.credential_id], revoked_at__isnull=True
    ):
        credential_revoke(actor=actor, credential=c, reason=reason)
    d.holdings.all().delete()
    Assessment.objects.filter(decision=d).update(status=Status.REJECTED)
    _rollup_after(d)
    audit_log(
        actor=actor, verb="recognition.revoke", target=d, unit=d.unit, data={"reason": reason}
    )
    return len(holdings)


# --- roll-ups -------------------------------------------------------------------------------


def _rollup_after(d: Decision) -> None:
    subject_units = list(
        Unit.objects.filter(
            pk__in=d.assessments.exclude(subject_unit=None).values("subject_unit")
        ).select_related("unit_type")
    )
    step = Unit.steplen
    for type_code in {u.unit_type.code for u in subject_units}:
        paths = {u.path for u in subject_units if u.unit_type.code == type_code}
        prefixes = {p[:end] for p in paths for end in range(step, len(p), step)}
        rollup_unit_titles(
            title_code=d.criteria_set.code,
            year=d.year,
            units=list(Unit.objects.filter(path__in=prefixes)),
            subject_type_code=type_code,
        )
    people = list(d.assessments.exclude(person=None).values_list("person_id", flat=True))
    if not people:
        return
    paths = set(
        Membership.objects.filter(person_id__in=people, end_date__isnull=True).values_list(
            "unit_path", flat=True
        )
    )
    from suotdoi.organisations.selectors import path_prefixes

    prefixes = path_prefixes(paths)
    units = list(Unit.objects.filter(path__in=prefixes))
    rollup_units(title_code=d.criteria_set.code, year=d.year, units=units)


def rollup_units(*, title_code: str, year: int, units: list[Unit]) -> int:
    """Recompute, from scratch, how many distinct members of each unit's subtree hold the title
    in the year. Reading memberships once per top-most unit, counting people once however
    many memberships they have, and writing every figure in one upsert; running it twice, or
    in any order, gives the same figures."""
    from suotdoi.organisations.selectors import members_by_path

    if not units:
        return 0
    wanted = {u.path: u for u in units}
    holders = set(
        Holding.objects.filter(title_code=title_code, year=year, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    members = members_by_path(wanted)
    figures = [
        UnitYearFigure(
            unit=wanted[p],
            title_code=title_code,
            year=year,
            members=len(m),
            holders=len(m & holders),
        )
        for p, m in members.items()
    ]
    UnitYearFigure.objects.bulk_create(
        figures,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["unit", "title_code", "year"],
        update_fields=["members", "holders", "computed_at"],
    )
    return len(figures)


def rollup_unit_titles(
    *, title_code: str, year: int, units: list[Unit], subject_type_code: str
) -> int:
    """For titles held by units (families, clans, units): how many units of that type each
    unit's subtree holds, and how many of them hold the title (a commune's share of learning
    families). Recomputed from scratch, like `rollup_units`."""
    if not units:
        return 0
    holders = set(
        Holding.objects.filter(title_code=title_code, year=year, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    figures = []
    for u in units:
        below = list(
            Unit.objects.filter(
                path__startswith=u.path, unit_type__code=subject_type_code
            ).values_list("pk", flat=True)
        )
        figures.append(
            UnitYearFigure(
                unit=u,
                title_code=title_code,
                year=year,
                members=len(below),
                holders=len(set(below) & holders),
            )
        )
    UnitYearFigure.objects.bulk_create(
        figures,
        update_conflicts=True,
        unique_fields=["unit", "title_code", "year"],
        update_fields=["members", "holders", "computed_at"],
    )
    return len(figures)


def unit_level(
    *, unit: Unit, year: int, code: str = "don-vi-hoc-tap-tinh"
) -> tuple[engine.Outcome, Assessment | None, CriteriaSet]:
    """A unit's level for a title decided by shares (Đơn vị học tập): its own assessment's
    values where it has one, the current shares of its members' titles always."""
    cs = current_set(code, dt.date(year, 12, 31))
    a = Assessment.objects.filter(criteria_set__code=code, year=year, subject_unit=unit).first()
    return unit_levels(units=[unit], year=year, code=code)[unit.pk], a, cs


def unit_levels(*, units: list[Unit], year: int, code: str = "don-vi-hoc-tap-tinh") -> dict:
    """`unit_level` for many units at once: one read of the figures, one of the assessments."""
    cs = current_set(code, dt.date(year, 12, 31))
    rule = cs.rule()
    inds = list(Indicator.objects.filter(criteria_set=cs))
    share_titles = {i.share_of for i in inds if i.measure == engine.SHARE}
    ids = [u.pk for u in units]
    figs = {
        (f.unit_id, f.title_code): f.share_pct
        for f in UnitYearFigure.objects.filter(
            unit_id__in=ids, year=year, title_code__in=share_titles
        )
    }
    own = {
        a.subject_unit_id: a
        for a in Assessment.objects.filter(
            criteria_set__code=code, year=year, subject_unit_id__in=ids
        )
    }
    out = {}
    for u in units:
        values = {}
        for ind in inds:
            if ind.measure == engine.SHARE:
                values[ind.code] = figs.get((u.pk, ind.share_of), Decimal("0"))
            elif u.pk in own:
                values[ind.code] = own[u.pk].value_of(ind.code)
        out[u.pk] = engine.evaluate(rule, values)
    return out


# --- calendar and reminders -----------------------------------------------------------------


def round_for(a: Assessment):
    """The calendar that applies: the one set by the nearest unit at or above the reviewer."""
    from suotdoi.organisations.selectors import path_prefixes

    from .models import Round

    rounds = Round.objects.filter(
        title_code=a.criteria_set.code, year=a.year, unit_path__in=path_prefixes([a.unit_path])
    )
    return max(rounds, key=lambda r: len(r.unit_path), default=None)


@transaction.atomic
def round_set(*, actor, unit: Unit, title_code: str, year: int, submit_by, review_by, decide_by):
    from .models import Round

    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    if not (submit_by <= review_by <= decide_by):
        raise ValidationFailed(_("The dates go in order: self-assessments, reviews, decisions."))
    r, _created = Round.objects.update_or_create(
        title_code=title_code,
        year=year,
        unit=unit,
        defaults={
            "unit_path": unit.path,
            "submit_by": submit_by,
            "review_by": review_by,
            "decide_by": decide_by,
        },
    )
    audit_log(
        actor=actor,
        verb="recognition.round",
        target=r,
        unit=unit,
        data={
            "submit_by": str(submit_by),
            "review_by": str(review_by),
            "decide_by": str(decide_by),
        },
    )
    return r


def _check_on_time(a: Assessment) -> None:
    r = round_for(a)
    if r is None:
        return
    today = timezone.localdate()
    # A first submission by the due date; a returned one may come back until reviews are due.
    due = r.review_by if a.status == Status.RETURNED else r.submit_by
    if today > due:
        raise ValidationFailed(
            _("Self-assessments for %(year)s were due by %(date)s; ask %(unit)s.")
            % {"year": a.year, "date": due.strftime("%d/%m/%Y"), "unit": r.unit.name}
        )


def remind(*, today: dt.date | None = None, days: int = 7) -> int:
    """Notify whoever holds up an assessment whose step is due within `days`: the subject
    (not yet submitted) and the reviewing unit's evaluators (submitted, not reviewed). Once a
    day at most (dedupe key)."""
    from suotdoi.notifications.actions import notify
    from suotdoi.organisations.policies import role_allows

    from .models import Round

    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=days)
    sent = 0
    for r in Round.objects.filter(review_by__gte=today).select_related("unit"):
        late_submit = today <= r.submit_by <= soon
        late_review = today <= r.review_by <= soon
        if not (late_submit or late_review):
            continue
        rows = Assessment.objects.filter(
            criteria_set__code=r.title_code, year=r.year, unit_path__startswith=r.unit_path
        ).select_related("person", "unit", "criteria_set")
        for a in rows:
            if late_submit and a.status in (Status.REGISTERED, Status.RETURNED) and a.person_id:
                with override(a.person.language):
                    sent += (
                        notify(
                            recipient=a.person,
                            kind="recognition.due",
                            title=_("Your self-assessment is due by %(date)s")
                            % {"date": r.submit_by.strftime("%d/%m/%Y")},
                            body=a.criteria_set.title,
                            url=f"/recognition/assessments/{a.pk}/",
                            dedupe_key=f"recognition.due:{a.pk}:{today.isoformat()}",
                        )
                        is not None
                    )
            if late_review and a.status == Status.SUBMITTED:
                step = Unit.steplen
                between = [  # the reviewing unit and those above it, up to the round's unit
                    a.unit_path[:end] for end in range(len(r.unit_path), len(a.unit_path) + 1, step)
                ]
                for m in Membership.objects.filter(
                    unit_path__in=between, end_date__isnull=True
                ).select_related("person"):
                    if role_allows(m.role, Capability.EVALUATE) and m.person_id != a.person_id:
                        with override(m.person.language):
                            sent += (
                                notify(
                                    recipient=m.person,
                                    kind="recognition.review_due",
                                    title=_("Assessments to review by %(date)s")
                                    % {"date": r.review_by.strftime("%d/%m/%Y")},
                                    body=a.criteria_set.title,
                                    url=f"/recognition/assessments/{a.pk}/",
                                    dedupe_key=f"recognition.review_due:{a.pk}:{m.person_id}:{today}",
                                )
                                is not None
                            )
    return sent

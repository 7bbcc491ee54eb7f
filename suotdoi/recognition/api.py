"""Recognition in the API: criteria sets as JSON (public rules), and an assessment's state for
its subject, their helpers and the evaluators above (same access as the pages)."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suotdoi.core.apitypes import Date, Id, PlainText
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability

from . import actions, transfer
from .access import access_assessment, access_decision, access_movement
from .models import Assessment, CriteriaSet, Decision

router = Router(tags=["recognition"])


class CriteriaSetOut(Schema):
    id: int
    code: str
    version: int
    title: str
    subject_type: str
    valid_from: dt.date
    valid_to: dt.date | None


class AssessmentOut(Schema):
    id: int
    criteria_set_code: str
    criteria_set_version: int
    year: int
    status: str
    total: Decimal
    outcome: str
    passed: bool
    unit_id: int
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    decision_id: int | None = None

    @staticmethod
    def resolve_criteria_set_code(obj) -> str:
        return obj.criteria_set.code

    @staticmethod
    def resolve_criteria_set_version(obj) -> int:
        return obj.criteria_set.version


@router.get("/recognition/sets", response=list[CriteriaSetOut], summary="Criteria sets")
@paginate(CursorPages)
def criteria_set_list(request):
    return CriteriaSet.objects.order_by("code", "-version")


@router.get(
    "/recognition/sets/{set_id}",
    response=dict,
    summary="One criteria set as JSON (the same document as its export)",
)
def criteria_set_get(request, set_id: int):
    cs = CriteriaSet.objects.filter(pk=set_id).first()
    if cs is None:
        raise NotFound()
    return transfer.export_set(cs)


@router.get("/recognition/assessments/{assessment_id}", response=AssessmentOut)
def assessment_get(request, assessment_id: int):
    a, _subject, _evaluator = access_assessment(request.auth, assessment_id)
    return a


class AssessmentFilter(Schema):
    status: str = Field(default="", max_length=12, pattern=r"^[a-z_]*$")
    year: int | None = Field(default=None, ge=2000, le=2100)
    criteria_set_code: str = Field(default="", max_length=60, pattern=r"^[a-z0-9-]*$")


@router.get("/units/{unit_id}/assessments", response=list[AssessmentOut])
@paginate(CursorPages)
def unit_assessment_list(request, unit_id: int, filters: Query[AssessmentFilter]):
    """The assessments reviewed by this unit and the units below it."""
    unit = access_unit_by_id(request.auth, unit_id)
    qs = Assessment.objects.filter(unit_path__startswith=unit.path).select_related("criteria_set")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.criteria_set_code:
        qs = qs.filter(criteria_set__code=filters.criteria_set_code)
    return qs


class ReturnIn(Schema):
    reason: PlainText = Field(min_length=1, max_length=500)


@router.post("/recognition/assessments/{assessment_id}/approve", response=AssessmentOut)
def assessment_approve(request, assessment_id: int):
    """By an evaluator of the reviewing unit or above (never the subject)."""
    a, _subject, evaluator = access_assessment(request.auth, assessment_id)
    if not evaluator:
        raise NotFound()
    return actions.assessment_approve(actor=request.auth, assessment=a)


@router.post("/recognition/assessments/{assessment_id}/return", response=AssessmentOut)
def assessment_return(request, assessment_id: int, payload: ReturnIn):
    a, _subject, evaluator = access_assessment(request.auth, assessment_id)
    if not evaluator:
        raise NotFound()
    return actions.assessment_return(actor=request.auth, assessment=a, reason=payload.reason)


class DecisionIn(Schema):
    assessment_ids: list[Id] = Field(min_length=1, max_length=5000)
    number: PlainText = Field(min_length=1, max_length=60)
    date: Date
    signer: PlainText = Field(min_length=1, max_length=200)
    signer_title: PlainText = Field(default="", max_length=200)


class DecisionOut(Schema):
    id: int
    unit_id: int
    criteria_set_code: str
    year: int
    number: str
    date: dt.date
    signer: str
    signer_title: str
    published_at: dt.datetime | None
    revoked_at: dt.datetime | None
    subjects: int

    @staticmethod
    def resolve_criteria_set_code(obj) -> str:
        return obj.criteria_set.code

    @staticmethod
    def resolve_subjects(obj) -> int:
        return obj.assessments.count()


class DecisionRevokeIn(Schema):
    reason: PlainText = Field(min_length=1, max_length=500)


@router.get("/units/{unit_id}/decisions", response=list[DecisionOut])
@paginate(CursorPages)
def decision_list(request, unit_id: int):
    unit = access_unit_by_id(request.auth, unit_id)
    return Decision.objects.filter(unit__path__startswith=unit.path).select_related("criteria_set")


@router.post(
    "/units/{unit_id}/decisions",
    response={201: DecisionOut},
    summary="A recognition decision for approved assessments under the unit (manage_units)",
)
def decision_issue(request, unit_id: int, payload: DecisionIn):
    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_UNITS)
    rows = list(Assessment.objects.filter(pk__in=payload.assessment_ids))
    if len(rows) != len(set(payload.assessment_ids)):
        raise ValidationFailed(_("Choose the approved assessments the decision recognises."))
    d = actions.decision_issue(
        actor=request.auth,
        unit=unit,
        assessments=rows,
        number=payload.number,
        date=payload.date,
        signer=payload.signer,
        signer_title=payload.signer_title,
    )
    return Status(201, d)


@router.get("/recognition/decisions/{decision_id}", response=DecisionOut)
def decision_get(request, decision_id: int):
    return access_decision(request.auth, decision_id)


@router.post(
    "/recognition/decisions/{decision_id}/publish",
    response=DecisionOut,
    summary="Publish: each recognised subject gets a certificate",
)
def decision_publish(request, decision_id: int):
    d = access_decision(request.auth, decision_id, Capability.MANAGE_UNITS)
    actions.decision_publish(actor=request.auth, decision=d)
    return access_decision(request.auth, decision_id)


@router.post("/recognition/decisions/{decision_id}/revoke", response=DecisionOut)
def decision_revoke(request, decision_id: int, payload: DecisionRevokeIn):
    d = access_decision(request.auth, decision_id, Capability.MANAGE_UNITS)
    actions.decision_revoke(actor=request.auth, decision=d, reason=payload.reason)
    return access_decision(request.auth, decision_id)


class StandingRowOut(Schema):
    rank: int
    name: str
    members: int
    value: Decimal
    rate: Decimal


class StandingBandOut(Schema):
    band: str
    rows: list[StandingRowOut]


class StandingsOut(Schema):
    movement_id: int
    title: str
    bands: list[StandingBandOut]


@router.get(
    "/recognition/movements/{movement_id}/standings",
    response=StandingsOut,
    summary="An emulation movement's public standings (those who agreed to be shown)",
)
def movement_standings(request, movement_id: int):
    from .emulation import standings

    m, _member = access_movement(request.auth, movement_id)
    bands = [
        {
            "band": b["band"],
            "rows": [
                {
                    "rank": p.rank,
                    "name": p.person.full_name if p.person_id else p.unit.name,
                    "members": p.members,
                    "value": p.value,
                    "rate": p.rate,
                }
                for p in b["rows"]
            ],
        }
        for b in standings(m)
    ]
    return {"movement_id": m.pk, "title": m.title, "bands": bands}

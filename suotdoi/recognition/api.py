"""Recognition in the API: criteria sets as JSON (public rules), and an assessment's state for
its subject, their helpers and the evaluators above (same access as the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from suotdoi.core.errors import NotFound
from suotdoi.core.pagination import Pages

from . import transfer
from .access import access_assessment
from .models import CriteriaSet

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


@router.get("/recognition/sets", response=list[CriteriaSetOut], summary="Criteria sets")
@paginate(Pages)
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
    return {
        "id": a.pk,
        "criteria_set_code": a.criteria_set.code,
        "criteria_set_version": a.criteria_set.version,
        "year": a.year,
        "status": a.status,
        "total": a.total,
        "outcome": a.outcome,
        "passed": a.passed,
        "unit_id": a.unit_id,
        "submitted_at": a.submitted_at,
        "approved_at": a.approved_at,
    }

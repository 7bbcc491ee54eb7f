"""Credit in the API: a person's own credit account and progress (for a wallet or an
employer's HR system acting with the person's token), published programmes with their rules,
and a unit's credit report. Decisions on recognition stay on the pages, where the assessor reads
the evidence."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from suotdoi.core.apitypes import PlainText
from suotdoi.core.errors import NotFound
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability

from . import selectors
from .models import Programme

router = Router(tags=["credits"])


class CreditLineOut(Schema):
    id: int
    title: str
    kind: str = Field(description="course (a credit-bearing completion) or rpl (recognised)")
    credits: Decimal
    provider_unit_id: int
    vqf_level: int | None
    area: str
    awarded_on: dt.date
    grade: str
    expires_on: dt.date | None

    @staticmethod
    def resolve_provider_unit_id(obj) -> int:
        return obj.provider.unit_id


class CreditAccountOut(Schema):
    total: Decimal = Field(description="Recognised credit")
    credit_equivalent: Decimal = Field(
        description="Verified hours ÷ 50, shown apart: never recognised credit"
    )
    verified_hours: Decimal
    lines: list[CreditLineOut]


class ProgrammeModuleOut(Schema):
    code: str
    title: str
    area: str
    credits: Decimal
    mandatory: bool


class ProgrammeOut(Schema):
    id: int
    provider_unit_id: int
    code: str
    title: str
    vqf_level: int
    min_credits: Decimal
    transfer_cap_pct: int
    max_result_age_years: int | None
    yearly_cap: Decimal | None
    modules: list[ProgrammeModuleOut]

    @staticmethod
    def resolve_provider_unit_id(obj) -> int:
        return obj.provider.unit_id

    @staticmethod
    def resolve_modules(obj):
        return list(obj.modules.all())


class ProgrammeProgressOut(Schema):
    total: Decimal
    complete: bool
    transfer_used: Decimal
    transfer_left: Decimal
    by_module: dict[str, Decimal]
    missing_mandatory: list[str]


class ProgrammeFilter(Schema):
    q: PlainText = Field(default="", max_length=100)


@router.get("/me/credits", response=CreditAccountOut, summary="The caller's own credit account")
def my_credits(request):
    acc = selectors.account(request.auth, limit=None)
    return {
        "total": acc["total"],
        "credit_equivalent": acc["equivalent"],
        "verified_hours": acc["hours"],
        "lines": acc["lines"],
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="Published programmes")
@paginate(CursorPages)
def programme_list(request, filters: Query[ProgrammeFilter]):
    qs = (
        Programme.objects.filter(status=Programme.PUBLISHED)
        .select_related("provider")
        .prefetch_related("modules")
    )
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs


def _published(programme_id: int) -> Programme:
    p = Programme.objects.select_related("provider").filter(
        pk=programme_id, status=Programme.PUBLISHED
    )
    p = p.first()
    if p is None:
        raise NotFound()
    return p


@router.get(
    "/programmes/{programme_id}/progress",
    response=ProgrammeProgressOut,
    summary="The caller's progress in a published programme",
)
def programme_progress(request, programme_id: int):
    p = _published(programme_id)
    rule = selectors.rule_of(p)
    prog = selectors.progress_of(request.auth, p, rule=rule)
    return {
        "total": prog.total,
        "complete": prog.complete,
        "transfer_used": prog.transfer_used,
        "transfer_left": rule.transfer_cap - prog.transfer_used,
        "by_module": prog.by_module,
        "missing_mandatory": prog.missing_mandatory,
    }


class CreditReportOut(Schema):
    credits_from_courses: Decimal
    credits_recognised: Decimal
    people_with_credit: int
    requests: int
    requests_by_status: dict[str, int]
    decided: int
    median_days_to_decision: float | None


class CreditReportFilter(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)


@router.get(
    "/units/{unit_id}/credit-report",
    response=CreditReportOut,
    summary="Credit earned by the members of a unit and the units below it",
)
def credit_report(request, unit_id: int, filters: Query[CreditReportFilter]):
    from .exporting import report

    unit = access_unit_by_id(request.auth, unit_id, Capability.VIEW_MEMBERS)
    since = dt.date(filters.year, 1, 1) if filters.year else None
    r = report(unit=unit, since=since)
    return {
        "credits_from_courses": r["totals"]["course"],
        "credits_recognised": r["totals"]["rpl"],
        "people_with_credit": r["totals"]["people"],
        "requests": r["requests"],
        "requests_by_status": r["outcomes"],
        "decided": r["decided"],
        "median_days_to_decision": r["median_days"],
    }

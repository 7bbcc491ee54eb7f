"""Learning accounts in the API: a fund's figures and spends for its unit's systems, credit
granted to named members, and a provider's statement for its accounting. Spending itself is
not here: it needs the learner's code, typed by the learner (or read out to an officer they
consented to be helped by), on the pages."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from suotdoi.core.apitypes import Code
from suotdoi.core.errors import NotFound
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.organisations.schemas import MemberRefIn

from . import actions, ledger, selectors
from .models import Fund, Spend

router = Router(tags=["learning accounts"])


class FundOut(Schema):
    id: int
    unit_id: int
    name: str
    status: str
    per_person: int
    per_course_max: int
    copay_pct: int
    credit_days: int
    min_age: int | None
    max_age: int | None
    categories: list[str]
    occupation_groups: list[str] = Field(description="Empty: every occupation group")
    income_groups: list[str] = Field(description="Empty: every household")
    list_only: bool = Field(description="Only the people on the fund's list receive credit")
    figures: dict[str, int] = Field(
        description="deposited, pool, granted, unspent, held, paid, refunded, clawed_back, "
        "expired, released, accounts (đồng, and a count)"
    )

    @staticmethod
    def resolve_figures(obj) -> dict[str, int]:
        return selectors.fund_figures(obj)


class FundDetailOut(FundOut):
    reconciled: bool = Field(description="Every transaction sums to zero, every balance matches")


class SpendOut(Schema):
    id: int
    person_id: int
    course_id: int
    provider_unit_id: int
    price: int
    amount: int
    status: str
    flags: list[str]
    created_at: dt.datetime
    settled_at: dt.datetime | None

    @staticmethod
    def resolve_provider_unit_id(obj) -> int:
        return obj.provider.unit_id


class GrantIn(Schema):
    round_label: Code = Field(max_length=40, description="Each person once per round, e.g. 2026")
    learners: list[MemberRefIn] = Field(min_length=1, max_length=1000)


class FundListIn(Schema):
    learners: list[MemberRefIn] = Field(min_length=1, max_length=1000)


class FundListOut(Schema):
    added: int = Field(description="New to the list by this request")
    listed: int = Field(description="On the list now")


class GrantOut(Schema):
    granted: int
    already: int


def _fund(request, fund_id: int, capability=Capability.VIEW) -> Fund:
    fund = Fund.objects.select_related("unit").filter(pk=fund_id).first()
    if fund is None or not can(request.auth, fund.unit, capability):
        raise NotFound()
    return fund


@router.get("/funds/{fund_id}", response=FundDetailOut)
def fund_get(request, fund_id: int):
    fund = _fund(request, fund_id)
    fund.reconciled = not ledger.verify(fund)
    return fund


@router.get("/units/{unit_id}/funds", response=list[FundOut])
@paginate(CursorPages)
def fund_list(request, unit_id: int):
    unit = access_unit_by_id(request.auth, unit_id)
    return Fund.objects.filter(unit=unit)


class SpendFilter(Schema):
    status: str = Field(default="", max_length=12, pattern=r"^[a-z_]*$")


@router.get("/funds/{fund_id}/spends", response=list[SpendOut])
@paginate(CursorPages)
def fund_spend_list(request, fund_id: int, filters: Query[SpendFilter]):
    fund = _fund(request, fund_id, Capability.VIEW_MEMBERS)
    qs = Spend.objects.filter(fund=fund).select_related("provider")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post(
    "/funds/{fund_id}/grants",
    response=GrantOut,
    summary="Credit up to 1000 named members once in a round (all or none by name; sending "
    "again changes nothing)",
)
def fund_grant(request, fund_id: int, payload: GrantIn):
    from suotdoi.organisations.bulk import members_by_reference

    fund = _fund(request, fund_id, Capability.MANAGE_MEMBERS)
    people = members_by_reference(unit=fund.unit, refs=[r.dict() for r in payload.learners])
    granted = already = 0
    for person in dict.fromkeys(people):
        _tx, created = actions.grant(
            actor=request.auth, fund=fund, person=person, round_label=payload.round_label
        )
        granted += created
        already += not created
    return {"granted": granted, "already": already}


@router.post(
    "/funds/{fund_id}/list",
    response=FundListOut,
    summary="Name up to 1000 members on the fund's list (all or none; sending again changes "
    "nothing)",
)
def fund_list_add(request, fund_id: int, payload: FundListIn):
    from suotdoi.organisations.bulk import members_by_reference

    fund = _fund(request, fund_id, Capability.MANAGE_MEMBERS)
    people = members_by_reference(unit=fund.unit, refs=[r.dict() for r in payload.learners])
    added = actions.fund_list_add(actor=request.auth, fund=fund, people=people)
    return {"added": added, "listed": fund.list_entries.count()}


@router.get("/providers/{unit_id}/payments", response=list[SpendOut])
@paginate(CursorPages)
def provider_payment_list(request, unit_id: int):
    """What learning funds paid this provider, refunded or took back."""
    from suotdoi.catalog.models import Provider

    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_MEMBERS)
    provider = Provider.objects.filter(unit=unit).first()
    if provider is None:
        raise NotFound()
    return Spend.objects.filter(
        provider=provider, status__in=[Spend.PAID, Spend.REFUNDED, Spend.CLAWED_BACK]
    ).select_related("provider")

"""Learning record endpoints: the caller's own entries, self-declaration, verification."""

from ninja import Router, Status
from ninja.pagination import paginate

from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.selectors import memberships_of

from . import actions, selectors
from .access import access_entry_to_verify_by_id, access_own_entry_by_id
from .models import CompetenceTag, EntryKind, Provenance
from .schemas import EntryDeclareIn, EntryOut, RejectIn, UnitFiguresOut

router = Router(tags=["learning record"])


@router.get("/record/entries", response=list[EntryOut], summary="The caller's own entries")
@paginate(CursorPages)
def entry_list(request):
    return selectors.entry_list_for(person=request.auth)


@router.get("/record/entries/{entry_id}", response=EntryOut)
def entry_get(request, entry_id: int):
    return access_own_entry_by_id(request.auth, entry_id)


@router.post(
    "/record/entries",
    response={201: EntryOut, 200: EntryOut},
    summary="Declare learning (self-declared)",
)
def entry_declare(request, payload: EntryDeclareIn):
    if payload.kind not in EntryKind.values:
        raise ValidationFailed("kind")
    unit = None
    if payload.unit_id is not None:
        unit = next(
            (m.unit for m in memberships_of(person=request.auth) if m.unit_id == payload.unit_id),
            None,
        )
        if unit is None:
            raise NotFound()
    tags = list(CompetenceTag.objects.filter(code__in=payload.tags))
    key = (
        f"api:{request.auth.pk}:{payload.idempotency_key}"
        if payload.idempotency_key
        else actions.new_declaration_key()
    )
    entry, created = actions.entry_record(
        actor=request.auth,
        person=request.auth,
        source_key=key,
        title=payload.title,
        kind=payload.kind,
        start_date=payload.start_date,
        end_date=payload.end_date,
        hours=payload.hours,
        provenance=Provenance.SELF_DECLARED,
        unit=unit,
        tags=tags,
        evidence_url=payload.evidence_url,
    )
    return Status(201 if created else 200, entry)


@router.post("/record/entries/{entry_id}/verify", response=EntryOut)
def entry_verify(request, entry_id: int):
    entry = access_entry_to_verify_by_id(request.auth, entry_id)
    return actions.entry_verify(actor=request.auth, entry=entry)


@router.post("/record/entries/{entry_id}/reject", response=EntryOut)
def entry_reject(request, entry_id: int, payload: RejectIn):
    entry = access_entry_to_verify_by_id(request.auth, entry_id)
    return actions.entry_reject(actor=request.auth, entry=entry, reason=payload.reason)


@router.get(
    "/units/{unit_id}/figures",
    response=UnitFiguresOut,
    summary="A unit's learning in a year (its subtree), with the months",
)
def unit_figures(request, unit_id: int, year: int | None = None):
    from django.utils import timezone

    from suotdoi.organisations.access import access_unit_by_id

    unit = access_unit_by_id(request.auth, unit_id)
    this_year = timezone.localdate().year
    year = year if year is not None and 2000 <= year <= this_year + 1 else this_year
    total = selectors.unit_year_hours(unit=unit, year=year)
    return {
        "unit_id": unit.pk,
        "year": year,
        "entries": total["entries"],
        "hours": total["hours"],
        "verified": total["verified"],
        "months": selectors.unit_year_months(unit=unit, year=year),
    }

"""REST endpoints for units, memberships and imports. Same access rules as the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.core.pagination import CursorPages
from suotdoi.core.vn import normalise_cccd, normalise_phone
from suotdoi.people.models import Person

from . import actions, import_actions, selectors
from .access import (
    access_import_by_id,
    access_membership_by_id,
    access_unit_by_id,
    scope_q,
)
from .models import Membership, UnitType
from .policies import Capability
from .schemas import (
    ImportOut,
    InvitationOut,
    MemberBulkIn,
    MembershipCreateIn,
    MembershipEndIn,
    MembershipOut,
    SubtreeSummaryOut,
    UnitBulkIn,
    UnitBulkOut,
    UnitCreateIn,
    UnitMergeIn,
    UnitMoveIn,
    UnitOut,
)

router = Router(tags=["organisations"])


@router.get("/units", response=list[UnitOut], summary="Top units the caller manages")
def unit_roots(request):
    return selectors.unit_roots_for(person=request.auth)


@router.get("/units/{unit_id}", response=UnitOut)
def unit_get(request, unit_id: int):
    return access_unit_by_id(request.auth, unit_id)


@router.get("/units/{unit_id}/summary", response=SubtreeSummaryOut)
def unit_summary(request, unit_id: int):
    unit = access_unit_by_id(request.auth, unit_id)
    c = selectors.unit_subtree_counts(units=[unit])[unit.pk]
    return {"unit_id": unit.pk, "members": c["members"], "units": c["units"]}


@router.get("/units/{unit_id}/children", response=list[UnitOut])
@paginate(CursorPages)
def unit_children(request, unit_id: int):
    unit = access_unit_by_id(request.auth, unit_id)
    return selectors.unit_children(unit=unit)


@router.post("/units/{unit_id}/children", response={201: UnitOut})
def unit_create_child(request, unit_id: int, payload: UnitCreateIn):
    parent = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_UNITS)
    unit_type = UnitType.objects.filter(code=payload.unit_type).first()
    if unit_type is None:
        raise ValidationFailed(_("Unknown unit type."))
    unit = actions.unit_create(
        actor=request.auth,
        parent=parent,
        name=payload.name,
        code=payload.code,
        unit_type=unit_type,
        short_name=payload.short_name,
        address=payload.address,
    )
    return Status(201, unit)


@router.post(
    "/units/{unit_id}/units/bulk",
    response=UnitBulkOut,
    summary="Create or update up to 1000 units below this one, keyed by their code (all or "
    "none; sending again changes nothing)",
)
def unit_bulk(request, unit_id: int, payload: UnitBulkIn):
    from .bulk import unit_bulk_upsert

    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_UNITS)
    return unit_bulk_upsert(actor=request.auth, unit=unit, items=[u.dict() for u in payload.units])


@router.post("/units/{unit_id}/move", response=UnitOut)
def unit_move(request, unit_id: int, payload: UnitMoveIn):
    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_UNITS)
    target = access_unit_by_id(request.auth, payload.new_parent_id, Capability.MANAGE_UNITS)
    return actions.unit_move(
        actor=request.auth, unit=unit, new_parent=target, effective_date=payload.effective_date
    )


@router.post("/units/{unit_id}/merge", response=UnitOut)
def unit_merge(request, unit_id: int, payload: UnitMergeIn):
    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_UNITS)
    target = access_unit_by_id(request.auth, payload.target_id, Capability.MANAGE_UNITS)
    return actions.unit_merge(
        actor=request.auth, source=unit, target=target, effective_date=payload.effective_date
    )


class MemberFilter(Schema):
    q: str = ""
    subtree: bool = True
    role: str = ""
    active: str = "active"


@router.get("/units/{unit_id}/memberships", response=list[MembershipOut])
@paginate(CursorPages)
def membership_list(request, unit_id: int, filters: Query[MemberFilter]):
    unit = access_unit_by_id(request.auth, unit_id, Capability.VIEW_MEMBERS)
    return selectors.membership_list(
        unit=unit,
        include_subtree=filters.subtree,
        query=filters.q,
        role=filters.role,
        active=filters.active,
    )


@router.post(
    "/units/{unit_id}/memberships",
    response={201: MembershipOut, 200: MembershipOut, 202: InvitationOut},
    summary="Add a member; a person who already has an account is invited instead (202)",
)
def membership_create(request, unit_id: int, payload: MembershipCreateIn):
    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_MEMBERS)
    try:
        phone = normalise_phone(payload.phone) if payload.phone else None
        cccd = normalise_cccd(payload.national_id) if payload.national_id else None
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0]) from exc
    person = None
    if payload.person_id:
        # Only people who already belong somewhere in the caller's scope can be named by id.
        scope = scope_q(request.auth, Capability.VIEW_MEMBERS, field="unit_path")
        visible = Membership.objects.filter(person_id=payload.person_id)
        if scope is not None:
            visible = visible.filter(scope)
        person = Person.objects.filter(pk=payload.person_id).first() if visible.exists() else None
        if person is None:
            raise NotFound()
    done = actions.member_register(
        actor=request.auth,
        unit=unit,
        role=payload.role,
        position_title=payload.position_title,
        start_date=payload.start_date,
        person=person,
        full_name=payload.full_name or "",
        phone=phone,
        email=payload.email,
        national_id=cccd,
        date_of_birth=payload.date_of_birth,
        consent_note=_("Consent confirmed through the API") if payload.consent else "",
        occupation_group=payload.occupation_group,
        income_group=payload.income_group,
    )
    if done.invitation is not None:
        return Status(202, done.invitation)
    return Status(201 if done.created else 200, done.membership)


@router.post(
    "/units/{unit_id}/memberships/bulk",
    response=ImportOut,
    summary="Add up to 1000 members at once (all or none); sending them again changes nothing",
)
def membership_bulk(request, unit_id: int, payload: MemberBulkIn):
    from .bulk import member_bulk_upsert

    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_MEMBERS)
    if not payload.consent:
        raise ValidationFailed(_("Confirm that the members agreed to be registered."))
    return member_bulk_upsert(
        actor=request.auth, unit=unit, members=[m.dict() for m in payload.members]
    )


@router.post("/memberships/{membership_id}/end", response=MembershipOut)
def membership_end(request, membership_id: int, payload: MembershipEndIn):
    m = access_membership_by_id(request.auth, membership_id)
    return actions.membership_end(
        actor=request.auth, membership=m, end_date=payload.end_date, reason=payload.reason
    )


@router.post("/units/{unit_id}/imports", response={201: ImportOut})
def import_upload(request, unit_id: int, file: File[UploadedFile]):
    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_MEMBERS)
    from django.conf import settings

    if file.size > settings.SUOTDOI_MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is too large."))
    imp = import_actions.member_import_upload(
        actor=request.auth, unit=unit, file_name=file.name or "upload.xlsx", data=file.read()
    )
    return Status(201, imp)


@router.get("/imports/{import_id}", response=ImportOut)
def import_get(request, import_id: int):
    return access_import_by_id(request.auth, import_id)


@router.post("/imports/{import_id}/confirm", response=ImportOut)
def import_confirm(request, import_id: int):
    imp = access_import_by_id(request.auth, import_id)
    return import_actions.member_import_confirm(actor=request.auth, imp=imp)

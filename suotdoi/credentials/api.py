"""Credential endpoints of the platform API: the caller's own credentials; revocation by an
officer of the issuing unit. (Machines checking a credential use the public VC-API.)"""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from suotdoi.core.apitypes import PlainText
from suotdoi.core.pagination import CursorPages

from . import actions, selectors
from .access import access_issuing_unit, access_own_credential, access_unit_credential

router = Router(tags=["credentials"])


class CredentialOut(Schema):
    uid: str
    name: str = Field(alias="achievement.name")
    issuer: str = Field(alias="achievement.issuer.name")
    issued_at: datetime
    revoked_at: datetime | None
    shared: bool

    @staticmethod
    def resolve_uid(obj) -> str:
        return str(obj.uid)

    @staticmethod
    def resolve_shared(obj) -> bool:
        return bool(obj.share_token)


class CredentialRevokeIn(Schema):
    reason: PlainText = Field(min_length=2, max_length=300)


@router.get("/credentials", response=list[CredentialOut], summary="The caller's credentials")
@paginate(CursorPages)
def credential_list(request):
    return selectors.credentials_of(person=request.auth)


@router.get(
    "/credentials/{uid}",
    response=dict,
    summary="One of the caller's credentials: the signed Open Badges 3.0 document",
)
def credential_document(request, uid: str):
    return access_own_credential(request.auth, uid).document


@router.post(
    "/units/{unit_id}/credentials/{uid}/revoke",
    response=CredentialOut,
    summary="Revoke a credential the unit issued (the status list is republished)",
)
def credential_revoke(request, unit_id: int, uid: str, payload: CredentialRevokeIn):
    unit = access_issuing_unit(request.auth, unit_id)
    credential = access_unit_credential(request.auth, unit, uid)
    return actions.credential_revoke(
        actor=request.auth, credential=credential, reason=payload.reason
    )

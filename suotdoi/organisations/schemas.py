from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

from suotdoi.core.apitypes import Date, Email, Flag, Id, PlainText

OccupationCode = Literal["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
OCCUPATION_HELP = "The major group of Vietnam's occupation list (1–9, 0); empty: not recorded"
IncomeCode = Literal["", "poor", "near_poor", "average", "other"]
INCOME_HELP = "The household's group in the commune's poverty review; empty: not recorded"


class UnitTypeOut(Schema):
    code: str
    name: str


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    unit_type: UnitTypeOut
    depth: int
    parent_id: int | None = None
    member_count: int = Field(description="Active memberships held directly in this unit")
    child_count: int
    active_from: date | None
    active_to: date | None

    @staticmethod
    def resolve_child_count(obj) -> int:
        return obj.numchild

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return getattr(obj, "_parent_id", None)


class UnitCreateIn(Schema):
    name: PlainText = Field(min_length=2, max_length=200)
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    unit_type: str = Field(max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    short_name: PlainText = Field(default="", max_length=80)
    address: PlainText = Field(default="", max_length=300)


class UnitBulkItemIn(Schema):
    code: str = Field(
        min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$", description="The unit's key"
    )
    name: PlainText = Field(min_length=2, max_length=200)
    unit_type: str = Field(max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    parent_code: str = Field(
        default="",
        max_length=40,
        pattern=r"^[A-Za-z0-9._-]*$",
        description="Empty: the unit of the URL; or a unit below it, or one earlier in the list",
    )
    short_name: PlainText = Field(default="", max_length=80)
    address: PlainText = Field(default="", max_length=300)


class UnitBulkIn(Schema):
    units: list[UnitBulkItemIn] = Field(min_length=1, max_length=1000)


class UnitBulkOut(Schema):
    created: int
    updated: int
    unchanged: int


class UnitMoveIn(Schema):
    new_parent_id: Id
    effective_date: Date


class UnitMergeIn(Schema):
    target_id: Id
    effective_date: Date


class SubtreeSummaryOut(Schema):
    unit_id: int
    members: int
    units: int


class PersonBriefOut(Schema):
    id: int
    full_name: str
    phone: str | None


class MembershipOut(Schema):
    id: int
    person: PersonBriefOut
    unit_id: int
    role: str
    position_title: str
    start_date: date
    end_date: date | None
    occupation_group: str = Field(description=OCCUPATION_HELP)
    income_group: str = Field(description=INCOME_HELP)


class MembershipCreateIn(Schema):
    person_id: Id | None = None
    full_name: PlainText | None = Field(default=None, max_length=150)
    phone: str | None = Field(default=None, max_length=40)
    email: Email = Field(default=None, max_length=254)
    national_id: str | None = Field(default=None, max_length=20)
    date_of_birth: Date | None = None
    role: str = Field(default="member", max_length=12, pattern=r"^[a-z_]+$")
    position_title: PlainText = Field(default="", max_length=120)
    start_date: Date | None = None
    consent: Flag = Field(default=False, description="The person agreed to be registered")
    occupation_group: OccupationCode = Field(default="", description=OCCUPATION_HELP)
    income_group: IncomeCode = Field(default="", description=INCOME_HELP)


class MemberBulkItemIn(Schema):
    full_name: PlainText = Field(max_length=150)
    phone: PlainText | None = Field(default=None, max_length=40)
    email: PlainText | None = Field(default=None, max_length=254)
    national_id: PlainText | None = Field(default=None, max_length=20)
    date_of_birth: Date | None = None
    gender: PlainText = Field(default="", max_length=10, description="male, female, other or empty")
    unit_code: str | None = Field(
        default="",
        max_length=40,
        pattern=r"^[A-Za-z0-9._-]*$",
        description="A unit below this one; empty or null: this unit",
    )
    role: PlainText = Field(default="", max_length=20, description="member (default) or officer…")
    position_title: PlainText = Field(default="", max_length=120)
    start_date: Date | None = None
    external_id: PlainText = Field(
        default="",
        max_length=64,
        description="Your system's id of this membership: sent again, it finds the membership "
        "(even after a phone changed) and updates its position, occupation and household",
    )
    occupation_group: OccupationCode = Field(default="", description=OCCUPATION_HELP)
    income_group: IncomeCode = Field(default="", description=INCOME_HELP)

    @field_validator("unit_code", mode="after")
    @classmethod
    def _no_null_code(cls, value):
        return value or ""  # a spreadsheet's empty cell often arrives as null


class MemberBulkIn(Schema):
    members: list[MemberBulkItemIn] = Field(min_length=1, max_length=1000)
    consent: Flag = Field(description="The members agreed to be registered")


class InvitationOut(Schema):
    """An invitation as the inviting unit sees it: nothing about the person."""

    id: int
    unit_id: int
    role: str
    status: str
    created_at: datetime


class MembershipEndIn(Schema):
    end_date: Date | None = None
    reason: PlainText = Field(default="", max_length=200)


class ImportOut(Schema):
    id: int
    unit_id: int
    file_name: str
    status: str
    total_rows: int
    valid_rows: int
    error_rows: int
    file_error: str
    people_created: int
    people_matched: int
    memberships_updated: int
    memberships_created: int
    memberships_unchanged: int
    row_errors: list[dict]


class MemberRefIn(Schema):
    """One of these names an active member of the unit or a unit below it (the same answer
    whether the person is absent or a member elsewhere)."""

    membership_id: Id | None = None
    phone: PlainText | None = Field(default=None, max_length=40)
    national_id: PlainText | None = Field(default=None, max_length=20)
    external_id: PlainText | None = Field(default=None, max_length=64)


class PersonNameOut(Schema):
    id: int
    full_name: str

"""API shapes of campaigns: what a province's or a union's software sends and reads."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from suotdoi.core.apitypes import Code, Date, DateTime, Flag, Int, PlainText, Text
from suotdoi.organisations.schemas import MemberRefIn, PersonNameOut

from .models import SessionKind


class CampaignIn(Schema):
    title: PlainText = Field(min_length=1, max_length=250)
    purpose: Text = Field(min_length=1, max_length=4000)
    target_type_codes: list[Code] = Field(
        min_length=1, max_length=30, description="Kinds of unit below the issuer that get a task"
    )
    starts_on: Date
    ends_on: Date
    report_due: Date
    min_sessions: Int = Field(default=1, ge=0, le=100)
    min_attendance_pct: Int = Field(default=0, ge=0, le=100)
    quiz_pass_pct: Int = Field(default=70, ge=0, le=100)
    quiz_required: Flag = False
    quiz_draw: Int = Field(default=0, ge=0, le=500)
    reflection_required: Flag = False


class FiguresOut(Schema):
    """Counts rolled up over tasks (from the counters the actions keep)."""

    tasks: int
    done: int
    reported: int
    sessions: int
    attendees: int
    members: int
    quiz_passed: int = 0
    reflections: int = 0
    attendance_pct: int
    done_pct: int


class CampaignOut(Schema):
    id: int
    issuer_unit_id: int
    parent_id: int | None
    title: str
    purpose: str
    target_type_codes: list[str]
    starts_on: dt.date
    ends_on: dt.date
    report_due: dt.date
    min_sessions: int
    min_attendance_pct: int
    quiz_required: bool
    reflection_required: bool
    status: str
    launched_at: dt.datetime | None

    @staticmethod
    def resolve_issuer_unit_id(obj) -> int:
        return obj.issuer_id


class CampaignDetailOut(CampaignOut):
    figures: FiguresOut = Field(description="Over the trees the caller may see")


class UnitFiguresRowOut(FiguresOut):
    unit_id: int
    unit_name: str
    lagging: bool


class CampaignFiguresOut(Schema):
    campaign_id: int
    focus_unit_id: int | None
    rows: list[UnitFiguresRowOut]


class LaunchOut(Schema):
    campaign_id: int
    tasks: int


class TaskOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    members: int
    sessions_held: int
    attendees: int
    reflections_accepted: int
    quiz_passed: int
    reported_at: dt.datetime | None
    report_note: str
    done: bool

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class ReportIn(Schema):
    note: Text = Field(default="", max_length=4000)


class SessionIn(Schema):
    kind: Literal[tuple(SessionKind.values)]
    title: PlainText = Field(min_length=1, max_length=250)
    starts_at: DateTime
    hours: Decimal = Field(default=Decimal("2"), gt=0, le=12, decimal_places=1)
    place: PlainText = Field(default="", max_length=300)
    agenda: Text = Field(default="", max_length=4000)
    invite_all: Flag = True
    invitees: list[MemberRefIn] = Field(default=[], max_length=1000)


class SessionOut(Schema):
    id: int
    task_id: int
    kind: str
    title: str
    starts_at: dt.datetime
    hours: Decimal
    place: str
    held: bool
    invite_all: bool


class AttendeeIn(MemberRefIn):
    status: Literal["present", "excused"] = "present"


class AttendanceBulkIn(Schema):
    attendees: list[AttendeeIn] = Field(min_length=1, max_length=1000)


class AttendanceBulkOut(Schema):
    done: int = Field(description="Recorded by this request")
    unchanged: int = Field(description="Recorded before (sending again changes nothing)")


class AttendanceOut(Schema):
    id: int
    person: PersonNameOut
    status: str
    method: str
    at: dt.datetime


class QuizResultOut(Schema):
    id: int
    person: PersonNameOut
    score_pct: int
    passed: bool
    attempts: int
    at: dt.datetime


class ReflectionOut(Schema):
    id: int
    person: PersonNameOut
    status: str
    text: str
    comment: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None


class ReviewIn(Schema):
    accept: Flag
    comment: PlainText = Field(default="", max_length=500)

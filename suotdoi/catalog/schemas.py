"""API shapes of the catalogue: what a provider's LMS sends and reads back."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from suotdoi.core.apitypes import DateTime, Flag, Id, Int, PlainText, Text, WebUrl
from suotdoi.organisations.schemas import MemberRefIn, PersonNameOut

from .models import Category, Format, LessonKind, Level, Licence, QuestionKind, ResourceKind


def _choice(choices):
    return Literal[tuple(choices.values)]


CategoryCode = _choice(Category)
FormatCode = _choice(Format)
LevelCode = _choice(Level)
LicenceCode = _choice(Licence)


class ProviderIn(Schema):
    description: Text = Field(default="", max_length=4000)
    website: WebUrl = ""


class ProviderOut(Schema):
    unit_id: int
    description: str
    website: str
    issues_credentials: bool


class CourseIn(Schema):
    title: PlainText = Field(min_length=1, max_length=250)
    summary: Text = Field(min_length=1, max_length=2000)
    category: CategoryCode
    format: FormatCode
    hours: Decimal = Field(ge=Decimal("0.5"), le=2000, max_digits=5, decimal_places=1)
    level: LevelCode = "basic"
    credits: Decimal | None = Field(default=None, ge=0, le=999, max_digits=4, decimal_places=1)
    price: Int = Field(default=0, ge=0, le=1_000_000_000, description="VND")
    audience_unit_id: Id | None = Field(
        default=None, description="Members-only: the provider's unit or one below it"
    )
    language: Literal["vi", "en", "km", "lo", "zh"] = "vi"
    licence: LicenceCode = "all-rights-reserved"
    external_url: WebUrl = ""
    pass_pct: Int = Field(default=70, ge=0, le=100)
    attempts_limit: Int = Field(default=3, ge=0, le=100, description="0: no limit")
    quiz_draw: Int = Field(default=0, ge=0, le=500, description="0: every question")
    tags: list[PlainText] = Field(default=[], max_length=20)


class CourseUpdateIn(Schema):
    """Only the fields sent change."""

    title: PlainText | None = Field(default=None, min_length=1, max_length=250)
    summary: Text | None = Field(default=None, min_length=1, max_length=2000)
    category: CategoryCode | None = None
    format: FormatCode | None = None
    hours: Decimal | None = Field(default=None, ge=Decimal("0.5"), le=2000, decimal_places=1)
    level: LevelCode | None = None
    credits: Decimal | None = Field(default=None, ge=0, le=999, max_digits=4, decimal_places=1)
    price: Int | None = Field(default=None, ge=0, le=1_000_000_000)
    audience_unit_id: Id | None = None
    licence: LicenceCode | None = None
    external_url: WebUrl | None = None
    pass_pct: Int | None = Field(default=None, ge=0, le=100)
    attempts_limit: Int | None = Field(default=None, ge=0, le=100)
    quiz_draw: Int | None = Field(default=None, ge=0, le=500)
    tags: list[PlainText] | None = Field(default=None, max_length=20)


class CourseOut(Schema):
    id: int
    provider_unit_id: int
    title: str
    summary: str
    category: str
    format: str
    level: str
    hours: Decimal
    credits: Decimal | None
    price: int
    audience_unit_id: int | None
    language: str
    licence: str
    external_url: str
    status: str
    published_at: dt.datetime | None
    pass_pct: int
    attempts_limit: int
    quiz_draw: int
    tags: list[str]
    updated_at: dt.datetime

    @staticmethod
    def resolve_provider_unit_id(obj) -> int:
        return obj.provider.unit_id


class CourseStateIn(Schema):
    comment: PlainText = Field(default="", max_length=500)


class ModuleIn(Schema):
    title: PlainText = Field(min_length=1, max_length=250)


class ModuleOut(Schema):
    id: int
    course_id: int
    order: int
    title: str


class LessonIn(Schema):
    """Files are uploaded on the course's page; the API takes text, links and addresses."""

    module_id: Id
    title: PlainText = Field(min_length=1, max_length=250)
    # A package lesson comes only from an uploaded, checked package (suotdoi.packages).
    kind: Literal[tuple(v for v in LessonKind.values if v != LessonKind.PACKAGE)]
    body: Text = Field(default="", max_length=100_000, description="Simple HTML; scripts go")
    url: WebUrl = ""
    minutes: Int = Field(default=10, ge=1, le=600)


class LessonOut(Schema):
    id: int
    module_id: Id
    order: int
    title: str
    kind: str
    url: str
    minutes: int


class ChoiceIn(Schema):
    text: PlainText = Field(min_length=1, max_length=300)
    correct: Flag = False


class QuestionIn(Schema):
    kind: _choice(QuestionKind)
    text: PlainText = Field(min_length=1, max_length=500)
    choices: list[ChoiceIn] = Field(default=[], max_length=8)
    answers: list[PlainText] = Field(
        default=[], max_length=20, description="Accepted answers of a short-answer question"
    )
    feedback: PlainText = Field(default="", max_length=500)


class QuestionOut(Schema):
    id: int
    kind: str
    text: str


class RunIn(Schema):
    starts_at: DateTime
    ends_at: DateTime
    place: PlainText = Field(min_length=1, max_length=300)
    seats: Int = Field(ge=1, le=100_000)


class RunOut(Schema):
    id: int
    course_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    seats: int


class ResourceIn(Schema):
    title: PlainText = Field(min_length=1, max_length=250)
    summary: Text = Field(default="", max_length=2000)
    kind: _choice(ResourceKind)
    category: CategoryCode
    url: WebUrl = Field(min_length=1)
    licence: LicenceCode
    author: PlainText = Field(min_length=1, max_length=200)
    source: PlainText = Field(default="", max_length=300)
    minutes: Int = Field(default=30, ge=1, le=6000)


class ResourceOut(Schema):
    id: int
    title: str
    kind: str
    category: str
    url: str
    licence: str
    author: str
    minutes: int
    published: bool


class EnrolBulkIn(Schema):
    learners: list[MemberRefIn] = Field(min_length=1, max_length=1000)
    run_id: Id | None = Field(default=None, description="Required for an in-person course")


class CompletionBulkIn(Schema):
    learners: list[MemberRefIn] = Field(min_length=1, max_length=1000)


class BulkResultOut(Schema):
    done: int = Field(description="Changed by this request")
    unchanged: int = Field(description="Already so (sending again changes nothing)")
    waitlisted: int = 0


class EnrolmentOut(Schema):
    id: int
    person: PersonNameOut
    run_id: int | None
    status: str
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    lessons_done: int
    best_score: int

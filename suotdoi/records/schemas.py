from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from suotdoi.core.apitypes import Code, Date, Id, PlainText


class EntryOut(Schema):
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date | None
    hours: Decimal
    credits: Decimal | None
    provenance: str
    status: str
    unit_id: int | None
    issued_by: str
    verified_at: datetime | None
    supersedes_id: int | None


class EntryDeclareIn(Schema):
    title: PlainText = Field(min_length=2, max_length=200)
    kind: str = Field(max_length=40)
    start_date: Date
    end_date: Date | None = None
    hours: Decimal = Field(ge=0, le=10000, decimal_places=2)
    unit_id: Id | None = Field(default=None, description="One of the caller's own units")
    tags: list[Code] = Field(default=[], max_length=50)
    evidence_url: PlainText = Field(default="", max_length=500, pattern=r"^(https?://\S+)?$")
    idempotency_key: Code | None = Field(
        default=None, max_length=80, description="Repeat it to make a retried request harmless"
    )


class RejectIn(Schema):
    reason: PlainText = Field(min_length=2, max_length=300)


class MonthFiguresOut(Schema):
    month: int
    entries: int
    hours: Decimal
    verified: Decimal


class UnitFiguresOut(Schema):
    unit_id: int
    year: int
    entries: int
    hours: Decimal
    verified: Decimal
    months: list[MonthFiguresOut]

from datetime import date

from ninja import Schema


class MeOut(Schema):
    id: int
    full_name: str
    phone: str | None
    email: str | None
    date_of_birth: date | None
    language: str


class HealthOut(Schema):
    status: str

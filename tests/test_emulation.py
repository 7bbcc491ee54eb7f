# ruff: noqa: E501 - Vietnamese test data
"""Emulation movements: fair standings (rates per member, size bands), private positions,
opting out, authorisation."""

import datetime as dt
from decimal import Decimal

import pytest

from suotdoi.audit.models import AuditEvent
from suotdoi.organisations.models import Membership, Unit
from suotdoi.recognition import emulation
from suotdoi.recognition.models import Movement, Participation
from suotdoi.records.actions import entry_record

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _hours(actor, person, key, hours):
    entry_record(
        actor=actor, person=person, source_key=key, title="Học", kind="course",
        start_date=TODAY - dt.timedelta(days=2), end_date=TODAY, hours=Decimal(hours),
        provenance="unit_verified",
    )  # fmt: skip


def _movement(people, units, subjects="persons", metric="hours"):
    return emulation.movement_create(
        actor=people["provincial_officer"], unit=units["federation"], title="Thi đua học tập",
        subjects=subjects, metric=metric, starts_on=TODAY - dt.timedelta(days=30), ends_on=TODAY + dt.timedelta(days=30),
    )  # fmt: skip


def test_people_are_ranked_by_their_hours_and_may_stay_private(people, units, client_for):
    m = _movement(people, units)
    chair = people["grassroots_chair"]
    _hours(chair, people["member"], "e1", 10)
    _hours(chair, people["group_leader"], "e2", 30)
    for who in ("member", "group_leader"):
        emulation.movement_join(actor=people[who], movement=m)
    mine = Participation.objects.get(movement=m, person=people["member"])
    emulation.participation_public(actor=people["member"], participation=mine, public=False)
    assert emulation.movement_compute(movement=m) == 2
    ranks = {p.person_id: (p.rank, p.value) for p in Participation.objects.filter(movement=m)}
    assert ranks[people["group_leader"].pk] == (1, Decimal("30")) and ranks[
        people["member"].pk
    ] == (2, Decimal("10"))
    emulation.movement_compute(movement=m)  # idempotent
    assert {
        p.person_id: (p.rank, p.value) for p in Participation.objects.filter(movement=m)
    } == ranks
    page = client_for(people["member"]).get(f"/recognition/movements/{m.pk}/").content.decode()
    assert "2 trên 2" in page or "2 of 2" in page  # her own position, privately
    other = (
        client_for(people["group_leader"]).get(f"/recognition/movements/{m.pk}/").content.decode()
    )
    assert people["member"].full_name not in other  # she left the public standings


def test_units_are_compared_by_rate_within_size_bands_never_by_headcount(people, units):
    m = _movement(people, units, subjects="units")
    grassroots = list(
        Unit.objects.filter(path__startswith=units["federation"].path, unit_type__code="cdcs")
    )
    for u in grassroots:
        emulation.movement_join(actor=people["provincial_officer"], movement=m, unit=u)
    big = units["grassroots"]
    members = list(
        Membership.objects.filter(unit_path__startswith=big.path, end_date__isnull=True)
        .values_list("person", flat=True)
        .distinct()
    )
    from suotdoi.people.models import Person

    for n, pid in enumerate(members):
        _hours(people["grassroots_chair"], Person.objects.get(pk=pid), f"b{n}", 1)
    emulation.movement_compute(movement=m)
    rows = list(Participation.objects.filter(movement=m).select_related("unit"))
    for p in rows:
        assert p.band == emulation.band_of(p.members)
        same = [q for q in rows if q.band == p.band]
        assert p.band_size == len(same)
        assert p.rank == 1 + sum(1 for q in same if q.rate > p.rate)
    top = next(p for p in rows if p.unit_id == big.pk)
    assert top.rate == Decimal("1.00") and top.value == len(members)


def test_bands_are_the_documented_ones():
    assert [emulation.band_of(n) for n in (1, 29, 30, 99, 100, 299, 300, 5000)] == [
        "1–29",
        "1–29",
        "30–99",
        "30–99",
        "100–299",
        "100–299",
        "300+",
        "300+",
    ]


@pytest.mark.parametrize("who", ["foreign_officer", "association_officer"])
def test_outsiders_cannot_see_join_or_compute(people, units, client_for, who):
    m = _movement(people, units)
    c = client_for(people[who])
    before = (AuditEvent.objects.count(), Participation.objects.count())
    assert c.get(f"/recognition/movements/{m.pk}/").status_code == 404
    assert c.post(f"/recognition/movements/{m.pk}/", {"join": "1"}).status_code == 404
    assert c.post(f"/recognition/movements/{m.pk}/", {"compute": "1"}).status_code == 404
    assert c.get(f"/recognition/units/{units['federation'].pk}/movements/new/").status_code == 404
    assert (AuditEvent.objects.count(), Participation.objects.count()) == before
    assert Movement.objects.get(pk=m.pk).computed_at is None


def test_only_the_organiser_refreshes(people, units, client_for):
    m = _movement(people, units)
    emulation.movement_join(actor=people["member"], movement=m)
    assert (
        client_for(people["member"])
        .post(f"/recognition/movements/{m.pk}/", {"compute": "1"})
        .status_code
        == 404
    )
    assert Movement.objects.get(pk=m.pk).computed_at is None
    client_for(people["provincial_officer"]).post(
        f"/recognition/movements/{m.pk}/", {"compute": "1"}
    )
    assert Movement.objects.get(pk=m.pk).computed_at is not None


def test_page_queries_do_not_grow_with_the_standings(people, units, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = _movement(people, units, subjects="units")
    grassroots = list(
        Unit.objects.filter(path__startswith=units["federation"].path, unit_type__code="cdcs")
    )
    c = client_for(people["provincial_officer"])

    def count():
        emulation.movement_compute(movement=m)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/recognition/movements/{m.pk}/").status_code == 200
        return len(ctx.captured_queries)

    for u in grassroots[:2]:
        emulation.movement_join(actor=people["provincial_officer"], movement=m, unit=u)
    c.get(f"/recognition/movements/{m.pk}/")  # the first request marks the session (two-factor)
    few = count()
    for u in grassroots[2:]:
        emulation.movement_join(actor=people["provincial_officer"], movement=m, unit=u)
    assert len(grassroots) > 3 and count() == few

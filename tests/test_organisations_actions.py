import datetime as dt

import pytest

from suotdoi.audit.models import AuditEvent
from suotdoi.core.errors import ApplicationError
from suotdoi.organisations import actions, selectors
from suotdoi.organisations.models import Membership, Unit, UnitEvent, UnitType
from suotdoi.people.models import Person

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def test_unit_codes_are_unique_within_a_tree(units, people):
    t = UnitType.objects.get(code="to-cong-doan")
    with pytest.raises(ApplicationError):
        actions.unit_create(
            actor=people["admin"],
            parent=units["grassroots"],
            name="Tổ mới",
            code="tcd-001-1",
            unit_type=t,
        )
    # the same code in another tree is fine
    u = actions.unit_create(
        actor=people["admin"], parent=units["commune"], name="Tổ mới", code="TCD-001-1", unit_type=t
    )
    assert u.tree_key != units["grassroots"].tree_key


def test_membership_is_idempotent_and_counts_are_kept(units, people):
    g = units["group"]
    before = Unit.objects.get(pk=g.pk).member_count
    p = Person.objects.create_user(full_name="Lý Thị Hoa", phone="+84915222333", password="x")
    m1, c1 = actions.membership_add(actor=people["admin"], unit=g, person=p)
    m2, c2 = actions.membership_add(actor=people["admin"], unit=g, person=p)
    assert (c1, c2) == (True, False) and m1.pk == m2.pk
    assert Unit.objects.get(pk=g.pk).member_count == before + 1
    actions.membership_end(actor=people["admin"], membership=m1, end_date=dt.date.today())
    m1.refresh_from_db()
    assert m1.end_date is not None  # ended, never deleted
    assert Unit.objects.get(pk=g.pk).member_count == before
    # ending twice changes nothing
    actions.membership_end(actor=people["admin"], membership=m1)
    assert Unit.objects.get(pk=g.pk).member_count == before


def test_subtree_count_is_a_sum_of_unit_rows_and_matches_a_scan(units):
    fed = units["federation"]
    scanned = Membership.objects.filter(
        unit__path__startswith=fed.path, end_date__isnull=True
    ).count()
    assert selectors.unit_subtree_member_count(unit=fed) == scanned > 0


def test_move_reparents_the_subtree_and_keeps_history(units, people):
    grassroots = units["grassroots"]
    old_parent = Unit.objects.get_parent(grassroots)
    new_parent = Unit.objects.get(code="CD-YTE")
    if old_parent.pk == new_parent.pk:
        new_parent = Unit.objects.get(code="CD-HOALU")
    actions.unit_move(
        actor=people["admin"], unit=grassroots, new_parent=new_parent, effective_date=DAY
    )
    grassroots.refresh_from_db()
    assert Unit.objects.get_parent(grassroots).pk == new_parent.pk
    group = Unit.objects.get(code="TCD-001-1")
    assert group.path.startswith(grassroots.path)
    # denormalised membership paths follow the move
    assert not Membership.objects.filter(unit=group).exclude(unit_path=group.path).exists()
    assert UnitEvent.objects.filter(unit=grassroots, kind="moved").exists()
    periods = list(grassroots.parent_periods.order_by("id"))
    assert periods[0].parent_id == old_parent.pk and periods[0].valid_to == DAY
    assert periods[-1].parent_id == new_parent.pk


def test_move_cannot_predate_the_current_placement(units, people):
    with pytest.raises(ApplicationError) as exc:
        actions.unit_move(
            actor=people["admin"],
            unit=units["grassroots"],
            new_parent=Unit.objects.get(code="CD-YTE"),
            effective_date=dt.date(2019, 12, 31),
        )
    assert exc.value.code == "before_current_placement"


def test_move_refuses_cycles_and_other_trees(units, people):
    with pytest.raises(ApplicationError):
        actions.unit_move(
            actor=people["admin"],
            unit=units["grassroots"],
            new_parent=units["group"],
            effective_date=DAY,
        )
    with pytest.raises(ApplicationError):
        actions.unit_move(
            actor=people["admin"],
            unit=units["grassroots"],
            new_parent=units["commune"],
            effective_date=DAY,
        )
    with pytest.raises(ApplicationError):
        actions.unit_move(
            actor=people["admin"],
            unit=units["grassroots"],
            new_parent=units["federation"],
            effective_date=dt.date.today() + dt.timedelta(days=3),
        )


def test_merge_moves_members_and_children_and_keeps_old_dates_true(units, people):
    a = units["grassroots"]
    b = Unit.objects.get(code="CDCS-002")
    a_members = set(
        Membership.objects.filter(unit=a, end_date__isnull=True).values_list("person_id", flat=True)
    )
    total_before = selectors.unit_subtree_member_count(unit=units["federation"])
    actions.unit_merge(actor=people["admin"], source=a, target=b, effective_date=DAY)
    a.refresh_from_db()
    assert a.merged_into_id == b.pk and a.active_to == DAY
    assert not Membership.objects.filter(unit=a, end_date__isnull=True).exists()
    # old memberships ended on the effective date: a report for before it still counts them
    assert (
        set(Membership.objects.filter(unit=a, end_date=DAY).values_list("person_id", flat=True))
        == a_members
    )
    assert a_members <= set(
        Membership.objects.filter(unit=b, end_date__isnull=True).values_list("person_id", flat=True)
    )
    assert Unit.objects.get_parent(Unit.objects.get(code="TCD-001-1")).pk == b.pk
    assert selectors.unit_subtree_member_count(unit=units["federation"]) == total_before
    assert AuditEvent.objects.filter(verb="unit.merge").exists()


def test_member_search_is_diacritic_blind(units, people):
    fed = units["federation"]
    for q in ["nguyen thi mai", "NGUYỄN THỊ", "mai", "0912000001"]:
        names = {m.person.full_name for m in selectors.membership_list(unit=fed, query=q)}
        assert "Nguyễn Thị Mai" in names, q
    p = Person.objects.create_user(full_name="Đặng Văn Sơn", phone="+84915333444", password="x")
    actions.membership_add(actor=people["admin"], unit=units["group"], person=p)
    assert [m.person.full_name for m in selectors.membership_list(unit=fed, query="dang van")] == [
        "Đặng Văn Sơn"
    ]


def test_member_list_sorts_by_given_name(units):
    names = [m.person.full_name for m in selectors.membership_list(unit=units["federation"])]
    given = [n.split()[-1] for n in names]
    from suotdoi.core.text import fold

    assert [fold(g) for g in given] == sorted(fold(g) for g in given)


def test_reports_for_a_date_before_a_merge_stay_true(units, people):
    a = units["grassroots"]
    b = Unit.objects.get(code="CDCS-002")
    before = dt.date(2025, 6, 30)
    a_then = selectors.membership_count_at(unit=a, on=before)
    b_then = selectors.membership_count_at(unit=b, on=before)
    actions.unit_merge(actor=people["admin"], source=a, target=b, effective_date=DAY)
    a.refresh_from_db()
    assert selectors.membership_count_at(unit=a, on=before) == a_then
    assert selectors.membership_count_at(unit=b, on=before) == b_then
    assert selectors.membership_count_at(unit=a, on=DAY, include_subtree=False) == 0

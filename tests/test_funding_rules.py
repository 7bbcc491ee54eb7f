"""#20.1: who a fund is for — occupation groups and households as the unit's register records
them (the Excel import, the API, the add form), and a list the officers keep. Credit reaches
only the people the rules name; the list takes only the unit's own members and says which
lines it could not place, without telling an officer about other trees."""

from __future__ import annotations

import datetime as dt

import pytest

from suotdoi.core.errors import ApplicationError
from suotdoi.funding import actions, rules
from suotdoi.funding.models import FundListEntry, LedgerAccount
from suotdoi.organisations.models import Membership
from tests.conftest import xlsx_bytes
from tests.funding_world import fund_for, paid_course

pytestmark = pytest.mark.django_db


def _set(person, unit, **groups):
    Membership.objects.filter(person=person, unit=unit, end_date__isnull=True).update(**groups)


def test_a_fund_for_poor_households_of_two_trades_credits_only_them(people, units):
    chair, g = people["grassroots_chair"], units["grassroots"]
    mai, leader = people["member"], people["group_leader"]
    course = paid_course(people, units)
    fund = fund_for(
        people, units, course, occupation_groups=["8", "7"], income_groups=["poor", "near_poor"]
    )
    assert fund.occupation_groups == ["7", "8"]  # kept sorted, once each
    mai_unit = Membership.objects.filter(person=mai, end_date__isnull=True).first().unit
    leader_unit = Membership.objects.filter(person=leader, end_date__isnull=True).first().unit
    _set(mai, mai_unit, occupation_group="8", income_group="near_poor")
    _set(leader, leader_unit, occupation_group="8", income_group="average")
    assert rules.person_ineligible(fund, mai) is None
    assert "diện hộ" in rules.person_ineligible(fund, leader)
    eligible = set(rules.eligible_people(fund))
    assert mai in eligible and leader not in eligible
    with pytest.raises(ApplicationError):
        actions.grant(actor=chair, fund=fund, person=leader, round_label="2026")
    out = actions.grant_all(actor=chair, fund=fund, round_label="2026")
    assert out["granted"] == len(eligible) >= 1
    assert not LedgerAccount.objects.filter(fund=fund, person=leader).exists()
    words = " ".join(rules.describe(fund))
    assert "Thợ lắp ráp và vận hành máy móc" in words and "Hộ cận nghèo" in words
    with pytest.raises(ApplicationError):  # groups that do not exist are refused
        actions.fund_create(
            actor=chair, unit=g, name="x", per_person=1000, occupation_groups=["11"]
        )


def test_a_list_only_fund_takes_its_list_from_the_page(people, units, client_for):
    chair_p, g = people["grassroots_chair"], units["grassroots"]
    mai, leader = people["member"], people["group_leader"]
    course = paid_course(people, units)
    fund = fund_for(people, units, course, list_only=True)
    chair = client_for(chair_p)
    url = f"/funding/funds/{fund.pk}/"
    assert "danh sách của quỹ" in rules.person_ineligible(fund, mai)
    # A line naming somebody of another tree (the national officer's phone) or nobody at all:
    # the same words, nothing added.
    outsider = people["foreign_officer"]
    r = chair.post(url, {"list_add": "1", "l-people": f"{mai.phone}\n{outsider.phone}\nKHONG-CO"})
    page = r.content.decode()
    assert r.status_code == 200 and "Các dòng 2, 3 không khớp" in page
    assert outsider.full_name not in page
    assert not FundListEntry.objects.exists()
    r = chair.post(url, {"list_add": "1", "l-people": f"{mai.phone}\n\n{mai.phone}"})
    assert r.status_code == 302
    assert list(FundListEntry.objects.values_list("person", flat=True)) == [mai.pk]
    page = chair.get(url).content.decode()
    assert 'id="fund-list"' in page and mai.full_name in page
    out = actions.grant_all(actor=chair_p, fund=fund, round_label="2026")
    assert out["granted"] == 1 and LedgerAccount.objects.get(fund=fund, person=mai)
    with pytest.raises(ApplicationError):
        actions.grant(actor=chair_p, fund=fund, person=leader, round_label="2026")
    # A member cannot touch the list; the chair takes Mai off it.
    assert client_for(mai).post(url, {"list_remove": str(mai.pk)}).status_code == 404
    assert chair.post(url, {"list_remove": str(mai.pk)}).status_code == 302
    assert not FundListEntry.objects.exists()
    from suotdoi.audit.models import AuditEvent

    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"funding.list_add", "funding.list_remove"} <= verbs
    del g


def test_the_register_carries_occupation_and_household(
    people, units, client_for, django_capture_on_commit_callbacks
):
    from suotdoi.organisations.importing import COLUMNS

    chair = client_for(people["grassroots_chair"])
    g = units["grassroots"]
    header = [str(c.header) for c in COLUMNS]
    assert header[-2:] == ["Nhóm nghề (1–9, 0)", "Diện hộ (nghèo, cận nghèo…)"]
    row = [
        "Phạm Văn Hàn",
        "01/02/1985",
        "Nam",
        "0977222001",
        "",
        "",
        "",
        "",
        "",
        "",
        "7",
        "Hộ cận nghèo",
    ]
    bad = ["Phạm Thị Sai", "01/02/1985", "Nữ", "0977222002", "", "", "", "", "", "", "12", "giàu"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.organisations.models import MemberImport

    chair.post(
        f"/units/{g.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes([row, bad]))}
    )
    imp = MemberImport.objects.latest("id")
    assert imp.error_rows == 1
    page = chair.get(f"/units/imports/{imp.pk}/").content.decode()
    assert "không phải một trong 1 đến 9 hoặc 0" in page and "giàu" in page
    chair.post(f"/units/{g.pk}/import/", {"file": SimpleUploadedFile("b.xlsx", xlsx_bytes([row]))})
    imp = MemberImport.objects.latest("id")
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(f"/units/imports/{imp.pk}/confirm/")
    m = Membership.objects.get(person__phone="+84977222001")
    assert (m.occupation_group, m.income_group) == ("7", "near_poor")
    # A later file fills in a change for a membership held before.
    row2 = [*row[:10], "8", "hộ nghèo"]
    chair.post(f"/units/{g.pk}/import/", {"file": SimpleUploadedFile("c.xlsx", xlsx_bytes([row2]))})
    imp = MemberImport.objects.latest("id")
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(f"/units/imports/{imp.pk}/confirm/")
    m.refresh_from_db()
    assert (m.occupation_group, m.income_group) == ("8", "poor")
    # The add form and the API take them too.
    r = chair.post(
        f"/units/{g.pk}/members/add/",
        {"full_name": "Lò Thị Mẩy", "phone": "0977222003", "role": "member",
         "start_date": dt.date.today().strftime("%d/%m/%Y"), "occupation_group": "6",
         "income_group": "poor", "consent": "on"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Membership.objects.get(person__phone="+84977222003")
    assert (m.occupation_group, m.income_group) == ("6", "poor")


def test_a_fund_with_a_list_of_courses_pays_only_for_them(people, units):
    from suotdoi.core.errors import ValidationFailed

    chair, mai = people["grassroots_chair"], people["member"]
    listed = paid_course(people, units, title="Tin học văn phòng")
    other = paid_course(people, units, title="Tiếng Anh giao tiếp")
    fund = actions.fund_create(
        actor=chair, unit=units["grassroots"], name="Quỹ tin học", per_person=1_000_000,
        providers=[listed.provider], courses=[listed],
    )  # fmt: skip
    actions.fund_deposit(actor=chair, fund=fund, amount=5_000_000, key="k")
    assert rules.quote(fund, mai, listed) == listed.price
    with pytest.raises(ValidationFailed, match="danh sách"):
        rules.quote(fund, mai, other)
    assert list(rules.eligible_courses(fund)) == [listed]
    with pytest.raises(ValidationFailed):  # a course of a provider the fund has not vetted
        actions.fund_create(
            actor=chair, unit=units["grassroots"], name="x", per_person=1000, providers=[],
            courses=[listed],
        )  # fmt: skip

# ruff: noqa: E501 - Vietnamese test data
"""Recognition: seeded sets, the assessment workflow and its authorisation, decisions with
credentials, roll-ups, versions and JSON."""

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suotdoi.audit.models import AuditEvent
from suotdoi.core.errors import ApplicationError
from suotdoi.organisations.models import Membership, Unit
from suotdoi.recognition import actions, transfer
from suotdoi.recognition import selectors as recognition_selectors
from suotdoi.recognition.models import (
    Assessment,
    CriteriaSet,
    Decision,
    Holding,
    UnitYearFigure,
)
from suotdoi.records.actions import entry_record

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
CDHT = "cong-dan-hoc-tap"


def test_the_six_sets_are_seeded_with_their_confirmation():
    got = {s.code: s.confirmation for s in CriteriaSet.objects.all()}
    assert got == {
        "cong-dan-hoc-tap": "partly",
        "don-vi-hoc-tap-tinh": "confirmed",
        "lao-dong-tien-tien": "partly",
        "tap-the-lao-dong-tien-tien": "confirmed",
        "gia-dinh-hoc-tap": "example",
        "cong-dong-hoc-tap-xa": "example",
    }
    cdht = CriteriaSet.objects.get(code=CDHT)
    assert cdht.pass_total == 80 and cdht.min_each == 5
    assert sum(i.max_points for i in cdht.indicators.all()) == 100


def _learning(people, hours=40):
    entry_record(
        actor=people["grassroots_chair"], person=people["member"], source_key="t:course",
        title="Bộ luật Lao động", kind="course", start_date=dt.date(YEAR, 1, 5), end_date=dt.date(YEAR, 1, 20),
        hours=Decimal(hours), provenance="unit_verified",
    )  # fmt: skip


def _self_assessed(people, score="9"):
    _learning(people)
    cs = recognition_selectors.current_set(CDHT)
    a = actions.assessment_register(actor=people["member"], criteria_set=cs, year=YEAR)
    values = {i.code: score for i in cs.indicators.all() if not i.computed}
    actions.assessment_self(actor=people["member"], assessment=a, values=values)
    return Assessment.objects.get(pk=a.pk)


def test_record_indicators_fill_themselves_with_their_sources(people):
    a = _self_assessed(people)
    assert a.values["gio"]["computed"] == "40.0" or Decimal(a.values["gio"]["computed"]) == 40
    assert len(a.values["gio"]["sources"]) == 1
    assert Decimal(a.values["khoa"]["computed"]) == 1
    # 5 self-scored indicators × 9 + hours 10 + courses 5 + digital, sessions, quiz 0 = 60
    assert a.total == Decimal("60.0") and not a.passed


def test_the_whole_workflow_to_a_credential_and_a_unit_share(people, units, client_for):
    from suotdoi.credentials.models import Credential

    a = _self_assessed(people, score="10")
    # Sessions 0 and quiz 0 score below 5: the evaluator checks the minutes and adjusts.
    member = client_for(people["member"])
    r = member.post(
        f"/recognition/assessments/{a.pk}/",
        {
            "evidence": "1",
            "indicator": "nn",
            "note": "Chứng chỉ tin học văn phòng",
            "url": "https://example.vn/cc",
        },
    )
    assert r.status_code == 302
    member.post(
        f"/recognition/assessments/{a.pk}/",
        {"submit": "1", **{f"v-{c}": "10" for c in ("kh", "nn", "vd", "cs", "gm")}},
    )
    a.refresh_from_db()
    assert a.status == "submitted"
    chair = client_for(people["grassroots_chair"])
    chair.post(
        f"/recognition/assessments/{a.pk}/review/",
        {
            "adjust": "1",
            "indicator": "sh",
            "value": "8",
            "reason": "Biên bản sinh hoạt tổ công đoàn 4 buổi",
        },
    )
    chair.post(
        f"/recognition/assessments/{a.pk}/review/", {"adjust": "1", "indicator": "kt", "value": "5"}
    )  # no reason
    a.refresh_from_db()
    assert (
        a.values["sh"]["review"] == "8"
        and "kt" not in a.values
        or "review" not in a.values.get("kt", {})
    )
    assert not a.passed  # kt still 0
    chair.post(
        f"/recognition/assessments/{a.pk}/review/",
        {"adjust": "1", "indicator": "kt", "value": "6", "reason": "Đã làm bài kiểm tra trên giấy"},
    )
    chair.post(f"/recognition/assessments/{a.pk}/review/", {"approve": "1"})  # 79: refused
    assert Assessment.objects.get(pk=a.pk).status == "submitted"
    chair.post(
        f"/recognition/assessments/{a.pk}/review/",
        {"adjust": "1", "indicator": "so", "value": "6", "reason": "Dùng dịch vụ công trực tuyến"},
    )
    chair.post(f"/recognition/assessments/{a.pk}/review/", {"approve": "1"})
    a.refresh_from_db()
    assert a.status == "approved" and a.passed and a.total >= 80
    officer = client_for(people["provincial_officer"])
    fed = units["federation"]
    r = officer.post(
        f"/recognition/units/{fed.pk}/decisions/new/",
        {
            "assessment": [a.pk],
            "number": "125/QĐ-LĐLĐ",
            "date": f"{YEAR}-12-20",
            "signer": "Nguyễn Văn A",
            "signer_title": "Chủ tịch",
        },
    )
    d = Decision.objects.get()
    officer.post(f"/recognition/decisions/{d.pk}/", {"publish": "1"})
    h = Holding.objects.get(person=people["member"])
    cred = Credential.objects.get(pk=h.credential_id)
    assert "125/QĐ-LĐLĐ" in json.dumps(cred.document, ensure_ascii=False)
    fig = UnitYearFigure.objects.get(unit=units["grassroots"], title_code=CDHT, year=YEAR)
    assert fig.holders == 1 and fig.members > 1
    # Revoking the decision revokes the credential and the share.
    officer.post(f"/recognition/decisions/{d.pk}/", {"revoke": "1", "reason": "Hồ sơ có sai sót"})
    cred.refresh_from_db()
    assert cred.revoked_at is not None and not Holding.objects.exists()
    assert UnitYearFigure.objects.get(pk=fig.pk).holders == 0


@pytest.mark.parametrize(
    "who", ["member", "foreign_officer", "association_officer", "group_leader"]
)
def test_only_evaluators_of_the_subtree_review_and_nobody_approves_their_own(
    people, client_for, who
):
    a = _self_assessed(people, score="10")
    actions.assessment_submit(actor=people["member"], assessment=a)
    c = client_for(people[who])
    before = (AuditEvent.objects.count(), Assessment.objects.get(pk=a.pk).values)
    for data in (
        {"approve": "1"},
        {"return": "1", "reason": "Sửa lại giúp"},
        {"adjust": "1", "indicator": "kh", "value": "1", "reason": "lý do đủ dài"},
    ):
        assert c.post(f"/recognition/assessments/{a.pk}/review/", data).status_code == 404
    if who != "member":  # the subject may read their own; outsiders may not
        code = c.get(f"/recognition/assessments/{a.pk}/").status_code
        assert code == (200 if who == "group_leader" else 404)
    assert (AuditEvent.objects.count(), Assessment.objects.get(pk=a.pk).values) == before
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_an_evaluator_cannot_approve_their_own_assessment(people):
    cs = recognition_selectors.current_set(CDHT)
    a = actions.assessment_register(actor=people["grassroots_chair"], criteria_set=cs, year=YEAR)
    actions.assessment_submit(actor=people["grassroots_chair"], assessment=a)
    with pytest.raises(ApplicationError):
        actions.assessment_approve(actor=people["grassroots_chair"], assessment=a)


@pytest.mark.parametrize("who", ["foreign_officer", "association_officer", "grassroots_chair"])
def test_decisions_only_by_the_deciding_level(people, units, client_for, who):
    a = _self_assessed(people, score="10")
    a.status = "approved"
    a.save()
    r = client_for(people[who]).post(
        f"/recognition/units/{units['federation'].pk}/decisions/new/",
        {
            "assessment": [a.pk],
            "number": "1/QĐ",
            "date": f"{YEAR}-12-01",
            "signer": "X",
            "signer_title": "Y",
        },
    )
    assert r.status_code == 404 and not Decision.objects.exists()


def test_a_returned_assessment_is_corrected_and_submitted_again(people):
    a = _self_assessed(people)
    actions.assessment_submit(actor=people["member"], assessment=a)
    actions.assessment_return(
        actor=people["grassroots_chair"], assessment=a, reason="Thiếu minh chứng ngoại ngữ"
    )
    a.refresh_from_db()
    assert a.status == "returned"
    actions.assessment_self(actor=people["member"], assessment=a, values={"nn": "10"})
    actions.assessment_submit(actor=people["member"], assessment=a)
    a.refresh_from_db()
    assert a.status == "submitted" and a.values["nn"]["self"] == "10"


def test_versions_coexist_and_assessments_keep_theirs(people):
    admin_user = people["admin"]
    a = _self_assessed(people)
    v1 = a.criteria_set
    v2 = transfer.indicator_edit(
        actor=admin_user,
        criteria_set=v1,
        code="kh",
        text="Có kế hoạch học tập cá nhân",
        max_points="10",
        target="",
    )
    assert v2.version == 2 and v2.code == v1.code
    a.refresh_from_db()
    assert a.criteria_set_id == v1.pk
    assert v1.indicators.get(code="kh").text != "Có kế hoạch học tập cá nhân"
    assert recognition_selectors.current_set(CDHT).pk == v2.pk


def test_json_round_trip_and_bad_files(people):
    admin_user = people["admin"]
    cs = CriteriaSet.objects.get(code="don-vi-hoc-tap-tinh")
    data = transfer.export_set(cs)
    again = transfer.import_set(actor=admin_user, data=json.dumps(data))
    assert again.version == 2 and transfer.export_set(again)["criteria"] == data["criteria"]
    n = CriteriaSet.objects.count()
    for bad in (
        b"{not json",
        b'{"format": "other"}',
        json.dumps({**data, "criteria": []}).encode(),
        json.dumps({**data, "rule_kind": "vibes"}).encode(),
    ):
        with pytest.raises(ApplicationError):
            transfer.import_set(actor=admin_user, data=bad)
    assert CriteriaSet.objects.count() == n


def _holders(people_ids, year=YEAR):
    from suotdoi.recognition.models import CriteriaSet as CS

    unit = Unit.objects.get(code="LDLD-NB")
    d, _ = Decision.objects.get_or_create(
        unit=unit,
        number="T/QĐ",
        defaults={
            "criteria_set": CS.objects.get(code=CDHT, version=1),
            "year": year,
            "date": dt.date(year, 12, 1),
            "signer": "x",
            "signer_title": "y",
            "created_by_id": people_ids[0] if people_ids else Membership.objects.first().person_id,
        },
    )
    Holding.objects.all().delete()
    Holding.objects.bulk_create(
        [
            Holding(title_code=CDHT, year=year, person_id=p, outcome="Đạt", decision=d)
            for p in people_ids
        ]
    )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_rollup_is_idempotent_order_free_and_counts_people_once(units, data):
    fed = units["federation"]
    all_units = list(Unit.objects.filter(path__startswith=fed.path))
    people = sorted(
        set(
            Membership.objects.filter(
                unit_path__startswith=fed.path, end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
    )
    chosen = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=len(people)))
    _holders(chosen or [])
    order = data.draw(st.permutations(all_units))
    actions.rollup_units(title_code=CDHT, year=YEAR, units=list(order))
    first = {f.unit_id: (f.members, f.holders) for f in UnitYearFigure.objects.all()}
    actions.rollup_units(title_code=CDHT, year=YEAR, units=list(reversed(order)))
    actions.rollup_units(
        title_code=CDHT, year=YEAR, units=random.Random(1).sample(all_units, len(all_units) // 2)
    )
    assert {f.unit_id: (f.members, f.holders) for f in UnitYearFigure.objects.all()} == first
    for u in random.Random(2).sample(all_units, min(5, len(all_units))):
        members = set(
            Membership.objects.filter(
                unit_path__startswith=u.path, end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
        assert first[u.pk] == (len(members), len(members & set(chosen)))


def test_the_unit_level_moves_when_enough_members_are_recognised(people, units):
    g = units["grassroots"]
    unit_set = recognition_selectors.current_set("don-vi-hoc-tap-tinh")
    own = actions.assessment_register(
        actor=people["grassroots_chair"], criteria_set=unit_set, year=YEAR, subject_unit=g
    )
    actions.assessment_self(
        actor=people["grassroots_chair"], assessment=own, values={"chiase": "1", "ldtt": "1"}
    )
    members = sorted(
        set(
            Membership.objects.filter(
                unit_path__startswith=g.path, end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
    )
    need = -(-len(members) * 9 // 10)  # 90 %, rounded up
    _holders(members[: need - 1])
    actions.rollup_units(title_code=CDHT, year=YEAR, units=[g])
    assert recognition_selectors.unit_level(unit=g, year=YEAR)[0].level == 0
    _holders(members[:need])
    actions.rollup_units(title_code=CDHT, year=YEAR, units=[g])
    out = recognition_selectors.unit_level(unit=g, year=YEAR)[0]
    assert out.level == 1 and out.label == "Mức 1"


def test_late_self_assessments_are_refused_and_reminders_go_once_a_day(people, units, client_for):
    from suotdoi.notifications.models import Notification

    a = _self_assessed(people)
    fed = units["federation"]
    today = dt.date.today()
    officer = client_for(people["provincial_officer"])
    r = officer.post(
        f"/recognition/units/{fed.pk}/round/",
        {
            "title_code": CDHT,
            "year": YEAR,
            "submit_by": (today + dt.timedelta(days=3)).isoformat(),
            "review_by": (today + dt.timedelta(days=10)).isoformat(),
            "decide_by": (today + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert r.status_code == 302
    assert (
        client_for(people["foreign_officer"])
        .post(
            f"/recognition/units/{fed.pk}/round/",
            {
                "title_code": CDHT,
                "submit_by": "2026-01-01",
                "review_by": "2026-01-02",
                "decide_by": "2026-01-03",
            },
        )
        .status_code
        == 404
    )
    assert actions.remind(today=today) >= 1
    n = Notification.objects.filter(recipient=people["member"], kind="recognition.due").count()
    actions.remind(today=today)
    assert (
        Notification.objects.filter(recipient=people["member"], kind="recognition.due").count()
        == n
        == 1
    )
    from suotdoi.recognition.models import Round

    Round.objects.update(submit_by=today - dt.timedelta(days=1))
    with pytest.raises(ApplicationError):
        actions.assessment_submit(actor=people["member"], assessment=a)
    assert Assessment.objects.get(pk=a.pk).status == "registered"


def test_family_titles_roll_up_to_the_commune_association(people, units):
    from suotdoi.organisations.actions import unit_create
    from suotdoi.organisations.models import UnitType

    officer = people["association_officer"]
    commune = Unit.objects.get(code="HKH-XA-01")
    family_type = UnitType.objects.get(code="gia-dinh")
    families = [
        unit_create(
            actor=people["admin"],
            parent=commune,
            name=f"Gia đình ông Nguyễn Văn {n}",
            code=f"GD-{n}",
            unit_type=family_type,
        )
        for n in range(4)
    ]
    cs = recognition_selectors.current_set("gia-dinh-hoc-tap")
    approved = []
    for f in families[:3]:
        a = actions.assessment_register(actor=officer, criteria_set=cs, year=YEAR, subject_unit=f)
        actions.assessment_self(
            actor=officer,
            assessment=a,
            values={"tre": "30", "nguoilon": "25", "dieukien": "15", "tacdung": "15"},
        )
        actions.assessment_submit(actor=officer, assessment=a)
        approved.append(actions.assessment_approve(actor=officer, assessment=a))
    d = actions.decision_issue(
        actor=officer,
        unit=units["association"],
        assessments=approved,
        number="12/QĐ-KH",
        date=dt.date(YEAR, 12, 30),
        signer="Hoàng Văn C",
        signer_title="Chủ tịch Hội",
    )
    actions.decision_publish(actor=officer, decision=d)
    fig = UnitYearFigure.objects.get(unit=commune, title_code="gia-dinh-hoc-tap", year=YEAR)
    assert (fig.holders, fig.members, fig.share_pct) == (3, 4, Decimal("75.0"))
    village_set = recognition_selectors.current_set("cong-dong-hoc-tap-xa")
    ca = actions.assessment_register(
        actor=officer, criteria_set=village_set, year=YEAR, subject_unit=commune
    )
    assert Decimal(ca.values["gdht"]["computed"]) == Decimal("75.0")


def test_an_admin_builds_a_set_in_the_page_and_only_an_admin(people, client_for):
    cs = CriteriaSet.objects.get(code="lao-dong-tien-tien")
    admin = client_for(people["admin"])
    url = f"/recognition/sets/{cs.pk}/"
    admin.post(
        url,
        {
            "add": "1",
            "criterion": "Điều kiện",
            "code": "sk",
            "text": "Tham gia hoạt động sáng kiến",
            "measure": "yes_no",
            "max_points": "10",
            "target": "0",
            "level": "1",
        },
    )
    admin.post(
        url,
        {
            "add": "1",
            "criterion": "Học tập",
            "code": "gio",
            "text": "Số giờ học",
            "measure": "record",
            "metric": "hours",
            "max_points": "10",
            "target": "20",
            "level": "1",
        },
    )
    admin.post(
        url,
        {
            "add": "1",
            "criterion": "Học tập",
            "code": "gio",
            "text": "Trùng mã",
            "measure": "points",
        },
    )  # duplicate code: refused
    admin.post(
        url,
        {
            "add": "1",
            "criterion": "Học tập",
            "code": "x",
            "text": "Thiếu số liệu",
            "measure": "record",
            "metric": "nonsense",
        },
    )
    cs.refresh_from_db()
    codes = list(cs.indicators.values_list("code", flat=True))
    assert "sk" in codes and "gio" in codes and "x" not in codes and codes.count("gio") == 1
    assert cs.version == 1  # nobody used it yet: edited in place
    admin.post(url, {"remove": "1", "code": "sk"})
    assert not cs.indicators.filter(code="sk").exists()
    for who in ("provincial_officer", "member"):
        before = cs.indicators.count()
        assert (
            client_for(people[who])
            .post(
                url,
                {
                    "add": "1",
                    "criterion": "X",
                    "code": "y",
                    "text": "Không được",
                    "measure": "points",
                },
            )
            .status_code
            == 404
        )
        assert cs.indicators.count() == before


def test_a_new_title_is_built_from_a_copy(people, client_for):
    cs = CriteriaSet.objects.get(code="lao-dong-tien-tien")
    admin = client_for(people["admin"])
    admin.post(
        f"/recognition/sets/{cs.pk}/",
        {
            "copy": "1",
            "new_code": "doan-vien-xuat-sac",
            "new_title": "Đoàn viên công đoàn xuất sắc",
        },
    )
    new = CriteriaSet.objects.get(code="doan-vien-xuat-sac")
    assert (
        new.title == "Đoàn viên công đoàn xuất sắc"
        and new.confirmation == "example"
        and new.indicators.count() == cs.indicators.count()
    )
    admin.post(
        f"/recognition/sets/{cs.pk}/",
        {"copy": "1", "new_code": "doan-vien-xuat-sac", "new_title": "Trùng"},
    )
    assert CriteriaSet.objects.filter(code="doan-vien-xuat-sac").count() == 1


def test_an_evaluator_of_another_union_cannot_review(people, units, client_for):
    from suotdoi.organisations.actions import unit_create
    from suotdoi.organisations.models import UnitType

    a = _self_assessed(people, score="10")
    actions.assessment_submit(actor=people["member"], assessment=a)
    other = unit_create(
        actor=people["admin"],
        parent=Unit.objects.get_parent(units["grassroots"]),
        name="Công đoàn cơ sở khác",
        code="CDCS-KHAC",
        unit_type=UnitType.objects.get(code="cdcs"),
    )
    Membership.objects.create(
        person=people["commune_officer"],
        unit=other,
        unit_path=other.path,
        role="evaluator",
        person_name_sort=people["commune_officer"].name_sort,
        start_date=dt.date(2025, 1, 1),
    )
    c = client_for(people["commune_officer"])
    assert c.get(f"/recognition/assessments/{a.pk}/").status_code == 404
    assert c.post(f"/recognition/assessments/{a.pk}/review/", {"approve": "1"}).status_code == 404
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_the_titles_page_queries_do_not_grow_with_the_review_queue(people, units, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cs = recognition_selectors.current_set(CDHT)
    chair = client_for(people["grassroots_chair"])
    members = [
        m.person
        for m in Membership.objects.filter(
            unit_path__startswith=units["grassroots"].path, end_date__isnull=True
        )
        .exclude(person=people["grassroots_chair"])
        .select_related("person")
    ]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert chair.get("/recognition/").status_code == 200
        return len(ctx.captured_queries)

    def submit(person):
        a = actions.assessment_register(actor=person, criteria_set=cs, year=YEAR)
        actions.assessment_submit(actor=person, assessment=a)

    submit(members[0])
    chair.get("/recognition/")  # the first request marks the officer's session (two-factor)
    few = count()
    for p in members[1:6]:
        submit(p)
    assert count() == few

"""#19.2: campaigns through the API — a province launches one, its grassroots unions' software
schedules a session, records attendance in bulk (replays change nothing), reports; the
dashboard's figures follow; other trees and weak tokens get 404 and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from suotdoi.api.tokens import token_create
from suotdoi.campaigns.models import Attendance, Campaign, Task
from suotdoi.organisations.models import Membership, Unit
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db

ALL = ["view", "view_members", "manage_members"]


def _token(people, units, who, unit, caps=ALL):
    _row, secret = token_create(
        actor=people[who],
        unit=units[unit],
        kind="personal",
        name="Phần mềm quản lý phong trào",
        capabilities=caps,
        days=1,
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(c, url, body=None):
    return c.post(url, body or {}, content_type="application/json")


def _campaign(province, units):
    today = timezone.localdate()
    body = {
        "title": "Học tập Nghị quyết Đại hội Công đoàn",
        "purpose": "Mỗi công đoàn cơ sở tổ chức ít nhất một buổi sinh hoạt.",
        "target_type_codes": ["cdcs"],
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=60)).isoformat(),
        "report_due": (today + dt.timedelta(days=70)).isoformat(),
        "min_sessions": 1,
        "min_attendance_pct": 0,
    }
    r = _post(province, f"/api/v1/units/{units['federation'].pk}/campaigns", body)
    assert r.status_code == 201, r.content
    return r.json()


def test_a_province_launches_and_a_union_records_attendance(people, units):
    province = _token(people, units, "provincial_officer", "federation")
    union = _token(people, units, "grassroots_chair", "grassroots")
    campaign = _campaign(province, units)
    assert campaign["status"] == "draft"
    r = _post(province, f"/api/v1/campaigns/{campaign['id']}/launch")
    assert r.status_code == 200 and r.json()["tasks"] >= 1, r.content
    assert _post(province, f"/api/v1/campaigns/{campaign['id']}/launch").status_code == 409
    # The union sees its own task only; the province sees every task.
    mine = union.get(f"/api/v1/campaigns/{campaign['id']}/tasks")
    assert mine.status_code == 404  # the campaign is the province's: the union reads its task
    task = Task.objects.get(campaign_id=campaign["id"], unit=units["grassroots"])
    given = union.get(f"/api/v1/units/{units['grassroots'].pk}/tasks").json()["results"]
    assert [t["id"] for t in given] == [task.pk]
    all_tasks = province.get(f"/api/v1/campaigns/{campaign['id']}/tasks?page_size=500").json()
    assert task.pk in {t["id"] for t in all_tasks["results"]}
    assert union.get(f"/api/v1/tasks/{task.pk}").json()["unit_id"] == units["grassroots"].pk
    # A session that started an hour ago; attendance by phone and membership id.
    starts = timezone.now() - dt.timedelta(hours=1)
    r = _post(
        union,
        f"/api/v1/tasks/{task.pk}/sessions",
        {"kind": "thematic", "title": "Sinh hoạt chuyên đề", "starts_at": starts.isoformat(),
         "hours": "2", "place": "Nhà văn hoá công ty"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    session = r.json()
    members = list(
        Membership.objects.filter(
            unit_path__startswith=units["grassroots"].path, end_date__isnull=True
        )
        .select_related("person")
        .order_by("pk")[:3]
    )
    assert len(members) == 3
    attendees = [{"membership_id": m.pk} for m in members[:2]]
    attendees.append({"membership_id": members[2].pk, "status": "excused"})
    url = f"/api/v1/sessions/{session['id']}/attendance"
    r = _post(union, url, {"attendees": attendees})
    assert r.json() == {"done": 3, "unchanged": 0}, r.content
    r = _post(union, url, {"attendees": attendees})
    assert r.json() == {"done": 0, "unchanged": 3}
    assert Attendance.objects.filter(session_id=session["id"]).count() == 3
    # Those present have it in their record, once.
    keys = LearningEntry.objects.filter(
        person__in=[m.person for m in members[:2]], title="Sinh hoạt chuyên đề"
    )
    assert keys.count() == 2
    listed = union.get(url).json()["results"]
    assert {a["status"] for a in listed} == {"present", "excused"}
    # The report, then the province's dashboard shows it.
    r = _post(union, f"/api/v1/tasks/{task.pk}/report", {"note": "Đã tổ chức 1 buổi."})
    assert r.status_code == 200 and r.json()["reported_at"] and r.json()["done"]
    detail = province.get(f"/api/v1/campaigns/{campaign['id']}").json()
    assert detail["figures"]["reported"] >= 1 and detail["figures"]["sessions"] >= 1
    figures = province.get(f"/api/v1/campaigns/{campaign['id']}/figures").json()
    assert sum(r["reported"] for r in figures["rows"]) == detail["figures"]["reported"]
    drill = province.get(
        f"/api/v1/campaigns/{campaign['id']}/figures?focus={Unit.objects.get_parent(units['grassroots']).pk}"
    )
    assert drill.status_code == 200
    assert units["grassroots"].pk in {r["unit_id"] for r in drill.json()["rows"]}


def test_attendance_is_all_or_none_and_never_before_the_start(people, units):
    province = _token(people, units, "provincial_officer", "federation")
    union = _token(people, units, "grassroots_chair", "grassroots")
    campaign = _campaign(province, units)
    _post(province, f"/api/v1/campaigns/{campaign['id']}/launch")
    task = Task.objects.get(campaign_id=campaign["id"], unit=units["grassroots"])
    later = timezone.now() + dt.timedelta(days=2)
    s = _post(
        union,
        f"/api/v1/tasks/{task.pk}/sessions",
        {"kind": "talk", "title": "Tọa đàm", "starts_at": later.isoformat()},
    ).json()
    m = Membership.objects.filter(
        unit_path__startswith=units["grassroots"].path, end_date__isnull=True
    ).first()
    url = f"/api/v1/sessions/{s['id']}/attendance"
    r = _post(union, url, {"attendees": [{"membership_id": m.pk}]})
    assert r.status_code == 422 and Attendance.objects.filter(session_id=s["id"]).count() == 0
    # A started session; one unknown attendee spoils the batch.
    started = _post(
        union,
        f"/api/v1/tasks/{task.pk}/sessions",
        {"kind": "talk", "title": "Tọa đàm 2", "starts_at": timezone.now().isoformat()},
    ).json()
    foreign = units["foreign_federation"]
    stranger = Membership.objects.filter(unit_path__startswith=foreign.path).first()
    r = _post(
        union,
        f"/api/v1/sessions/{started['id']}/attendance",
        {"attendees": [{"membership_id": m.pk}, {"membership_id": stranger.pk}]},
    )
    assert r.status_code == 422 and r.json()["errors"] == [{"item": 1}]
    assert Attendance.objects.filter(session_id=started["id"]).count() == 0
    # Bad campaign data is refused with the page's rules.
    today = timezone.localdate()
    bad = {
        "title": "x",
        "purpose": "y",
        "target_type_codes": ["cdcs"],
        "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        "report_due": today.isoformat(),
    }
    n = Campaign.objects.count()
    for body in (bad, {**bad, "ends_on": today.isoformat(), "target_type_codes": ["nope"]},
                 {**bad, "target_type_codes": ["a\x00"]}):  # fmt: skip
        r = _post(province, f"/api/v1/units/{units['federation'].pk}/campaigns", body)
        assert r.status_code == 422, (body, r.content)
    assert Campaign.objects.count() == n


def test_other_trees_and_weak_tokens_reach_nothing(people, units):
    province = _token(people, units, "provincial_officer", "federation")
    campaign = _campaign(province, units)
    _post(province, f"/api/v1/campaigns/{campaign['id']}/launch")
    task = Task.objects.get(campaign_id=campaign["id"], unit=units["grassroots"])
    foreign = _token(people, units, "foreign_officer", "foreign_federation")
    reader = _token(people, units, "grassroots_chair", "grassroots", caps=["view"])
    for c in (foreign, reader):
        assert _post(c, f"/api/v1/tasks/{task.pk}/report", {"note": "x"}).status_code == 404
        r = _post(
            c,
            f"/api/v1/tasks/{task.pk}/sessions",
            {"kind": "talk", "title": "x", "starts_at": timezone.now().isoformat()},
        )
        assert r.status_code == 404
        assert c.get(f"/api/v1/tasks/{task.pk}/quiz-results").status_code == 404
    assert foreign.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert foreign.get(f"/api/v1/campaigns/{campaign['id']}").status_code == 404
    assert reader.get(f"/api/v1/tasks/{task.pk}").status_code == 200  # view is enough to read
    task.refresh_from_db()
    assert task.reported_at is None and task.sessions.count() == 0

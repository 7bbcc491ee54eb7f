"""#19.2: the catalogue through the API — a provider's LMS creates a course with its content and
a run, publishes it, enrols members in bulk and reports completions; replays change nothing;
other trees and weak tokens get 404; bad input is a 422 that saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from suotdoi.api.tokens import token_create
from suotdoi.audit.models import AuditEvent
from suotdoi.catalog.models import Course, Enrolment
from suotdoi.organisations.models import Membership
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db

CAPS = ["view", "view_members", "manage_members", "manage_units"]


def _token(people, units, who="grassroots_chair", unit="grassroots", caps=CAPS):
    _row, secret = token_create(
        actor=people[who],
        unit=units[unit],
        kind="personal",
        name="LMS",
        capabilities=caps,
        days=1,
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(c, url, body, **headers):
    return c.post(url, body, content_type="application/json", headers=headers)


COURSE = {
    "title": "An toàn lao động ngành may",
    "summary": "Nhận biết nguy cơ, sơ cứu ban đầu.",
    "category": "safety",
    "format": "in_person",
    "hours": "8",
    "credits": "0.5",
    "tags": ["an toàn", "sơ cứu"],
}


def _members(c, unit, n=5, prefix="0955"):
    r = _post(
        c,
        f"/api/v1/units/{unit.pk}/memberships/bulk",
        {
            "members": [
                {
                    "full_name": f"Phạm Văn {chr(65 + i)}",
                    "phone": f"{prefix}{i:06d}",
                    "external_id": f"NV-{i:04d}",
                }
                for i in range(n)
            ],
            "consent": True,
        },
    )
    assert r.status_code == 200, r.content
    return [f"{prefix}{i:06d}" for i in range(n)]


def _published_course(c, unit):
    r = c.put(
        f"/api/v1/providers/{unit.pk}",
        {"website": "https://hoalu.vn"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["website"] == "https://hoalu.vn", r.content
    r = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE)
    assert r.status_code == 201, r.content
    course = r.json()
    assert course["status"] == "draft" and course["tags"] == ["an toàn", "sơ cứu"]
    start = timezone.now() + dt.timedelta(days=3)
    r = _post(
        c,
        f"/api/v1/courses/{course['id']}/runs",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=8)).isoformat(),
            "place": "Hội trường công ty",
            "seats": 3,
        },
    )
    assert r.status_code == 201, r.content
    run = r.json()
    assert _post(c, f"/api/v1/courses/{course['id']}/submit", {}).json()["status"] == "review"
    assert _post(c, f"/api/v1/courses/{course['id']}/publish", {}).json()["status"] == "published"
    return course, run


def test_a_provider_lms_runs_a_course_end_to_end(people, units):
    unit = units["grassroots"]
    c = _token(people, units)
    phones = _members(c, unit, n=5)
    course, run = _published_course(c, unit)
    url = f"/api/v1/courses/{course['id']}/enrolments/bulk"
    learners = [{"phone": p} for p in phones[:4]]
    r = _post(c, url, {"run_id": run["id"], "learners": learners})
    assert r.json() == {"done": 3, "unchanged": 0, "waitlisted": 1}, r.content  # 3 seats
    again = _post(c, url, {"run_id": run["id"], "learners": learners})
    assert again.json() == {"done": 0, "unchanged": 4, "waitlisted": 0}
    listed = c.get(f"/api/v1/courses/{course['id']}/enrolments?page_size=2").json()
    assert len(listed["results"]) == 2 and listed["next"]
    rest = c.get(listed["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    # Completions of the three with a seat, by phone, CCCD-less; then the same again.
    done = [{"phone": p} for p in phones[:3]]
    r = _post(c, f"/api/v1/courses/{course['id']}/completions", {"learners": done})
    assert r.json() == {"done": 3, "unchanged": 0, "waitlisted": 0}, r.content
    r = _post(c, f"/api/v1/courses/{course['id']}/completions", {"learners": done})
    assert r.json() == {"done": 0, "unchanged": 3, "waitlisted": 0}
    entries = LearningEntry.objects.filter(source_key__startswith=f"catalog:{course['id']}:")
    assert entries.count() == 3 and {e.hours for e in entries} == {8}
    # Who did it is in the audit log, on the learners' behalf.
    ev = AuditEvent.objects.filter(verb="catalog.enrol").latest("pk")
    assert ev.actor_id == people["grassroots_chair"].pk and ev.on_behalf_of_id is not None


def test_waitlisted_or_unknown_learners_make_the_whole_request_fail(people, units):
    unit = units["grassroots"]
    c = _token(people, units)
    phones = _members(c, unit, n=4, prefix="0956")
    course, run = _published_course(c, unit)
    _post(
        c,
        f"/api/v1/courses/{course['id']}/enrolments/bulk",
        {"run_id": run["id"], "learners": [{"phone": p} for p in phones]},
    )
    before = LearningEntry.objects.count()
    # The fourth is on the waiting list: nobody is completed.
    r = _post(
        c,
        f"/api/v1/courses/{course['id']}/completions",
        {"learners": [{"phone": p} for p in phones]},
    )
    assert r.status_code == 422 and r.json()["errors"] == [{"item": 3}]
    assert LearningEntry.objects.count() == before
    # A member of another tree, by CCCD or phone, reads exactly like nobody at all.
    foreign = Membership.objects.filter(unit__path__startswith=units["foreign_federation"].path)
    foreign_phone = foreign.exclude(person__phone=None).first().person.phone
    words = set()
    for ref in (
        {"phone": foreign_phone},
        {"phone": "0999999999"},
        {"membership_id": 10**9},
        {"national_id": "001099000001"},
        {"phone": "0956000000", "membership_id": 1},
        {},
    ):
        r = _post(
            c,
            f"/api/v1/courses/{course['id']}/enrolments/bulk",
            {"run_id": run["id"], "learners": [{"phone": phones[0]}, ref]},
        )
        assert r.status_code == 422, (ref, r.content)
        assert r.json()["errors"] == [{"item": 1}]
        words.add(r.json()["title"])
    assert len(words) == 1  # the same words whoever the item names
    assert Enrolment.objects.filter(course_id=course["id"]).count() == 4


def test_courses_are_checked_like_the_page_and_held_to_the_provider(people, units):
    unit = units["grassroots"]
    c = _token(people, units)
    url = f"/api/v1/providers/{unit.pk}/courses"
    assert _post(c, url, COURSE).status_code == 409  # not a provider yet
    c.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    bad = [
        {**COURSE, "hours": "0"},
        {**COURSE, "hours": "99999"},
        {**COURSE, "category": "nope"},
        {**COURSE, "title": "<script>x</script>"},
        {**COURSE, "title": "a\x00b"},
        {**COURSE, "external_url": "javascript:alert(1)"},
        {**COURSE, "pass_pct": 101},
        {**COURSE, "audience_unit_id": units["foreign_federation"].pk},
        {**COURSE, "audience_unit_id": units["federation"].pk},  # above the provider
    ]
    n = Course.objects.count()
    for body in bad:
        r = _post(c, url, body)
        assert r.status_code == 422, (body, r.content)
    assert Course.objects.count() == n
    r = _post(c, url, {**COURSE, "audience_unit_id": units["group"].pk, "format": "online"})
    assert r.status_code == 201
    cid = r.json()["id"]
    # Online without lessons cannot be handed in; with a module and a lesson it can.
    assert _post(c, f"/api/v1/courses/{cid}/submit", {}).status_code == 422
    m = _post(c, f"/api/v1/courses/{cid}/modules", {"title": "Phần 1"}).json()
    r = _post(
        c,
        f"/api/v1/courses/{cid}/lessons",
        {
            "module_id": m["id"],
            "title": "Bài 1",
            "kind": "text",
            "body": "<p>Đeo khẩu trang</p><script>alert(1)</script>",
        },
    )
    assert r.status_code == 201
    from suotdoi.catalog.models import Lesson

    assert "<script>" not in Lesson.objects.get(pk=r.json()["id"]).body
    q = {
        "kind": "single",
        "text": "Khi nào đeo?",
        "choices": [{"text": "Luôn", "correct": True}, {"text": "Không bao giờ"}],
    }
    assert _post(c, f"/api/v1/courses/{cid}/questions", q).status_code == 201
    assert _post(c, f"/api/v1/courses/{cid}/submit", {}).json()["status"] == "review"
    # PATCH changes only what was sent.
    r = c.patch(f"/api/v1/courses/{cid}", {"hours": "4.5"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["hours"] == "4.5" and r.json()["title"]
    r = c.patch(f"/api/v1/courses/{cid}", {"title": None}, content_type="application/json")
    assert r.status_code == 422
    # A lesson into another course's module is refused.
    other = _post(c, url, COURSE).json()
    r = _post(
        c,
        f"/api/v1/courses/{other['id']}/lessons",
        {"module_id": m["id"], "title": "x", "kind": "link", "url": "https://a.vn"},
    )
    assert r.status_code == 422


def test_other_trees_and_weak_tokens_see_nothing(people, units):
    unit = units["grassroots"]
    c = _token(people, units)
    course, _run = _published_course(c, unit)
    draft = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE).json()
    foreign = _token(
        people,
        units,
        who="foreign_officer",
        unit="foreign_federation",
        caps=["view", "view_members", "manage_members", "manage_units"],
    )
    # Only publishing needs manage_units: a token without it can edit but not publish.
    r = foreign.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    assert r.status_code == 404
    editor = _token(people, units, caps=["view", "manage_members"])
    reader = _token(people, units, caps=["view"])
    assert foreign.get(f"/api/v1/courses/{draft['id']}").status_code == 404
    assert foreign.get(f"/api/v1/courses/{course['id']}").status_code == 200  # published
    for client in (foreign, reader):
        assert client.get(f"/api/v1/providers/{unit.pk}/courses").status_code == 404
        assert client.get(f"/api/v1/courses/{course['id']}/enrolments").status_code == 404
        r = _post(
            client,
            f"/api/v1/courses/{course['id']}/completions",
            {"learners": [{"membership_id": 1}]},
        )
        assert r.status_code == 404
    assert _post(editor, f"/api/v1/courses/{draft['id']}/submit", {}).status_code == 422
    assert _post(editor, f"/api/v1/courses/{draft['id']}/publish", {}).status_code == 404
    assert Course.objects.get(pk=draft["id"]).status == "draft"


def test_a_bad_cursor_is_a_422(people, units):
    c = _token(people, units)
    url = f"/api/v1/providers/{units['grassroots'].pk}/courses"
    c.put(f"/api/v1/providers/{units['grassroots'].pk}", {}, content_type="application/json")
    import base64

    for cursor in (
        "!!",
        base64.b64encode(b"p=abc").decode(),
        base64.b64encode(b"p=1\x00").decode(),
        base64.b64encode(b"o=-1").decode(),
        base64.b64encode(b"p=" + b"9" * 40).decode(),
        "A" * 300,
    ):
        r = c.get(url, {"cursor": cursor})
        assert r.status_code == 422, (cursor, r.content)


def test_nulls_and_huge_ids_are_422_not_server_errors(people, units):
    """Found by schemathesis: a PATCH with null in a required field, a decision naming an id
    beyond what SQLite can hold."""
    c = _token(people, units)
    unit = units["grassroots"]
    c.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    cid = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE).json()["id"]
    for field in ("attempts_limit", "pass_pct", "quiz_draw", "tags", "external_url", "title"):
        r = c.patch(f"/api/v1/courses/{cid}", {field: None}, content_type="application/json")
        assert r.status_code == 422, (field, r.content)
    r = c.patch(f"/api/v1/courses/{cid}", {"credits": None}, content_type="application/json")
    assert r.status_code == 200
    huge = [2**64, 36893488147419103233, -5, 0]
    for value in huge:
        r = _post(
            c, f"/api/v1/courses/{cid}/enrolments/bulk", {"learners": [{"membership_id": value}]}
        )
        assert r.status_code == 422, (value, r.content)
        body = {"assessment_ids": [value], "number": "1", "date": "2026-01-01", "signer": "A"}
        r = _post(c, f"/api/v1/units/{unit.pk}/decisions", body)
        assert r.status_code in (404, 422), (value, r.content)


def test_a_bare_number_is_not_a_date(people, units):
    """Found by schemathesis: `"starts_at": 0` was read as 1 January 1970."""
    c = _token(people, units)
    unit = units["grassroots"]
    c.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    cid = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE).json()["id"]
    url = f"/api/v1/courses/{cid}/runs"
    body = {"starts_at": 0, "ends_at": "2030-01-01T08:00:00Z", "place": "Hội trường", "seats": 5}
    assert _post(c, url, body).status_code == 422
    assert _post(c, url, {**body, "starts_at": "2030-01-01T07:00:00Z"}).status_code == 201
    r = _post(
        c,
        f"/api/v1/units/{unit.pk}/memberships",
        {
            "full_name": "Lê Văn Số",
            "phone": "0912000555",
            "start_date": 1700000000,
            "consent": True,
        },
    )
    assert r.status_code == 422


def test_numbers_and_yes_no_are_json_types_only(people, units):
    """Found by schemathesis: `"correct": 0` was read as false. A JSON body's numbers and
    true/false are taken as the document says, not guessed from other types."""
    c = _token(people, units)
    unit = units["grassroots"]
    c.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    cid = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE).json()["id"]
    q = {"kind": "single", "text": "Đúng không?", "choices": [{"text": "Có", "correct": 0}]}
    assert _post(c, f"/api/v1/courses/{cid}/questions", q).status_code == 422
    run = {
        "starts_at": "2030-01-01T07:00:00Z",
        "ends_at": "2030-01-01T08:00:00Z",
        "place": "Hội trường",
        "seats": "5",
    }
    assert _post(c, f"/api/v1/courses/{cid}/runs", run).status_code == 422
    assert _post(c, f"/api/v1/courses/{cid}/runs", {**run, "seats": 5}).status_code == 201
    bulk = {"learners": [{"membership_id": "12"}]}
    assert _post(c, f"/api/v1/courses/{cid}/enrolments/bulk", bulk).status_code == 422


def test_a_time_zone_off_the_earth_is_a_422(people, units):
    """Found by schemathesis on PostgreSQL: "+17:09" reached the database (a server error)."""
    c = _token(people, units)
    unit = units["grassroots"]
    c.put(f"/api/v1/providers/{unit.pk}", {}, content_type="application/json")
    cid = _post(c, f"/api/v1/providers/{unit.pk}/courses", COURSE).json()["id"]
    run = {
        "starts_at": "2030-01-01T07:00:00+17:09",
        "ends_at": "2030-01-01T18:00:00+07:00",
        "place": "Hội trường",
        "seats": 5,
    }
    assert _post(c, f"/api/v1/courses/{cid}/runs", run).status_code == 422
    ok = {**run, "starts_at": "2030-01-01T07:00:00+14:00"}
    assert _post(c, f"/api/v1/courses/{cid}/runs", ok).status_code == 201

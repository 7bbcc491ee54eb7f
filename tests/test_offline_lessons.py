"""A course studied on a phone without signal (#27): the bundle the phone keeps, and the
lessons and quiz answers it sends later — once each, with conflicts settled and told."""

import json

import pytest

from suotdoi.catalog import actions
from suotdoi.catalog.models import Enrolment, QuizAttempt
from suotdoi.records.models import LearningEntry

from .catalog_helpers import online_course, provider_of, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(people, units):
    course = published(people, online_course(people, provider_of(people, units)))
    e = actions.enrol(person=people["member"], course=course)
    return course, e


def _right_answers(bundle):
    from suotdoi.catalog.models import Question

    out = {}
    for q in bundle["quiz"]["questions"]:
        question = Question.objects.get(pk=q["id"])
        out[str(q["id"])] = next(i for i, c in enumerate(question.choices) if c["correct"])
    return out


def _send(client, course, op):
    return client.post(
        f"/catalog/courses/{course.pk}/offline/send/",
        json.dumps(op),
        content_type="application/json",
    )


def test_the_bundle_holds_the_lessons_and_a_quiz_without_its_answers(client_for, people, enrolled):
    course, _e = enrolled
    r = client_for(people["member"]).get(f"/catalog/courses/{course.pk}/offline.json")
    assert r.status_code == 200 and r["Cache-Control"].startswith("private")
    b = r.json()
    assert [x["title"] for x in b["lessons"]] == ["Mật khẩu mạnh", "Nhận biết lừa đảo"]
    assert b["quiz"]["attempt"] == 0 and len(b["quiz"]["questions"]) == 2
    assert "correct" not in r.content.decode()
    page = client_for(people["member"]).get(f"/catalog/courses/{course.pk}/offline/")
    assert page.status_code == 200 and b'id="reader"' in page.content


def test_outsiders_get_nothing(client_for, people, enrolled):
    course, _e = enrolled
    for who in ["foreign_officer", "group_leader", None]:
        c = client_for(people[who] if who else None)
        for url in [
            f"/catalog/courses/{course.pk}/offline.json",
            f"/catalog/courses/{course.pk}/offline/",
        ]:
            assert c.get(url).status_code in (302, 404)
        r = _send(c, course, {"kind": "lesson", "lesson": course.lessons.first().pk})
        assert r.status_code in (302, 404)
    assert not LearningEntry.objects.filter(source_key__startswith="course").exists()


def test_lessons_and_answers_sent_later_count_once_and_complete_the_course(
    client_for, people, enrolled
):
    course, e = enrolled
    member = client_for(people["member"])
    bundle = member.get(f"/catalog/courses/{course.pk}/offline.json").json()
    ops = [{"kind": "lesson", "lesson": x["id"]} for x in bundle["lessons"]]
    ops.append(
        {"kind": "quiz", "attempt": 0, "answers": _right_answers(bundle), "key": "k-0000000001"}
    )
    answers = [_send(member, course, op).json() for op in ops]
    assert [a["status"] for a in answers] == ["done", "done", "scored"], answers
    assert (
        answers[2]["passed"]
        and "completed" in answers[2]["message"].lower()
        or "hoàn thành" in answers[2]["message"].lower()
    )
    # the whole queue again (the phone lost the answers on the way back): nothing twice
    again = [_send(member, course, op).json() for op in ops]
    assert [a["status"] for a in again] == ["already", "already", "already"]
    e.refresh_from_db()
    assert e.status == Enrolment.COMPLETED and e.attempts == 1 and e.lessons_done == 2
    assert QuizAttempt.objects.filter(enrolment=e).count() == 1
    assert LearningEntry.objects.filter(person=people["member"], title=course.title).count() == 1


def test_a_quiz_already_passed_elsewhere_keeps_its_pass(client_for, people, enrolled):
    course, e = enrolled
    member = client_for(people["member"])
    bundle = member.get(f"/catalog/courses/{course.pk}/offline.json").json()
    # meanwhile, on the computer at work, the quiz was passed
    drawn = actions.draw_questions(e, 0)
    actions.quiz_submit(
        person=people["member"],
        enrolment=e,
        answers={q.pk: next(i for i, c in enumerate(q.choices) if c["correct"]) for q, _o in drawn},
    )
    wrong = {k: 1 - v for k, v in _right_answers(bundle).items()}
    a = _send(
        member, course, {"kind": "quiz", "attempt": 0, "answers": wrong, "key": "k-0000000002"}
    ).json()
    assert a["status"] == "kept" and a["message"]
    e.refresh_from_db()
    assert e.quiz_passed and e.best_score == 100 and e.attempts == 1


def test_answers_to_an_older_draw_are_marked_against_the_questions_seen(
    client_for, people, enrolled
):
    course, e = enrolled
    member = client_for(people["member"])
    bundle = member.get(f"/catalog/courses/{course.pk}/offline.json").json()
    right = _right_answers(bundle)  # for the draw of attempt 0
    # another attempt (failed) was made on another device after the download
    actions.quiz_submit(person=people["member"], enrolment=e, answers={})
    a = _send(
        member, course, {"kind": "quiz", "attempt": 0, "answers": right, "key": "k-0000000003"}
    ).json()
    assert a["status"] == "scored" and a["passed"] and a["score"] == 100
    assert "another device" in a["message"] or "thiết bị khác" in a["message"]
    e.refresh_from_db()
    assert e.attempts == 2 and e.quiz_passed


@pytest.mark.parametrize(
    "op",
    [
        {"kind": "lesson", "lesson": 10**9},
        {"kind": "lesson", "lesson": "1"},
        {"kind": "lesson", "lesson": True},
        {"kind": "quiz", "attempt": 0, "answers": {}, "key": "short"},
        {"kind": "quiz", "attempt": 7, "answers": {}, "key": "k-0000000004"},
        {"kind": "quiz", "attempt": 0, "answers": {"x": 1}, "key": "k-0000000005"},
        {"kind": "quiz", "attempt": 0, "answers": {"1": {"a": 1}}, "key": "k-0000000006"},
        {"kind": "quiz", "attempt": True, "answers": {}, "key": "k-0000000007"},
        {"kind": "erase"},
    ],
)
def test_what_cannot_be_accepted_is_refused_with_a_reason_and_writes_nothing(
    client_for, people, enrolled, op
):
    course, e = enrolled
    r = _send(client_for(people["member"]), course, op)
    assert r.status_code == 200 and r.json()["status"] == "refused" and r.json()["message"]
    e.refresh_from_db()
    assert e.attempts == 0 and e.lessons_done == 0


def test_unreadable_requests_are_400(client_for, people, enrolled):
    course, _e = enrolled
    member = client_for(people["member"])
    for body in [b"{", b"[1]", b'{"kind": "lesson", "kind": "quiz"}', b"x" * 300_000]:
        r = member.post(
            f"/catalog/courses/{course.pk}/offline/send/", body, content_type="application/json"
        )
        assert r.status_code == 400 and r.json()["message"]

"""#17: statements shaped like those real authoring tools send (written from their published
descriptions), CORS for content in a browser, learners' identities and links, trust, paging."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from suotdoi.records.lrs.actions import lrs_client_create
from suotdoi.records.models import EntryStatus, LearningEntry
from tests.test_lrs import Lrs

pytestmark = pytest.mark.django_db

V = "1.0.3"
COURSE = "http://adlnet.gov/expapi/activities/course"
MODULE = "http://adlnet.gov/expapi/activities/module"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
SLIDE = "http://id.tincanapi.com/activitytype/slide"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def clc_tool(units):
    return Lrs(*lrs_client_create(actor=None, unit=units["clc"], name="Trung tâm học tập"))


def me(person) -> dict:
    home = settings.PUBLIC_URL.rstrip("/")
    return {"objectType": "Agent", "account": {"homePage": home, "name": person.public_id}}


def say(
    actor,
    verb,
    obj_id,
    *,
    a_type=None,
    name=None,
    parent=None,
    registration=None,
    duration=None,
    score=None,
    success=None,
    when=None,
) -> dict:
    obj = {"objectType": "Activity", "id": obj_id, "definition": {}}
    if a_type:
        obj["definition"]["type"] = a_type
    if name:
        obj["definition"]["name"] = {"vi-VN": name}
    s = {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": VERB + verb}, "object": obj}
    ctx = {}
    if registration:
        ctx["registration"] = registration
    if parent:
        ctx["contextActivities"] = {"parent": [{"id": parent, "objectType": "Activity"}]}
    if ctx:
        s["context"] = ctx
    result = {}
    if duration:
        result["duration"] = duration
    if score is not None:
        result["score"] = {"scaled": score}
    if success is not None:
        result["success"] = success
    if result:
        s["result"] = result
    s["timestamp"] = (when or dt.datetime.now(dt.UTC)).isoformat()
    return s


def entries_of(person):
    return list(LearningEntry.objects.filter(person=person, source_key__startswith="xapi"))


def test_storyline_course_one_entry_for_slides_questions_completed_and_passed(clc_tool, people):
    mai = people["member"]
    course = "https://hoc.example.vn/storyline/an-toan-lao-dong"
    reg = str(uuid.uuid4())
    batch = [
        say(me(mai), "launched", course, a_type=COURSE, name="An toàn lao động", registration=reg)
    ]
    for i in range(1, 6):  # slide views, with the time spent on each
        batch.append(
            say(
                me(mai),
                "experienced",
                f"{course}/slide{i}",
                a_type=SLIDE,
                parent=course,
                registration=reg,
                duration="PT1M12S",
            )
        )
    batch.append(
        say(
            me(mai),
            "answered",
            f"{course}/q1",
            a_type=INTERACTION,
            parent=course,
            registration=reg,
            success=True,
        )
    )
    batch.append(
        say(
            me(mai),
            "completed",
            course,
            a_type=COURSE,
            name="An toàn lao động",
            registration=reg,
            duration="PT25M",
        )
    )
    batch.append(
        say(
            me(mai),
            "passed",
            course,
            a_type=COURSE,
            name="An toàn lao động",
            registration=reg,
            duration="PT25M",
            score=0.9,
            success=True,
        )
    )
    assert clc_tool.post("statements", batch, version=V).status_code == 200
    [e] = entries_of(mai)
    assert e.title == "An toàn lao động" and e.hours == Decimal("0.42")
    assert (
        e.status == EntryStatus.VERIFIED
        and e.unit.name == mai.memberships.get(unit__code=e.unit.code).unit.name
    )
    assert e.xapi_attempt.statements.count() == 2  # completed and passed, the rest never counted
    # A second attempt (a new registration) is a second entry.
    again = str(uuid.uuid4())
    clc_tool.post(
        "statements",
        say(me(mai), "completed", course, a_type=COURSE, registration=again, duration="PT20M"),
        version=V,
    )
    assert len(entries_of(mai)) == 2


def test_ispring_slides_and_quiz_fold_into_the_course_without_a_registration(clc_tool, people):
    mai = people["member"]
    course = "https://hoc.example.vn/ispring/ky-nang-so"
    quiz = course + "/quiz"
    batch = [
        say(
            me(mai),
            "experienced",
            f"{course}/slide{i}",
            a_type=SLIDE,
            parent=course,
            duration="PT1.2S",
        )
        for i in range(1, 30)
    ]
    batch.append(
        say(me(mai), "passed", quiz, a_type=ASSESSMENT, parent=course, score=0.8, duration="PT6M")
    )
    batch.append(
        say(me(mai), "completed", course, a_type=COURSE, name="Kỹ năng số", duration="PT40M")
    )
    clc_tool.post("statements", batch, version=V)
    [e] = entries_of(mai)
    assert e.title == "Kỹ năng số" and e.hours == Decimal("0.67")
    assert not LearningEntry.objects.filter(person=mai, hours=Decimal("0.00")).exists()


def test_cmi5_au_and_a_scorm_wrapper(clc_tool, people):
    mai = people["member"]
    au = "https://hoc.example.vn/cmi5/phap-luat/au1"  # cmi5 AUs carry no activity type
    reg = str(uuid.uuid4())
    for verb, extra in [
        ("launched", {}),
        ("initialized", {}),
        ("completed", {"duration": "PT30M"}),
        ("passed", {"duration": "PT30M", "score": 1.0, "success": True}),
        ("terminated", {"duration": "PT32M"}),
    ]:
        clc_tool.post(
            "statements",
            say(me(mai), verb, au, name="Pháp luật lao động", registration=reg, **extra),
            version=V,
        )
    sco = "https://lms.example.vn/scorm/sco-12"
    reg2 = str(uuid.uuid4())
    clc_tool.post(
        "statements",
        [
            say(
                me(mai),
                "completed",
                sco,
                name="Sơ cứu",
                registration=reg2,
                duration="P0Y0M0DT0H20M0S",
            ),
            say(
                me(mai),
                "passed",
                sco,
                name="Sơ cứu",
                registration=reg2,
                duration="P0Y0M0DT0H20M0S",
                score=0.85,
            ),
        ],
        version=V,
    )
    got = sorted((e.title, e.hours) for e in entries_of(mai))
    assert got == [("Pháp luật lao động", Decimal("0.50")), ("Sơ cứu", Decimal("0.33"))]


def test_h5p_questions_and_a_rise_course_without_duration(clc_tool, people):
    mai = people["member"]
    h5p = "https://h5p.example.vn/wp-admin/admin-ajax.php?action=h5p_embed&id=7&lang=vi"
    clc_tool.post(
        "statements",
        [
            say(me(mai), "answered", h5p, a_type=INTERACTION, success=True, duration="PT45S"),
            say(me(mai), "completed", h5p, a_type=INTERACTION, duration="PT2M"),
        ],
        version=V,
    )
    assert entries_of(mai) == []  # a question is never a learning entry
    rise = "https://rise.example.vn/courses/gia-dinh-hanh-phuc"
    clc_tool.post(
        "statements",
        [
            say(me(mai), "experienced", f"{rise}#/lessons/1", a_type=MODULE, parent=rise),
            say(me(mai), "completed", rise, a_type=COURSE, name="Gia đình hạnh phúc"),
        ],
        version=V,
    )
    [e] = entries_of(mai)
    assert e.hours == Decimal("1") and e.title == "Gia đình hạnh phúc"


def test_voiding_one_statement_of_an_attempt_keeps_the_entry_with_the_others(clc_tool, people):
    mai = people["member"]
    course, reg = "https://hoc.example.vn/void", str(uuid.uuid4())
    long = say(me(mai), "completed", course, a_type=COURSE, registration=reg, duration="PT2H")
    short = say(me(mai), "passed", course, a_type=COURSE, registration=reg, duration="PT30M")
    clc_tool.post("statements", [long, short], version=V)
    [e] = entries_of(mai)
    assert e.hours == 2
    clc_tool.post(
        "statements",
        say(me(mai), "voided", long["id"])
        | {"object": {"objectType": "StatementRef", "id": long["id"]}},
        version=V,
    )
    e.refresh_from_db()
    assert e.hours == Decimal("0.50") and e.status == EntryStatus.VERIFIED
    clc_tool.post(
        "statements",
        say(me(mai), "voided", short["id"])
        | {"object": {"objectType": "StatementRef", "id": short["id"]}},
        version=V,
    )
    e.refresh_from_db()
    assert e.status == EntryStatus.SUPERSEDED


def test_a_tool_outside_the_learners_units_only_reports_and_the_learner_decides(
    units, people, client_for
):
    from suotdoi.records.selectors import record_summary

    mai = people["member"]
    library = Lrs(*lrs_client_create(actor=None, unit=units["library"], name="Ứng dụng thư viện"))
    year = dt.date.today().year
    before = record_summary(person=mai, year=year)["hours"]
    library.post(
        "statements",
        say(
            me(mai),
            "completed",
            "https://tv.example.vn/sach-noi",
            a_type=COURSE,
            name="Sách nói",
            duration="PT20H",
        ),
        version=V,
    )
    [e] = entries_of(mai)
    assert (
        e.status == EntryStatus.REPORTED and e.unit is None and e.issued_by == "Ứng dụng thư viện"
    )
    assert record_summary(person=mai, year=year)["hours"] == before  # counted nowhere
    c = client_for(mai)
    page = c.get("/record/").content.decode()
    assert "báo cáo từ công cụ học tập" in page
    page = c.get("/record/lrs/tools/").content.decode()
    assert "Sách nói" in page and "Ứng dụng thư viện" in page
    other = client_for(people["foreign_officer"])
    assert (
        other.post(f"/record/lrs/tools/reported/{e.pk}/", {"decision": "accept"}).status_code == 404
    )
    c.post(f"/record/lrs/tools/reported/{e.pk}/", {"decision": "accept"})
    e.refresh_from_db()
    assert e.status == EntryStatus.UNVERIFIED
    assert record_summary(person=mai, year=year)["hours"] == before + Decimal("20")


def test_a_tool_links_its_own_learner_with_a_code_the_learner_confirms(units, people, client_for):
    mai = people["member"]
    library = Lrs(*lrs_client_create(actor=None, unit=units["library"], name="Ứng dụng thư viện"))
    account = {"homePage": "https://tv.example.vn", "name": "ban-doc-0042"}
    actor = {"objectType": "Agent", "account": account}
    library.post(
        "statements", say(actor, "completed", "https://tv.example.vn/a", a_type=COURSE), version=V
    )
    assert entries_of(mai) == []  # unknown account: stays in the LRS only
    r = library.post("links", {"account": account, "name": "Bạn đọc 42"})
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    c = client_for(mai)
    assert "ban-doc-0042" in c.post("/record/lrs/tools/", {"code": code.lower()}).content.decode()
    intruder = client_for(people["foreign_officer"])
    assert (
        intruder.post("/record/lrs/tools/", {"code": "ABCD-EFGH", "confirm": "1"}).status_code
        == 200
    )
    c.post("/record/lrs/tools/", {"code": code, "confirm": "1"})
    link = mai.xapi_links.get()
    assert link.account_name == "ban-doc-0042" and link.how == "code"
    # the code is spent
    assert (
        "không đúng"
        in intruder.post("/record/lrs/tools/", {"code": code, "confirm": "1"}).content.decode()
    )
    library.post(
        "statements", say(actor, "completed", "https://tv.example.vn/b", a_type=COURSE), version=V
    )
    assert [e.status for e in entries_of(mai)] == [EntryStatus.REPORTED]  # outside Mai's units
    c.post(f"/record/lrs/tools/links/{link.pk}/revoke/")
    library.post(
        "statements", say(actor, "completed", "https://tv.example.vn/c", a_type=COURSE), version=V
    )
    assert len(entries_of(mai)) == 1


def test_an_officer_links_only_a_consenting_member_of_the_clients_unit(units, people, client_for):
    from suotdoi.records.lrs.models import LearnerLink

    tool, _secret = lrs_client_create(actor=None, unit=units["grassroots"], name="LMS công ty")
    chair = client_for(people["grassroots_chair"])
    url = f"/record/lrs/unit/{units['grassroots'].pk}/clients/{tool.pk}/"
    form = {
        "phone": "0912 000 001",
        "account_name": "nv-001",
        "home_page": "https://lms.example.vn",
        "consent_note": "",
    }
    assert "đồng ý" in chair.post(url, form).content.decode()
    assert not LearnerLink.objects.exists()
    stranger = chair.post(
        url, form | {"phone": people["foreign_officer"].phone, "consent_note": "Phiếu ký"}
    )
    nobody = chair.post(url, form | {"phone": "0999 999 999", "consent_note": "Phiếu ký"})
    message = "Không có thành viên nào của đơn vị có số điện thoại này."
    assert message in stranger.content.decode() and message in nobody.content.decode()
    chair.post(url, form | {"consent_note": "Phiếu đồng ý ký ngày 12/03/2026"})
    assert LearnerLink.objects.get().person == people["member"]
    assert client_for(people["foreign_officer"]).get(url).status_code == 404


def _basic(tool) -> str:
    return "Basic " + base64.b64encode(f"{tool.client.key}:{tool.secret}".encode()).decode()


def test_cors_preflight_and_answers_follow_each_clients_origins(clc_tool, units, people):
    from suotdoi.records.lrs.actions import lrs_client_origins_set

    page = "http://127.0.0.1:8765"
    web = Client()
    pre = web.options(
        "/xapi/statements",
        headers={
            "Origin": page,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version",
        },
    )
    assert pre.status_code == 204 and "Access-Control-Allow-Origin" not in pre
    lrs_client_origins_set(actor=None, client=clc_tool.client, origins=[page], any_origin=False)
    pre = web.options("/xapi/activities/state", headers={"Origin": page})
    assert pre["Access-Control-Allow-Origin"] == page
    for h in (
        "Authorization",
        "Content-Type",
        "X-Experience-API-Version",
        "If-Match",
        "If-None-Match",
    ):
        assert h in pre["Access-Control-Allow-Headers"]
    r = web.get(
        "/xapi/statements",
        headers={
            "Origin": page,
            "Authorization": _basic(clc_tool),
            "X-Experience-API-Version": "1.0.3",
        },
    )
    assert r.status_code == 200 and r["Access-Control-Allow-Origin"] == page
    for h in (
        "ETag",
        "Last-Modified",
        "X-Experience-API-Consistent-Through",
        "X-Experience-API-Version",
    ):
        assert h in r["Access-Control-Expose-Headers"]
    other = Lrs(*lrs_client_create(actor=None, unit=units["library"], name="Khác"))
    r = web.get(
        "/xapi/statements",
        headers={
            "Origin": page,
            "Authorization": _basic(other),
            "X-Experience-API-Version": "1.0.3",
        },
    )
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r  # not its origin
    r = web.get(
        "/xapi/statements",
        headers={
            "Origin": "http://evil.example",
            "Authorization": _basic(clc_tool),
            "X-Experience-API-Version": "1.0.3",
        },
    )
    assert "Access-Control-Allow-Origin" not in r


def test_more_links_survive_filters_with_ampersand_plus_and_hash(clc_tool):
    actor = {"objectType": "Agent", "mbox": "mailto:mai+hoc@example.vn"}
    activity = "https://h5p.example.vn/embed?id=7&lang=vi#part-2"
    for _ in range(5):
        clc_tool.post("statements", say(actor, "experienced", activity), version=V)
    seen, url = 0, None
    params = {"agent": json.dumps(actor), "activity": activity, "limit": "2"}
    r = clc_tool.get("statements", params, version=V)
    while True:
        body = r.json()
        seen += len(body["statements"])
        if not body["more"]:
            break
        url = body["more"]
        assert all(ch not in url.split("?", 1)[1] for ch in "&+#% ")
        r = clc_tool.http.get(url, headers=clc_tool.headers(V))
        assert r.status_code == 200
    assert seen == 5 and url is not None


def test_a_profile_document_can_be_created_without_a_precondition_under_1_0_3(clc_tool):
    agent = json.dumps({"objectType": "Agent", "mbox": "mailto:a@example.vn"})
    r = clc_tool.put(f"agents/profile?agent={agent}&profileId=p1", {"a": 1}, version=V)
    assert r.status_code == 204
    r = clc_tool.put(f"agents/profile?agent={agent}&profileId=p1", {"a": 2}, version=V)
    assert r.status_code == 409  # it exists now: a blind overwrite is a conflict
    r = clc_tool.put(
        "activities/profile?activityId=http://x.example/a&profileId=p", {"b": 1}, version=V
    )
    assert r.status_code == 204


def test_an_activity_type_an_administrator_adds_makes_entries(clc_tool, people):
    from suotdoi.records.lrs.models import LearningUnitType

    mai = people["member"]
    video = "https://w3id.org/xapi/video/activity-type/video"
    url = "https://hoc.example.vn/video/so-cuu"
    clc_tool.post(
        "statements", say(me(mai), "completed", url, a_type=video, duration="PT12M"), version=V
    )
    assert entries_of(mai) == []
    LearningUnitType.objects.create(iri=video, label="Video", entry_kind="self_study")
    clc_tool.post(
        "statements",
        say(me(mai), "completed", url + "/2", a_type=video, duration="PT12M"),
        version=V,
    )
    [e] = entries_of(mai)
    assert e.kind == "self_study" and e.hours == Decimal("0.20")


def test_a_learner_enrolled_in_the_units_course_is_trusted_and_sees_the_attempt(
    units, people, client_for
):
    from suotdoi.catalog.actions import enrol
    from tests.catalog_helpers import online_course, provider_of, published

    officer = people["foreign_officer"]  # of another province: not a member of the union
    course = published(people, online_course(people, provider_of(people, units)))
    tool = Lrs(*lrs_client_create(actor=None, unit=units["grassroots"], name="LMS công đoàn"))
    url, reg = "https://lms.example.vn/khoa/1", str(uuid.uuid4())
    send = [
        say(
            me(officer),
            "completed",
            url,
            a_type=COURSE,
            name="Khoá 1",
            registration=reg,
            duration="PT50M",
        ),
        say(me(officer), "passed", url, a_type=COURSE, registration=reg, score=0.7),
        say(me(officer), "passed", url, a_type=COURSE, registration=reg, score=0.95),
    ]
    tool.post("statements", send[0], version=V)
    [e] = entries_of(officer)
    assert e.status == EntryStatus.REPORTED
    enrol(person=officer, course=course)
    tool.post("statements", send[1:], version=V)
    url2 = url + "/2"
    tool.post(
        "statements",
        say(me(officer), "completed", url2, a_type=COURSE, duration="PT10M"),
        version=V,
    )
    trusted = [x for x in entries_of(officer) if x.status == EntryStatus.VERIFIED]
    assert [x.hours for x in trusted] == [Decimal("0.17")]
    page = client_for(officer).get(f"/record/entries/{e.pk}/").content.decode()
    assert "95%" in page and page.count("passed") == 2 and "completed" in page

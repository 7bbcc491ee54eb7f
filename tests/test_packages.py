# ruff: noqa: E501 - literal package data
"""E-learning packages (#25): upload checks, the SCORM runtime's commits and resume, cmi5 as
the LMS (launch data, the one-time token, the statement rules, moveOn), the record, the
provider's report, and who reaches what."""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage

from suotdoi.catalog import actions as catalog
from suotdoi.catalog.models import Enrolment, Lesson
from suotdoi.packages import actions
from suotdoi.packages.models import Attempt, ItemState, Launch, Package
from suotdoi.records.lrs.models import Document, Statement
from suotdoi.records.models import LearningEntry
from tests.catalog_helpers import provider_of, published
from tests.package_helpers import package_zip, upload, zip_of

pytestmark = pytest.mark.django_db
CONTENT = "localhost"  # the content host the test client's "testserver" pages frame
V = "http://adlnet.gov/expapi/verbs/"
CMI5_CAT = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def empty_course(people, units, title="Khóa học gói SCORM"):
    provider = provider_of(people, units)
    return catalog.course_create(
        actor=people["grassroots_chair"], provider=provider, title=title,
        summary="Khóa học nhập từ gói e-learning.", category="digital", format="online",
        hours=Decimal("3"),
    )  # fmt: skip


def with_package(people, units, kind, **kw):
    course = empty_course(people, units)
    package = actions.package_upload(
        actor=people["grassroots_chair"], course=course, upload=upload(package_zip(kind)), **kw
    )
    published(people, course)
    return course, package


def started(people, units, client_for, kind, **kw):
    """A published course of one package, Mai enrolled and signed in, the package launched."""
    course, package = with_package(people, units, kind, **kw)
    learner = people["member"]
    catalog.enrol(person=learner, course=course)
    c = client_for(learner)
    return course, package, learner, c, launch(c, package)


def stored_files(key=""):
    """Every file under packages/ (or one package's folder), recursively."""
    folder = f"packages/{key}".rstrip("/")

    def walk(d):
        try:
            dirs, files = default_storage.listdir(d)
        except FileNotFoundError:
            return []
        return [f"{d}/{f}" for f in files] + [x for sub in dirs for x in walk(f"{d}/{sub}")]

    return sorted(p.removeprefix(folder + "/") for p in walk(folder))


# --- upload -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "standard", "edition"),
    [
        ("scorm12", "scorm12", "1.2"),
        ("scorm2004", "scorm2004", "2004 4th Edition"),
        ("cmi5", "cmi5", "1.0"),
    ],
)
def test_authored_packages_are_accepted_and_unpacked(people, units, kind, standard, edition):
    course, package = with_package(people, units, kind)
    assert (package.standard, package.edition) == (standard, edition)
    assert package.lesson.kind == "package" and package.lesson.course == course
    assert len(package.items) == 1 and package.items[0]["href"] == "quiz.html"
    assert package.items[0]["mastery"] == pytest.approx(0.75)
    assert stored_files(package.key) == sorted(
        ["quiz.html", "quiz.js", "cmi5.xml" if kind == "cmi5" else "imsmanifest.xml"]
    )
    assert package.files == 3


# The reasons as the uploader reads them (Vietnamese, the default language).
BAD = {
    "not a zip": (b"MZ\x90\x00 this is not a zip", "không phải là tệp nén zip"),
    "no manifest": (zip_of({"index.html": b"<p>hi</p>"}), "Không có imsmanifest.xml hay cmi5.xml"),
    "nested manifest": (
        zip_of({"course/imsmanifest.xml": b"<manifest/>", "course/a.html": b"x"}),
        "hãy nén nội dung bên trong thư mục",
    ),
    "broken xml": (
        zip_of({"imsmanifest.xml": b"<manifest><organizations>", "a.html": b"x"}),
        "không phải XML hợp lệ",
    ),
    "doctype": (
        zip_of(
            {
                "imsmanifest.xml": b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><manifest/>'
            }
        ),
        "DOCTYPE",
    ),
    "missing launch file": (package_zip("scorm12", drop=("quiz.html",)), "quiz.html"),
    "dot-dot path": (
        package_zip("scorm12", extra={"../../etc/evil.html": b"x"}),
        "Tên tệp không an toàn hoặc bị trùng",
    ),
    "absolute path": (
        package_zip("scorm12", extra={"/srv/evil.html": b"x"}),
        "Tên tệp không an toàn hoặc bị trùng",
    ),
    "exe inside": (package_zip("scorm2004", extra={"setup.exe": b"MZ"}), "setup.exe"),
    "php inside": (package_zip("cmi5", extra={"shell.php": b"<?php ?>"}), "shell.php"),
    "cmi5 http launch": (
        zip_of(
            {
                "cmi5.xml": b'<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="https://x.vn/c"><title><langstring>T</langstring></title></course><au id="https://x.vn/c/a" moveOn="Completed"><title><langstring>A</langstring></title><url>http://x.vn/a.html</url></au></courseStructure>'
            }
        ),
        "ngoài gói chỉ nhận địa chỉ https",
    ),
    "scorm 2004 2nd": (
        zip_of(
            {
                "imsmanifest.xml": b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><metadata><schemaversion>CAM 1.3</schemaversion></metadata><organizations default="o"><organization identifier="o"><title>T</title><item identifier="i" identifierref="r"><title>I</title></item></organization></organizations><resources><resource identifier="r" href="a.html"/></resources></manifest>',
                "a.html": b"x",
            }
        ),
        "SCORM 2004 phiên bản 2",
    ),
    "dangling reference": (
        zip_of(
            {
                "imsmanifest.xml": b'<manifest><metadata><schemaversion>1.2</schemaversion></metadata><organizations default="o"><organization identifier="o"><title>T</title><item identifier="i" identifierref="nope"><title>I</title></item></organization></organizations><resources/></manifest>'
            }
        ),
        "không định nghĩa tài nguyên này",
    ),
}


def test_bad_packages_are_refused_with_the_reason_and_nothing_is_stored(people, units, client_for):
    """Every case in one world (each is one upload): refused, its reason shown, nothing kept."""
    course = empty_course(people, units)
    staff = client_for(people["grassroots_chair"])
    before = (Package.objects.count(), Lesson.objects.count())
    files = stored_files()
    for case, (data, reason) in sorted(BAD.items()):
        r = staff.post(f"/packages/courses/{course.pk}/", {"file": upload(data)})
        assert r.status_code == 400, case
        assert reason in r.content.decode(), (case, r.content.decode()[-2000:])
        assert (Package.objects.count(), Lesson.objects.count()) == before, case
        assert stored_files() == files, case


def test_ten_thousand_files_are_refused_before_anything_is_read(people, units, client_for):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("imsmanifest.xml", b"<manifest/>")
        for i in range(10_000):
            zf.writestr(f"f/{i}.txt", b"")
    course = empty_course(people, units)
    files = stored_files()
    r = client_for(people["grassroots_chair"]).post(
        f"/packages/courses/{course.pk}/", {"file": upload(out.getvalue())}
    )
    assert r.status_code == 400
    assert "10001" in r.content.decode()  # the manifest and 10,000 files
    assert Package.objects.count() == 0 and stored_files() == files


def test_a_zip_bomb_is_refused_unread(people, units, client_for):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", b"<manifest/>")
        zf.writestr("big.bin", b"\0" * (200 * 1024 * 1024))  # 200 MB of zeros, ~200 KB packed
    assert len(out.getvalue()) < 1024 * 1024
    course = empty_course(people, units)
    files = stored_files()
    r = client_for(people["grassroots_chair"]).post(
        f"/packages/courses/{course.pk}/", {"file": upload(out.getvalue())}
    )
    assert r.status_code == 400 and "bom zip" in r.content.decode()
    assert Package.objects.count() == 0 and stored_files() == files


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_unpacking(people, units):
    data = bytearray(package_zip("scorm12"))
    # Make the central directory claim quiz.js is 10 bytes long: reading finds more.
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("quiz.js")
    real = info.file_size
    import struct

    cd = data.find(
        b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4 : data.find(b"PK\x01\x02") + 4]
    )
    offset = cd
    while offset != -1:
        name_len = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + name_len]) == b"quiz.js":
            struct.pack_into("<I", data, offset + 24, 10)
            break
        offset = data.find(b"PK\x01\x02", offset + 4)
    course = empty_course(people, units)
    files = stored_files()
    with pytest.raises(Exception):  # noqa: B017,PT011 - a refusal, whatever the zip module calls it
        actions.package_upload(
            actor=people["grassroots_chair"], course=course, upload=upload(bytes(data))
        )
    assert real > 10
    assert Package.objects.count() == 0 and stored_files() == files


def test_only_the_providers_staff_upload(people, units, client_for):
    course = empty_course(people, units)
    for who in ("member", "group_leader", "foreign_officer"):
        r = client_for(people[who]).post(
            f"/packages/courses/{course.pk}/", {"file": upload(package_zip("scorm12"))}
        )
        assert r.status_code == 404, who
    assert Package.objects.count() == 0


# --- SCORM: launch, commits, resume, completion -----------------------------------------------


def launch(client, package, **params):
    r = client.get(f"/packages/lessons/{package.lesson_id}/", params)
    assert r.status_code == 200, r.content[:300]
    return r.context["frame"]


def commit(client, frame, cmi, host=CONTENT):
    path = urlsplit(frame).path
    return client.post(
        path + "commit", json.dumps({"cmi": cmi}), content_type="application/json", HTTP_HOST=host
    )


def player_config(client, frame) -> dict:
    """The configuration the content host's player page hands the runtime."""
    import re

    html = client.get(urlsplit(frame).path, HTTP_HOST=CONTENT).content.decode()
    return json.loads(re.search(r'id="player-config"[^>]*>(.*?)</script>', html, re.S)[1])


def scorm12_cmi(
    status, *, raw=None, location="", suspend="", session="0000:01:30", exit_="suspend"
):
    core = {
        "lesson_status": status,
        "lesson_location": location,
        "session_time": session,
        "exit": exit_,
        "score": {"raw": "" if raw is None else str(raw), "min": "0", "max": "100"},
    }
    return {"core": core, "suspend_data": suspend}


def test_scorm12_attempt_saves_as_it_goes_resumes_and_completes_once(people, units, client_for):
    course, package, learner, c, frame = started(people, units, client_for, "scorm12")
    assert urlsplit(frame).netloc == CONTENT and frame.endswith("/")
    # The player page is on the content host only, with the runtime loaded and nothing of ours.
    player = c.get(urlsplit(frame).path, HTTP_HOST=CONTENT)
    assert player.status_code == 200 and b"scorm-again.min.js" in player.content
    assert "frame-ancestors 'self' http://testserver" in player["Content-Security-Policy"]
    assert c.get(urlsplit(frame).path).status_code == 404  # not on the platform's host
    # Half the quiz, then the page is closed.
    assert commit(
        c, frame, scorm12_cmi("incomplete", location="2", suspend='{"answers":[1,2],"at":2}')
    ).json() == {"result": True, "errorCode": 0}
    attempt = Attempt.objects.get(package=package, person=learner)
    assert attempt.status == "in_progress" and attempt.seconds == 90
    # Another device: a new launch resumes with the suspend data, location and total time.
    frame2 = launch(client_for(learner), package)
    assert frame2 != frame
    cfg = player_config(c, frame2)
    core = cfg["cmi"]["core"]
    assert (
        core["lesson_location"],
        cfg["cmi"]["suspend_data"],
        core["entry"],
        core["total_time"],
    ) == ("2", '{"answers":[1,2],"at":2}', "resume", "0000:01:30")
    assert cfg["cmi"]["student_data"]["mastery_score"] == "75"
    assert core["student_id"] == learner.public_id
    # Passed in the second session: 1 min more.
    assert (
        commit(
            c, frame2, scorm12_cmi("passed", raw=100, location="4", session="0000:01:00", exit_="")
        ).json()["result"]
        is True
    )
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.seconds) == ("passed", 1.0, 150)
    entries = LearningEntry.objects.filter(
        person=learner, source_key=f"catalog:{course.pk}:{learner.pk}"
    )
    assert entries.count() == 1 and entries[0].hours == Decimal("3")
    assert attempt.entry_id == entries[0].pk
    assert Enrolment.objects.get(course=course, person=learner).status == "completed"
    verbs = set(
        Statement.objects.filter(registration=attempt.registration).values_list(
            "verb_id", flat=True
        )
    )
    assert verbs == {V + "attempted", V + "completed", V + "passed"}
    # Replayed commits and later sessions change neither the entry nor the statements.
    for _ in range(3):
        commit(c, frame2, scorm12_cmi("failed", raw=0, session="0000:00:10", exit_=""))
    attempt.refresh_from_db()
    assert attempt.status == "passed" and attempt.score == 1.0
    assert LearningEntry.objects.filter(person=learner).filter(title=course.title).count() == 1
    assert Statement.objects.filter(registration=attempt.registration).count() == 3


def test_scorm2004_tracked_time_counts_when_the_provider_says_so(people, units, client_for):
    course, package, learner, c, frame = started(
        people, units, client_for, "scorm2004", use_tracked_time=True
    )
    cfg = player_config(c, frame)
    assert cfg["cmi"]["scaled_passing_score"] == "0.75" and cfg["cmi"]["entry"] == "ab-initio"
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.75"},
        "session_time": "PT1H12M",
        "location": "4",
        "suspend_data": "x",
        "exit": "normal",
    }
    assert commit(c, frame, cmi).json()["result"] is True
    entry = LearningEntry.objects.get(
        person=learner, source_key=f"catalog:{course.pk}:{learner.pk}"
    )
    assert entry.hours == Decimal("1.2")
    assert Attempt.objects.get(package=package, person=learner).status == "passed"


def test_a_failed_attempt_leaves_the_record_alone_and_a_new_one_can_start(
    people, units, client_for
):
    course, package, learner, c, frame = started(people, units, client_for, "scorm2004")
    commit(
        c,
        frame,
        {
            "completion_status": "completed",
            "success_status": "failed",
            "score": {"scaled": "0.25"},
            "session_time": "PT5M",
        },
    )
    a1 = Attempt.objects.get(package=package, person=learner)
    assert a1.status == "failed"
    assert not LearningEntry.objects.filter(person=learner, title=course.title).exists()
    c.post(f"/packages/lessons/{package.lesson_id}/", {"again": "1"})
    frame2 = launch(c, package)
    a2 = Attempt.objects.get(package=package, person=learner, number=2)
    assert a2.registration != a1.registration
    cfg = player_config(c, frame2)
    assert "suspend_data" not in cfg["cmi"]  # a fresh attempt starts empty
    commit(
        c,
        frame2,
        {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "1"},
            "session_time": "PT5M",
        },
    )
    assert LearningEntry.objects.filter(person=learner, title=course.title).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"cmi": 3}',
        b'{"nocmi": {}}',
        b'{"cmi": {"core": {"lesson_status": "passed", "session_time": "9999999:99:99"}}, "x": "'
        + b"y" * 300_000
        + b'"}',
    ],
)
def test_broken_commits_are_refused_and_nothing_changes(people, units, client_for, body):
    course, package = with_package(people, units, "scorm12")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    frame = launch(c, package)
    r = c.post(
        urlsplit(frame).path + "commit", body, content_type="application/json", HTTP_HOST=CONTENT
    )
    assert r.status_code == 400 and r.json()["result"] is False
    assert ItemState.objects.get().commits == 0


def test_launch_tokens_answer_only_on_their_origin_and_until_they_expire(people, units, client_for):
    course, package = with_package(people, units, "scorm12")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    frame = launch(c, package)
    path = urlsplit(frame).path
    assert commit(c, frame, scorm12_cmi("incomplete"), host="testserver").status_code == 403
    assert c.get(path + "c/quiz.html", HTTP_HOST="testserver").status_code == 404
    assert c.get(path + "c/quiz.html", HTTP_HOST=CONTENT).status_code == 200
    assert c.get(path + "c/../../secret", HTTP_HOST=CONTENT).status_code == 404
    assert (
        c.get(
            path.replace(path.split("/")[3], "x" * 43) + "c/quiz.html", HTTP_HOST=CONTENT
        ).status_code
        == 404
    )
    Launch.objects.update(expires_at="2020-01-01T00:00:00Z")
    actions.forget_launches(Launch.objects.values_list("token_hash", flat=True))
    assert commit(c, frame, scorm12_cmi("passed", raw=100)).status_code == 403
    assert Attempt.objects.get().status == "in_progress"


def test_who_may_open_a_package(people, units, client_for):
    course, package = with_package(people, units, "scorm12")
    url = f"/packages/lessons/{package.lesson_id}/"
    # Not enrolled, another tree, a sibling's member: the same 404, nothing made.
    for who in ("member", "group_leader", "foreign_officer"):
        assert client_for(people[who]).get(url).status_code == 404, who
    assert Attempt.objects.count() == 0 and Launch.objects.count() == 0
    # The catalogue's lesson page sends an enrolled learner to the player.
    catalog.enrol(person=people["member"], course=course)
    r = client_for(people["member"]).get(
        f"/catalog/courses/{course.pk}/lessons/{package.lesson_id}/"
    )
    assert r.status_code == 302 and r["Location"] == url
    assert client_for(people["member"]).get(url).status_code == 200


# --- cmi5 ---------------------------------------------------------------------------------


class Au:
    """What a cmi5 AU does with its launch URL, through the test client on the content host."""

    def __init__(self, client, frame):
        self.c = client
        q = {k: v[0] for k, v in parse_qs(urlsplit(frame).query).items()}
        self.q = q
        self.actor = json.loads(q["actor"])
        self.endpoint = urlsplit(q["endpoint"]).path
        self.auth = None
        self.template = None

    def fetch(self):
        return self.c.post(urlsplit(self.q["fetch"]).path, HTTP_HOST=CONTENT).json()

    def h(self):
        return {
            "HTTP_AUTHORIZATION": self.auth,
            "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
            "HTTP_HOST": CONTENT,
        }

    def start(self):
        self.auth = "Basic " + self.fetch()["auth-token"]
        r = self.c.get(
            self.endpoint + "activities/state",
            {
                "activityId": self.q["activityId"],
                "agent": self.q["actor"],
                "registration": self.q["registration"],
                "stateId": "LMS.LaunchData",
            },
            **self.h(),
        )
        assert r.status_code == 200, r.content
        self.launch_data = r.json()
        self.template = self.launch_data["contextTemplate"]
        return self

    def statement(self, verb, result=None, *, defined=True, **over):
        ctx = json.loads(json.dumps(self.template))
        ctx["registration"] = self.q["registration"]
        if defined:
            ctx["contextActivities"]["category"] = [{"id": CMI5_CAT}]
        s = {
            "actor": self.actor,
            "verb": {"id": V + verb},
            "object": {"id": self.q["activityId"]},
            "context": ctx,
        }
        if result is not None:
            s["result"] = result
        s.update(over)
        return s

    def send(self, *statements):
        return self.c.post(
            self.endpoint + "statements",
            json.dumps(list(statements)),
            content_type="application/json",
            **self.h(),
        )


def test_cmi5_launch_follows_the_spec_and_completes_on_move_on(people, units, client_for):
    course, package, learner, c, frame = started(people, units, client_for, "cmi5")
    au = Au(c, frame)
    assert set(au.q) == {"endpoint", "fetch", "registration", "activityId", "actor"}
    assert au.actor["account"] == learner.xapi_account
    assert urlsplit(frame).netloc == CONTENT and urlsplit(au.q["endpoint"]).netloc == CONTENT
    attempt = Attempt.objects.get(package=package, person=learner)
    assert au.q["registration"] == str(attempt.registration)
    launched = Statement.objects.get(registration=attempt.registration, verb_id=V + "launched")
    assert (
        launched.data["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/moveon"
        ]
        == "CompletedAndPassed"
    )
    au.start()
    assert (
        au.launch_data["moveOn"] == "CompletedAndPassed" and au.launch_data["masteryScore"] == 0.75
    )
    assert au.launch_data["launchMode"] == "Normal"
    assert au.template["contextActivities"]["grouping"] == [{"id": package.items[0]["ident"]}]
    # The token is given once.
    assert au.fetch()["error-code"] == "1"
    assert au.send(au.statement("initialized")).status_code == 200
    assert au.send(au.statement("answered", {"success": True}, defined=False)).status_code == 200
    assert (
        au.send(
            au.statement("passed", {"success": True, "score": {"scaled": 1.0}, "duration": "PT2M"})
        ).status_code
        == 200
    )
    attempt.refresh_from_db()
    assert (
        attempt.status == "failed" or attempt.status == "in_progress"
    )  # passed alone is not CompletedAndPassed
    assert not LearningEntry.objects.filter(person=learner, title=course.title).exists()
    assert (
        au.send(au.statement("completed", {"completion": True, "duration": "PT2M"})).status_code
        == 200
    )
    assert au.send(au.statement("terminated", {"duration": "PT3M"})).status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == "passed" and attempt.score == 1.0 and attempt.seconds == 180
    entries = LearningEntry.objects.filter(
        person=learner, source_key=f"catalog:{course.pk}:{learner.pk}"
    )
    assert entries.count() == 1
    # The AU's statements are in the LRS and made no entry of their own; the LMS said satisfied.
    verbs = list(
        Statement.objects.filter(registration=attempt.registration).values_list(
            "verb_id", flat=True
        )
    )
    assert (
        V + "initialized" in verbs
        and V + "completed" in verbs
        and "https://w3id.org/xapi/adl/verbs/satisfied" in verbs
    )
    assert (
        LearningEntry.objects.filter(person=learner).count()
        == LearningEntry.objects.filter(person=learner, source_key__startswith="catalog:").count()
    )
    # After terminated, the session takes nothing more.
    assert au.send(au.statement("answered", {"success": True}, defined=False)).status_code == 403


@pytest.mark.parametrize(
    ("case", "first"),
    [
        (
            "before initialized",
            lambda au: au.statement("passed", {"success": True, "score": {"scaled": 1.0}}),
        ),
        ("lms verb", lambda au: au.statement("launched")),
        (
            "other actor",
            lambda au: au.statement(
                "initialized", actor={"objectType": "Agent", "mbox": "mailto:ke.gian@example.vn"}
            ),
        ),
        (
            "other registration",
            lambda au: {
                **au.statement("initialized"),
                "context": {
                    **au.statement("initialized")["context"],
                    "registration": str(uuid.uuid4()),
                },
            },
        ),
        (
            "no session id",
            lambda au: {
                **au.statement("initialized"),
                "context": {
                    "registration": au.q["registration"],
                    "contextActivities": {"category": [{"id": CMI5_CAT}]},
                },
            },
        ),
        ("no cmi5 category", lambda au: au.statement("initialized", defined=False)),
    ],
)
def test_cmi5_statements_that_break_the_rules_are_refused(people, units, client_for, case, first):
    course, package = with_package(people, units, "cmi5")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    au = Au(c, launch(c, package)).start()
    before = Statement.objects.count()
    r = au.send(first(au))
    assert r.status_code == 403, (case, r.content)
    assert Statement.objects.count() == before


def test_cmi5_passed_and_completed_follow_the_mastery_score_once(people, units, client_for):
    course, package = with_package(people, units, "cmi5")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    au = Au(c, launch(c, package)).start()
    assert au.send(au.statement("initialized")).status_code == 200
    assert (
        au.send(au.statement("passed", {"success": True, "score": {"scaled": 0.5}})).status_code
        == 403
    )
    assert (
        au.send(au.statement("passed", {"success": True})).status_code == 403
    )  # no score with a masteryScore
    assert (
        au.send(au.statement("failed", {"success": False, "score": {"scaled": 0.5}})).status_code
        == 200
    )
    assert (
        au.send(au.statement("completed", {"completion": True, "success": True})).status_code == 403
    )
    assert au.send(au.statement("completed", {"completion": True})).status_code == 200
    assert au.send(au.statement("completed", {"completion": True})).status_code == 403
    assert (
        au.send(au.statement("passed", {"success": True, "score": {"scaled": 0.75}})).status_code
        == 200
    )
    assert (
        au.send(au.statement("failed", {"success": False, "score": {"scaled": 0.1}})).status_code
        == 403
    )


def test_cmi5_allowed_statements_with_cmi5_verbs_are_stored_and_move_nothing(
    people, units, client_for
):
    """ADL's CATAPULT sample sends the xAPI video profile's initialized and completed about its
    video (no cmi5 category): "cmi5 allowed" statements, stored, never the AU's completion."""
    course, package = with_package(people, units, "cmi5")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    au = Au(c, launch(c, package)).start()
    video = {"id": "https://example.vn/video/nui", "objectType": "Activity"}
    # Before the AU's own initialized, nothing else: not even a video's initialized.
    assert au.send(au.statement("initialized", defined=False, object=video)).status_code == 403
    assert au.send(au.statement("initialized")).status_code == 200
    assert au.send(au.statement("initialized", defined=False, object=video)).status_code == 200
    assert (
        au.send(au.statement("completed", {"completion": True}, defined=False, object=video))
    ).status_code == 200
    state = ItemState.objects.get(attempt__package=package, attempt__person=people["member"])
    assert state.completion == "" and not state.satisfied and state.commits == 3
    # With the cmi5 category, the object must still be the AU.
    assert au.send(au.statement("completed", {"completion": True}, object=video)).status_code == 403
    assert au.send(au.statement("completed", {"completion": True})).status_code == 200
    state.refresh_from_db()
    assert state.completion == "completed"


def test_a_cmi5_token_reaches_only_its_own_learner_and_registration(people, units, client_for):
    course, package = with_package(people, units, "cmi5")
    catalog.enrol(person=people["member"], course=course)
    catalog.enrol(person=people["group_leader"], course=course)
    c1, c2 = client_for(people["member"]), client_for(people["group_leader"])
    au1 = Au(c1, launch(c1, package)).start()
    au2 = Au(c2, launch(c2, package)).start()
    # Reading the other learner's launch data or statements with one's own token: refused.
    r = c1.get(
        au1.endpoint + "activities/state",
        {
            "activityId": au2.q["activityId"],
            "agent": au2.q["actor"],
            "registration": au2.q["registration"],
            "stateId": "LMS.LaunchData",
        },
        **au1.h(),
    )
    assert r.status_code == 403
    r = c1.get(au1.endpoint + "statements", {"registration": au2.q["registration"]}, **au1.h())
    assert r.status_code == 403
    r = c1.get(au1.endpoint + "statements", {"registration": au1.q["registration"]}, **au1.h())
    assert r.status_code == 200 and all(
        s["context"]["registration"] == au1.q["registration"] for s in r.json()["statements"]
    )
    # A made-up token: 401, as for any unknown credentials.
    bad = "Basic " + base64.b64encode(f"cmi5-{Launch.objects.first().pk}:guess".encode()).decode()
    r = c1.post(
        au1.endpoint + "statements",
        "[]",
        content_type="application/json",
        HTTP_AUTHORIZATION=bad,
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        HTTP_HOST=CONTENT,
    )
    assert r.status_code == 401


# --- the provider's report ----------------------------------------------------------------


def test_report_and_xlsx_show_each_learner_and_are_the_providers_alone(people, units, client_for):
    from openpyxl import load_workbook

    course, package, learner, c, frame = started(people, units, client_for, "scorm2004")
    commit(
        c,
        frame,
        {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.75"},
            "session_time": "PT30M",
        },
    )
    staff = client_for(people["grassroots_chair"])
    r = staff.get(f"/packages/{package.pk}/report/")
    html = r.content.decode()
    assert r.status_code == 200 and learner.full_name in html and "75%" in html
    wb = load_workbook(io.BytesIO(staff.get(f"/packages/{package.pk}/report.xlsx").getvalue()))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert (
        rows[1][0] == learner.full_name
        and rows[1][2] == 75
        and rows[1][4] == 30
        and rows[1][5] == 1
    )
    for who in ("member", "group_leader", "foreign_officer"):
        assert client_for(people[who]).get(f"/packages/{package.pk}/report/").status_code == 404
        assert client_for(people[who]).get(f"/packages/{package.pk}/report.xlsx").status_code == 404
    Document.objects.all()  # (documents untouched by the report)


def test_cmi5_libraries_that_add_their_own_slash_reach_the_lrs(people, units, client_for):
    """Rustici's cmi5.js (in ADL's CATAPULT samples) joins endpoint and resource with a slash
    of its own: ".../xapi//activities/state" must answer as ".../xapi/activities/state"."""
    course, package = with_package(people, units, "cmi5")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    au = Au(c, launch(c, package))
    au.auth = "Basic " + au.fetch()["auth-token"]
    r = c.get(
        au.endpoint + "/activities/state",
        {
            "activityId": au.q["activityId"],
            "agent": au.q["actor"],
            "registration": au.q["registration"],
            "stateId": "LMS.LaunchData",
        },
        **au.h(),
    )
    assert r.status_code == 200 and r.json()["moveOn"] == "CompletedAndPassed"


MULTI_SCO = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Hai phần</title>
    <item identifier="a" identifierref="ra"><title>Phần một</title></item>
    <item identifier="b" identifierref="rb"><title>Phần hai</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="ra" type="webcontent" adlcp:scormType="sco" href="one.html?part=1"><file href="one.html"/></resource>
    <resource identifier="rb" type="webcontent" adlcp:scormType="sco" href="two.html"><file href="two.html"/></resource>
  </resources>
</manifest>""".encode()


def test_a_package_of_two_scos_finishes_when_both_are_done(people, units, client_for):
    course = empty_course(people, units)
    data = zip_of(
        {
            "imsmanifest.xml": MULTI_SCO,
            "content/one.html": b"<p>1</p>",
            "content/two.html": b"<p>2</p>",
        }
    )
    package = actions.package_upload(
        actor=people["grassroots_chair"], course=course, upload=upload(data)
    )
    assert [(i["ident"], i["href"]) for i in package.items] == [
        ("a", "content/one.html?part=1"),
        ("b", "content/two.html"),
    ]
    published(people, course)
    learner = people["member"]
    catalog.enrol(person=learner, course=course)
    c = client_for(learner)
    first = launch(c, package)  # the first part not done
    done = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.9"},
        "session_time": "PT10M",
    }
    commit(c, first, done)
    attempt = Attempt.objects.get(package=package, person=learner)
    assert (
        attempt.status == "in_progress"
        and not LearningEntry.objects.filter(person=learner, title=course.title).exists()
    )
    second = launch(c, package)  # now the second part
    assert ItemState.objects.get(attempt=attempt, ident="b").commits == 0
    commit(c, second, done | {"score": {"scaled": "0.5"}, "session_time": "PT20M"})
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.seconds) == ("passed", 0.9, 1800)
    assert LearningEntry.objects.filter(person=learner, title=course.title).count() == 1
    # The player page lists both parts, each done.
    html = c.get(f"/packages/lessons/{package.lesson_id}/").content.decode()
    assert "Phần một" in html and "Phần hai" in html


def test_the_report_reads_a_fixed_number_of_queries(
    people, units, client_for, django_assert_max_num_queries
):
    from suotdoi.people.models import Person

    course, package = with_package(people, units, "scorm12")
    for i in range(12):
        p = Person.objects.create_user(full_name=f"Học viên {i}", password=None)
        catalog.enrol(person=p, course=course)
        attempt = actions.current_attempt(person=p, package=package)
        ItemState.objects.create(
            attempt=attempt, ident="item1", score=i / 12, seconds=60 * i, commits=1
        )
    staff = client_for(people["grassroots_chair"])
    staff.get(f"/packages/{package.pk}/report/")
    with django_assert_max_num_queries(14):
        r = staff.get(f"/packages/{package.pk}/report/")
    assert r.status_code == 200 and r.content.decode().count("Học viên") == 12


def test_tracked_data_that_closes_a_script_tag_stays_data(people, units, client_for):
    """Suspend data is the content's (or a learner's) text: it must not end the player page's
    configuration block."""
    course, package = with_package(people, units, "scorm12")
    catalog.enrol(person=people["member"], course=course)
    c = client_for(people["member"])
    frame = launch(c, package)
    evil = "</script><script>alert(1)</script>"
    commit(c, frame, scorm12_cmi("incomplete", suspend=evil, location="1"))
    frame2 = launch(c, package)
    html = c.get(urlsplit(frame2).path, HTTP_HOST=CONTENT).content.decode()
    assert "<script>alert(1)" not in html
    assert player_config(c, frame2)["cmi"]["suspend_data"] == evil


def test_expired_launches_are_removed_by_retention(people, units, client_for):
    from suotdoi.core.retention import apply_retention

    course, package = with_package(people, units, "scorm12")
    catalog.enrol(person=people["member"], course=course)
    launch(client_for(people["member"]), package)
    assert apply_retention()["expired e-learning launches"] == 0
    Launch.objects.update(expires_at="2020-01-01T00:00:00Z")
    assert apply_retention()["expired e-learning launches"] == 1
    assert Attempt.objects.count() == 1


def test_a_whole_course_from_one_package_or_nothing(people, units, client_for):
    from suotdoi.catalog.models import Course

    provider = provider_of(people, units)
    staff = client_for(people["grassroots_chair"])
    url = f"/packages/providers/{provider.unit_id}/new/"
    fields = {"category": "life", "hours": "1.5"}
    before = Course.objects.count()
    r = staff.post(url, fields | {"file": upload(package_zip("scorm12", drop=("quiz.js",)))})
    assert r.status_code == 400 and "quiz.js" in r.content.decode()
    assert Course.objects.count() == before and Package.objects.count() == 0
    r = staff.post(url, fields | {"file": upload(package_zip("cmi5"))})
    course = Course.objects.get(pk=Package.objects.get().lesson.course_id)
    assert r.status_code == 302 and r["Location"] == f"/catalog/manage/courses/{course.pk}/"
    assert (course.title, course.status, course.hours, course.format) == (
        "Học tập suốt đời (cmi5)", "draft", Decimal("1.5"), "online",
    )  # fmt: skip
    assert [lesson.kind for lesson in course.lessons.all()] == ["package"]
    for who in ("member", "group_leader", "foreign_officer"):
        assert (
            client_for(people[who])
            .post(url, fields | {"file": upload(package_zip("cmi5"))})
            .status_code
            == 404
        )
    assert Package.objects.count() == 1


def test_a_request_larger_than_any_package_is_refused_unread(people, units, client_for, settings):
    import os

    settings.PACKAGE_MAX_BYTES = 2 * 2**20
    course = empty_course(people, units)
    big = package_zip("scorm12", extra={"video.mp4": os.urandom(4 * 2**20)})
    r = client_for(people["grassroots_chair"]).post(
        f"/packages/courses/{course.pk}/", {"file": upload(big)}
    )
    assert r.status_code == 400 and "2 MB" in r.content.decode()
    assert Package.objects.count() == 0


def test_a_provider_that_issues_credentials_issues_one_for_a_finished_package(
    people, units, client_for, django_capture_on_commit_callbacks
):
    from suotdoi.credentials.actions import issuer_enable
    from suotdoi.credentials.models import Credential

    issuer_enable(actor=people["grassroots_chair"], unit=units["grassroots"])
    provider = provider_of(people, units)
    provider.issues_credentials = True
    provider.save()
    course, package, learner, c, frame = started(people, units, client_for, "scorm2004")
    passed = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "1"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        commit(c, frame, passed | {"session_time": "PT3M"})
    cred = Credential.objects.get()
    assert cred.entry.title == course.title and cred.entry.person == learner
    with django_capture_on_commit_callbacks(execute=True):
        commit(c, frame, passed | {"session_time": "PT4M"})
    assert Credential.objects.count() == 1


def test_a_cmi5_au_that_needs_nothing_is_satisfied_by_its_launch(people, units, client_for):
    xml = package_zip("cmi5")  # the authored package, then altered
    with zipfile.ZipFile(io.BytesIO(xml)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["cmi5.xml"] = files["cmi5.xml"].replace(
        b'moveOn="CompletedAndPassed"', b'moveOn="NotApplicable"'
    )
    course = empty_course(people, units)
    package = actions.package_upload(
        actor=people["grassroots_chair"], course=course, upload=upload(zip_of(files))
    )
    published(people, course)
    catalog.enrol(person=people["member"], course=course)
    launch(client_for(people["member"]), package)
    attempt = Attempt.objects.get(package=package)
    assert attempt.status == "completed"
    assert LearningEntry.objects.filter(person=people["member"], title=course.title).count() == 1
    launch(client_for(people["member"]), package)
    assert LearningEntry.objects.filter(person=people["member"], title=course.title).count() == 1

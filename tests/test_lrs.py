"""The xAPI LRS, requirement area by requirement area (the ADL suite is not in CI; these are)."""

import base64
import datetime as dt
import hashlib
import json
import uuid

import pytest
from django.test import Client

from suotdoi.records.lrs.actions import lrs_client_create, lrs_client_revoke
from suotdoi.records.lrs.models import Document, Statement
from suotdoi.records.models import EntryStatus, LearningEntry

pytestmark = pytest.mark.django_db
V = "2.0.0"


class Lrs:
    def __init__(self, client, secret):
        self.client, self.secret = client, secret
        self.http = Client()

    def headers(self, version=V, **extra):
        token = base64.b64encode(f"{self.client.key}:{self.secret}".encode()).decode()
        h = {"Authorization": f"Basic {token}"}
        if version:
            h["X-Experience-API-Version"] = version
        h.update(extra)
        return h

    def post(self, path, body, content_type="application/json", version=V, **h):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.http.post(
            f"/xapi/{path}", data, content_type=content_type, headers=self.headers(version, **h)
        )

    def put(self, path, body, content_type="application/json", version=V, **h):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.http.put(
            f"/xapi/{path}", data, content_type=content_type, headers=self.headers(version, **h)
        )

    def get(self, path, params=None, version=V, **h):
        return self.http.get(f"/xapi/{path}", params or {}, headers=self.headers(version, **h))

    def delete(self, path, version=V, **h):
        return self.http.delete(f"/xapi/{path}", headers=self.headers(version, **h))


@pytest.fixture
def lrs(units):
    client, secret = lrs_client_create(actor=None, unit=units["clc"], name="Khoá học trực tuyến")
    return Lrs(client, secret)


@pytest.fixture
def other_lrs(units):
    client, secret = lrs_client_create(actor=None, unit=units["library"], name="Thư viện")
    return Lrs(client, secret)


def stmt(**kw):
    s = {
        "actor": {"objectType": "Agent", "mbox": "mailto:hoc.vien@example.vn", "name": "Học viên"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"vi": "đã xem"}},
        "object": {
            "id": "http://suotdoi.example/khoa-hoc/1",
            "definition": {"name": {"vi": "Khoá học 1"}},
        },
    }
    s.update(kw)
    return s


# --- about, versions, authentication -----------------------------------------------------


def test_about_needs_nothing_and_lists_versions():
    r = Client().get("/xapi/about")
    assert r.status_code == 200 and r.json()["version"] == ["1.0.3", "2.0.0"]


def test_version_header_is_required_and_checked(lrs):
    assert lrs.get("statements", version=None).status_code == 400
    assert lrs.get("statements", version="0.9").status_code == 400
    r = lrs.get("statements", version="1.0.3")
    assert r.status_code == 200 and r["X-Experience-API-Version"] == "1.0.3"
    assert lrs.get("statements")["X-Experience-API-Version"] == "2.0.0"


def test_credentials_are_checked(lrs):
    r = Client().get("/xapi/statements", headers={"X-Experience-API-Version": V})
    assert r.status_code == 401 and "Basic" in r["WWW-Authenticate"]
    bad = Lrs(lrs.client, "wrong-secret")
    assert bad.get("statements").status_code == 401
    lrs_client_revoke(actor=None, client=lrs.client)
    assert lrs.get("statements").status_code == 401


def test_the_secret_is_stored_only_as_a_keyed_hash(lrs):
    lrs.client.refresh_from_db()
    assert lrs.secret not in lrs.client.secret_hash and len(lrs.client.secret_hash) == 64


# --- statements: write, read, conflicts ----------------------------------------------------


def test_post_put_get_and_conflicts(lrs):
    r = lrs.post("statements", [stmt(), stmt()])
    assert r.status_code == 200 and len(r.json()) == 2
    sid = str(uuid.uuid4())
    assert lrs.put(f"statements?statementId={sid}", stmt()).status_code == 204
    assert lrs.put(f"statements?statementId={sid}", stmt()).status_code == 204  # same: fine
    changed = stmt(verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    assert lrs.put(f"statements?statementId={sid}", changed).status_code == 409
    got = lrs.get("statements", {"statementId": sid}).json()
    assert got["id"] == sid and got["version"] == "2.0.0" and got["authority"]["account"]
    assert "stored" in got and "timestamp" in got


def test_a_batch_with_one_bad_statement_stores_nothing(lrs):
    before = Statement.objects.count()
    bad = stmt(actor={"mbox": "not-an-email"})
    assert lrs.post("statements", [stmt(), bad]).status_code == 400
    dup = str(uuid.uuid4())
    assert lrs.post("statements", [stmt(id=dup), stmt(id=dup)]).status_code == 400
    assert Statement.objects.count() == before


@pytest.mark.parametrize(
    "bad",
    [
        {"extra": 1},
        {"actor": {"mbox": "mailto:a@b.vn", "openid": "http://x.vn/a"}},
        {"actor": {"objectType": "Group"}},
        {"verb": {"id": "not an iri"}},
        {"verb": {"id": "http://x.vn/v", "display": {"not a tag!": "x"}}},
        {"object": {"id": "http://x.vn/a", "definition": {"interactionType": "essay"}}},
        {"result": {"score": {"scaled": 1.5}}},
        {"result": {"duration": "P4W1D"}},
        {"result": {"success": "yes"}},
        {"context": {"registration": "not-a-uuid"}},
        {"timestamp": "2026-01-01T00:00:00-00:00"},
        {"version": "3.0.0"},
        {"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}},
        {
            "object": {
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:a@b.vn"},
                "verb": {"id": "http://x.vn/v"},
                "object": {"objectType": "SubStatement"},
            }
        },
        {"result": None},
    ],
)
def test_invalid_statements_are_400(lrs, bad):
    r = lrs.post("statements", stmt(**bad))
    assert r.status_code == 400, bad
    assert r.json()["error"]["message"]


def test_bad_input_is_refused_cleanly_and_nothing_is_stored(lrs):
    before = Statement.objects.count()
    big = stmt(result={"extensions": {"http://x.vn/blob": "x" * (5 * 1024 * 1024 + 10)}})
    assert lrs.post("statements", big).status_code == 413
    nested = '{"a":' * 5000 + "1" + "}" * 5000
    deep_stmt = json.dumps(stmt(result={"extensions": {"http://x.vn/deep": 1}})).replace(
        ": 1}}", ": " + nested + "}}"
    )
    assert "5000" not in deep_stmt and deep_stmt.count('{"a":') == 5000
    assert lrs.post("statements", deep_stmt).status_code == 400
    assert lrs.post("statements", b"\xff\xfe{not utf8").status_code == 400
    assert lrs.post("statements", json.dumps(stmt()), content_type="text/plain").status_code == 400
    assert lrs.post("statements", "{broken").status_code == 400
    assert Statement.objects.count() == before


# --- voiding, StatementRef, queries ---------------------------------------------------------


def test_voiding_hides_the_statement_but_keeps_it_reachable(lrs):
    target = str(uuid.uuid4())
    lrs.post("statements", stmt(id=target))
    voiding = stmt(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    voiding_id = lrs.post("statements", voiding).json()[0]
    assert lrs.get("statements", {"statementId": target}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target}).json()["id"] == target
    ids = [s["id"] for s in lrs.get("statements").json()["statements"]]
    assert target not in ids and voiding_id in ids
    again = stmt(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": voiding_id},
    )
    assert lrs.post("statements", again).status_code == 400  # a voiding statement stays


def test_filters_paging_and_consistent_through(lrs):
    reg = str(uuid.uuid4())
    other_agent = {"mbox": "mailto:khac@example.vn"}
    lrs.post("statements", [stmt(context={"registration": reg}) for _ in range(5)])
    lrs.post("statements", [stmt(actor=other_agent) for _ in range(3)])
    r = lrs.get("statements", {"agent": json.dumps({"mbox": "mailto:khac@example.vn"})})
    assert len(r.json()["statements"]) == 3 and r["X-Experience-API-Consistent-Through"]
    assert len(lrs.get("statements", {"registration": reg}).json()["statements"]) == 5
    page = lrs.get("statements", {"limit": 3}).json()
    assert len(page["statements"]) == 3 and page["more"].startswith("/xapi/statements?more=")
    seen = [s["id"] for s in page["statements"]]
    while page["more"]:
        token = page["more"].split("more=")[1]
        lrs.post("statements", stmt())  # inserts while paging do not shift the pages
        page = lrs.get("statements", {"more": token}).json()
        seen += [s["id"] for s in page["statements"]]
    assert len(seen) == len(set(seen)) == 8
    assert lrs.get("statements", {"more": "forged"}).status_code == 400
    asc = lrs.get("statements", {"ascending": "true", "limit": 1}).json()["statements"][0]
    desc = lrs.get("statements", {"limit": 1}).json()["statements"][0]
    assert asc["stored"] <= desc["stored"]
    assert lrs.get("statements", {"nonsense": 1}).status_code == 400
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert lrs.get("statements", {"since": future}).json()["statements"] == []


def test_formats(lrs):
    sid = lrs.post("statements", stmt())
    sid = sid.json()[0]
    ids = lrs.get("statements", {"statementId": sid, "format": "ids"}).json()
    assert ids["object"] == {"id": "http://suotdoi.example/khoa-hoc/1"}
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/experienced"}
    assert "name" not in ids["actor"]
    assert lrs.get("statements", {"format": "fancy"}).status_code == 400


# --- attachments and signatures ---------------------------------------------------------------


def _multipart(statement, parts):
    boundary = "xapi-boundary"
    body = f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(statement)}"
    for content_type, content, sha in parts:
        body += (
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}\r\n\r\n"
        )
        body += content
    body += f"\r\n--{boundary}--"
    return body.encode(), f'multipart/mixed; boundary="{boundary}"'


def test_attachments_are_stored_and_returned_and_checked(lrs):
    content = "Bài thu hoạch của học viên"
    sha = hashlib.sha256(content.encode()).hexdigest()
    s = stmt(
        attachments=[
            {
                "usageType": "http://suotdoi.example/attachment/essay",
                "display": {"vi": "Bài thu hoạch"},
                "contentType": "text/plain",
                "length": len(content.encode()),
                "sha2": sha,
            }
        ]
    )
    body, ct = _multipart(s, [("text/plain", content, sha)])
    r = lrs.post("statements", body, content_type=ct)
    assert r.status_code == 200, r.content
    sid = r.json()[0]
    got = lrs.get("statements", {"statementId": sid, "attachments": "true"})
    assert got["Content-Type"].startswith("multipart/mixed") and content.encode() in got.content
    body, ct = _multipart(s, [("text/plain", content, "0" * 64)])
    assert lrs.post("statements", body, content_type=ct).status_code == 400
    assert lrs.post("statements", s).status_code == 400  # the part is missing


def test_a_signature_that_is_not_a_jws_is_refused(lrs):
    jws = "not-a-jws"
    sha = hashlib.sha256(jws.encode()).hexdigest()
    s = stmt(
        attachments=[
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en": "Signature"},
                "contentType": "application/octet-stream",
                "length": len(jws),
                "sha2": sha,
            }
        ]
    )
    body, ct = _multipart(s, [("application/octet-stream", jws, sha)])
    assert lrs.post("statements", body, content_type=ct).status_code == 400


# --- documents -------------------------------------------------------------------------------


def test_state_documents_with_merge_and_etags(lrs):
    q = (
        "activities/state?activityId=http://suotdoi.example/khoa-hoc/1"
        "&agent=" + json.dumps({"mbox": "mailto:hoc.vien@example.vn"}) + "&stateId=tien-do"
    )
    assert lrs.put(q, {"bai": 1}).status_code == 204
    assert lrs.post(q, {"diem": 9}).status_code == 204
    r = lrs.get(q)
    assert r.json() == {"bai": 1, "diem": 9}
    etag = r["ETag"]
    assert lrs.put(q, {"bai": 2}, **{"If-Match": '"nope"'}).status_code == 412
    assert lrs.put(q, {"bai": 2}, **{"If-None-Match": "*"}).status_code == 412
    assert lrs.put(q, {"bai": 2}).status_code == 409  # 2.0: exists, no precondition
    assert lrs.put(q, {"bai": 2}, **{"If-Match": etag}).status_code == 204
    assert lrs.post(q, "text", content_type="text/plain").status_code == 400
    listing = q.rsplit("&stateId", 1)[0]
    assert lrs.get(listing).json() == ["tien-do"]
    assert lrs.delete(q).status_code == 204 and lrs.get(q).status_code == 404


def test_profiles_and_activities_and_agents(lrs):
    q = "activities/profile?activityId=http://suotdoi.example/khoa-hoc/1&profileId=mo-ta"
    assert lrs.put(q, {"a": 1}, **{"If-None-Match": "*"}).status_code == 204
    assert lrs.get("activities/profile?activityId=http://suotdoi.example/khoa-hoc/1").json() == [
        "mo-ta"
    ]
    lrs.post("statements", stmt())
    act = lrs.get("activities", {"activityId": "http://suotdoi.example/khoa-hoc/1"}).json()
    assert act["definition"]["name"]["vi"] == "Khoá học 1"
    person = lrs.get("agents", {"agent": json.dumps({"mbox": "mailto:hoc.vien@example.vn"})})
    assert person.json()["objectType"] == "Person"


# --- versions 1.0.3 ------------------------------------------------------------------------------


def test_alternate_request_syntax_only_for_1_0_3(lrs):
    token = base64.b64encode(f"{lrs.client.key}:{lrs.secret}".encode()).decode()
    form = {
        "Authorization": f"Basic {token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": json.dumps(stmt()),
    }
    from urllib.parse import urlencode

    r = Client().post(
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 200
    form["X-Experience-API-Version"] = "2.0.0"
    r = Client().post(
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400


def test_head_answers_without_a_body(lrs):
    r = Client().head("/xapi/statements", headers=lrs.headers())
    assert r.status_code == 200 and r.content == b""


# --- scope: another client, another unit -----------------------------------------------------


def test_another_client_sees_nothing_and_changes_nothing(lrs, other_lrs):
    sid = lrs.post("statements", stmt()).json()[0]
    q = (
        "activities/state?activityId=http://suotdoi.example/khoa-hoc/1"
        "&agent=" + json.dumps({"mbox": "mailto:hoc.vien@example.vn"}) + "&stateId=s"
    )
    lrs.put(q, {"mine": True})
    assert other_lrs.get("statements", {"statementId": sid}).status_code == 404
    assert other_lrs.get("statements").json()["statements"] == []
    assert other_lrs.get(q).status_code == 404
    assert other_lrs.delete(q).status_code == 204
    assert Document.objects.count() == 1 and lrs.get(q).json() == {"mine": True}


# --- into the learning record -------------------------------------------------------------------


def test_a_completion_by_a_person_here_becomes_an_issued_entry_and_voiding_withdraws_it(
    lrs, people, units
):
    mai = people["member"]
    mai.email = "mai@example.vn"
    mai.save()
    done = stmt(
        actor={"mbox": "mailto:mai@example.vn"},
        verb={"id": "http://adlnet.gov/expapi/verbs/completed"},
        result={"duration": "PT2H30M"},
    )
    sid = lrs.post("statements", done).json()[0]
    from suotdoi.records.lrs.models import AttemptStatement

    entry = AttemptStatement.objects.get(statement_id=sid).attempt.entry
    assert entry.person == mai and entry.provenance == "issued" and entry.unit == units["clc"]
    assert entry.hours == 2.5 and entry.title == "Khoá học 1"
    lrs.put(f"statements?statementId={sid}", done)  # a replay does not add another
    assert LearningEntry.objects.filter(person=mai).count() == 1
    stranger = stmt(verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    lrs.post("statements", stranger)
    assert LearningEntry.objects.filter(source_key__startswith="xapi").count() == 1
    no_duration = stmt(actor={"mbox": "mailto:mai@example.vn"})  # experienced needs one
    lrs.post("statements", no_duration)
    assert LearningEntry.objects.filter(person=mai).count() == 1
    lrs.post(
        "statements",
        stmt(
            verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
            object={"objectType": "StatementRef", "id": sid},
        ),
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUPERSEDED


def test_lrs_client_create_command_prints_a_working_key(units):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("lrs_client_create", unit=units["clc"].code, name="Kiosk", json=True, stdout=out)
    creds = json.loads(out.getvalue())
    token = base64.b64encode(f"{creds['key']}:{creds['secret']}".encode()).decode()
    r = Client().get(
        "/xapi/statements",
        headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": V},
    )
    assert r.status_code == 200


# --- the officer's page ----------------------------------------------------------------------


def test_officer_creates_credentials_sees_statements_and_revokes(people, units, client_for):
    officer = client_for(people["commune_officer"])
    page = f"/record/lrs/unit/{units['clc'].pk}/"
    r = officer.post(page, {"name": "Moodle của trung tâm"})
    html = r.content.decode()
    import re

    key = re.search(r'id="new-key">([^<]+)<', html).group(1)
    secret = re.search(r'id="new-secret">([^<]+)<', html).group(1)
    from suotdoi.records.lrs.models import LrsClient

    client = LrsClient.objects.get(key=key)
    lrs = Lrs(client, secret)
    assert lrs.post("statements", stmt()).status_code == 200
    again = officer.get(page).content.decode()
    assert secret not in again and "Moodle của trung tâm" in again
    assert "http://adlnet.gov/expapi/verbs/experienced" in again
    officer.post(f"/record/lrs/unit/{units['clc'].pk}/clients/{client.pk}/revoke/")
    assert lrs.get("statements").status_code == 401


@pytest.mark.parametrize("outsider", ["foreign_officer", "member", "association_officer"])
def test_outsiders_get_404_on_the_lrs_pages_and_change_nothing(
    people, units, client_for, outsider, lrs
):
    from suotdoi.records.lrs.models import LrsClient

    c = client_for(people[outsider])
    page = f"/record/lrs/unit/{units['clc'].pk}/"
    before = LrsClient.objects.count()
    assert c.get(page).status_code == 404
    assert c.post(page, {"name": "x"}).status_code == 404
    assert c.post(f"{page}clients/{lrs.client.pk}/revoke/").status_code == 404
    assert LrsClient.objects.count() == before
    lrs.client.refresh_from_db()
    assert lrs.client.revoked_at is None

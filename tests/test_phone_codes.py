"""#18.1: one-time codes by SMS — sign-in, a new password without email, verification at
sign-up; expiry, reuse, brute force and no hint of whether a number has an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from suotdoi.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db

NEW = "/profile/new-password/"


@pytest.fixture(autouse=True)
def _outbox():
    MemoryBackend.outbox.clear()
    yield
    MemoryBackend.outbox.clear()


def _code(to="+84912000001") -> str:
    texts = [m["text"] for m in MemoryBackend.outbox if m["to"] == to]
    assert texts, MemoryBackend.outbox
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def _ask(c: Client, phone="0912 000 001"):
    return c.post("/accounts/login/code/", {"phone": phone, "next": NEW})


def test_a_code_by_sms_signs_in_and_leads_to_a_new_password(people):
    mai = people["member"]
    c = Client()
    r = _ask(c)
    assert r.status_code == 302
    code = _code()
    assert "Suot Doi" in MemoryBackend.outbox[-1]["text"] and code not in r["Location"]
    page = c.get(r["Location"]).content.decode()
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    form = page[page.index('id="id_code"') :]
    nxt = re.search(r'name="next" value="([^"]*)"', form).group(1)
    r = c.post(r["Location"], {"code": code, "next": nxt})
    assert r.status_code == 302 and r["Location"] == NEW
    r = c.post(NEW, {"new_password1": "Lua-chin-vang-2026", "new_password2": "Lua-chin-vang-2026"})
    assert r.status_code == 302
    mai.refresh_from_db()
    assert mai.check_password("Lua-chin-vang-2026") and mai.phone_verified
    # The code is spent: signed out, the same code opens nothing.
    c.post("/accounts/logout/")
    again = c.post("/accounts/login/code/confirm/", {"code": code})
    assert "_auth_user_id" not in c.session and again.status_code in (200, 302)


def test_a_new_password_without_the_old_one_needs_a_fresh_code(people, client_for):
    c = client_for(people["member"])  # signed in some other way
    r = c.get(NEW)
    assert r.status_code == 302 and "/accounts/login/code/" in r["Location"]


def test_wrong_codes_run_out_and_a_code_expires(people):
    import time
    from unittest import mock

    c = Client()
    _ask(c)
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        c.post("/accounts/login/code/confirm/", {"code": wrong})
    c.post("/accounts/login/code/confirm/", {"code": code})
    assert "_auth_user_id" not in c.session  # three wrong tries spent the code
    MemoryBackend.outbox.clear()
    late = Client()
    _ask(late, "0912 000 002")
    code2 = _code("+84912000002")
    later = time.time() + 6 * 60  # the code lives five minutes
    with mock.patch("time.time", return_value=later):
        late.post("/accounts/login/code/confirm/", {"code": code2})
    assert "_auth_user_id" not in late.session


def test_the_page_says_the_same_for_a_number_with_no_account_and_sends_nothing(people):
    known, unknown = Client(), Client()
    a = _ask(known, "0912 000 001")
    b = _ask(unknown, "0988 777 666")
    assert a.status_code == b.status_code == 302
    assert a["Location"].split("?")[0] == b["Location"].split("?")[0]
    assert [m["to"] for m in MemoryBackend.outbox] == ["+84912000001"]
    page_a = known.get(a["Location"]).content.decode()
    page_b = unknown.get(b["Location"]).content.decode()
    assert page_a.replace("+84912000001", "X").replace("0912 000 001", "X").count("<input") == (
        page_b.replace("+84988777666", "X").replace("0988 777 666", "X").count("<input")
    )


def test_codes_for_one_number_are_rate_limited(people):
    sent = 0
    for _ in range(6):
        _ask(Client(), "0912 000 001")
        sent = len(MemoryBackend.outbox)
    assert sent == 3  # then the number gets no more codes for a while


def test_a_number_changed_on_the_profile_is_no_longer_verified_until_a_code_reaches_it(people):
    from suotdoi.people.actions import person_update_profile

    mai = people["member"]
    mai.phone_verified = True
    mai.save()
    person_update_profile(actor=mai, person=mai, data={"phone": "+84912999888"})
    mai.refresh_from_db()
    assert mai.phone == "+84912999888" and not mai.phone_verified
    c = Client()
    _ask(c, "0912 999 888")
    c.post("/accounts/login/code/confirm/", {"code": _code("+84912999888")})
    mai.refresh_from_db()
    assert mai.phone_verified


def test_a_new_number_replaces_the_old_only_when_its_code_comes_back(people):
    from suotdoi.audit.models import AuditEvent
    from suotdoi.demo.world import DEMO_PASSWORD

    mai = people["member"]
    mai.phone_verified = True
    mai.save()
    c = Client()
    c.post("/accounts/login/", {"login": "0912000001", "password": DEMO_PASSWORD})
    # The profile form has no phone field any more: posting one changes nothing.
    page = c.get("/profile/").content.decode()
    assert 'name="phone"' not in page and "/accounts/phone/change/" in page
    # A number taken by someone else is refused.
    r = c.post("/accounts/phone/change/", {"phone": "0912 000 002"})
    assert r.status_code == 200 and not MemoryBackend.outbox
    r = c.post("/accounts/phone/change/", {"phone": "0912 999 888"})
    assert r.status_code == 302 and r["Location"] == "/accounts/phone/verify/"
    mai.refresh_from_db()
    assert mai.phone == "+84912000001" and mai.phone_verified  # unchanged until the code
    code = _code("+84912999888")
    wrong = "000000" if code != "000000" else "111111"
    c.post("/accounts/phone/verify/", {"code": wrong})
    mai.refresh_from_db()
    assert mai.phone == "+84912000001"
    r = c.post("/accounts/phone/verify/", {"code": code})
    assert r.status_code == 302
    mai.refresh_from_db()
    assert mai.phone == "+84912999888" and mai.phone_verified
    ev = AuditEvent.objects.get(verb="person.change_phone", target_id=str(mai.pk))
    assert "+84912999888" not in str(ev.data) and code not in str(ev.data)
    # The code is spent.
    r = c.post("/accounts/phone/verify/", {"code": code})
    assert r.status_code in (302, 404) or "expired" in r.content.decode().lower()

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

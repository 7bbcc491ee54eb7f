import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from suotdoi.audit.models import AuditEvent
from suotdoi.people.models import Person

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Đặng Thị Thu Hà",
    "phone": "0987 654 321",
    "email": "",
    "date_of_birth": "02/09/1985",
    "gender": "female",
    "national_id": "",
    "password1": "Hoc-tap-2026!",
    "password2": "Hoc-tap-2026!",
}


def signup(client, **changes):
    return client.post("/accounts/signup/", {**GOOD, **changes})


def test_sign_up_with_a_vietnamese_phone_number():
    c = Client()
    r = signup(c)
    assert r.status_code == 302
    p = Person.objects.get()
    assert p.phone == "+84987654321"
    assert p.full_name == "Đặng Thị Thu Hà"
    assert p.date_of_birth.isoformat() == "1985-09-02"
    assert AuditEvent.objects.filter(verb="person.sign_up", actor=p).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "không phải số điện thoại Việt Nam"),
        ({"national_id": "0010900123456"}, "phải có đúng 12 chữ số"),
        ({"date_of_birth": "01/01/2090"}, "Ngày sinh không được ở tương lai"),
        ({"date_of_birth": "31/02/1990"}, "ngày/tháng/năm"),
        ({"full_name": "<script>"}, "Vui lòng nhập họ và tên"),
        ({"password2": "khac-nhau"}, "Hai lần nhập mật khẩu phải giống nhau"),
    ],
)
def test_bad_sign_up_input_is_explained_in_vietnamese_and_creates_nothing(changes, message):
    r = signup(Client(), **changes)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert Person.objects.count() == 0


def test_duplicate_phone_is_refused_clearly():
    signup(Client())
    r = signup(Client(), phone="+84 987 654 321", full_name="Người Khác")
    assert r.status_code == 200
    assert "Số điện thoại này đã được dùng" in r.content.decode()
    assert Person.objects.count() == 1


def test_duplicate_cccd_is_refused_clearly():
    signup(Client(), national_id="001090012345")
    r = signup(Client(), phone="0912 111 222", national_id="001090012345")
    assert "Số CCCD này đã được đăng ký" in r.content.decode()
    assert Person.objects.count() == 1


def test_login_by_phone_in_any_format_and_by_email():
    Person.objects.create_user(
        full_name="Bùi Văn Long",
        phone="+84912555666",
        email="long@example.vn",
        password="Hoc-tap-2026!",
    )
    for login in ["0912 555 666", "+84912555666", "long@example.vn"]:
        c = Client()
        r = c.post("/accounts/login/", {"login": login, "password": "Hoc-tap-2026!"})
        assert r.status_code == 302, login
        assert "Xin chào, Long" in c.get("/").content.decode()


def test_wrong_password_is_refused_in_vietnamese():
    Person.objects.create_user(
        full_name="Bùi Văn Long", phone="+84912555666", password="Hoc-tap-2026!"
    )
    r = Client().post("/accounts/login/", {"login": "0912555666", "password": "sai"})
    assert "Số điện thoại hoặc mật khẩu không đúng" in r.content.decode()


def test_login_is_rate_limited():
    Person.objects.create_user(
        full_name="Bùi Văn Long", phone="+84912555666", password="Hoc-tap-2026!"
    )
    c = Client()
    for _ in range(5):
        c.post("/accounts/login/", {"login": "0912555666", "password": "sai"})
    r = c.post("/accounts/login/", {"login": "0912555666", "password": "Hoc-tap-2026!"})
    assert r.status_code in (200, 429)
    assert "_auth_user_id" not in c.session


def test_profile_edit_and_language_choice():
    p = Person.objects.create_user(
        full_name="Bùi Văn Long", phone="+84912555666", password="x", national_id="001090012345"
    )
    c = Client()
    c.force_login(p)
    page = c.get("/profile/").content.decode()
    assert "001090012345" in page  # the person sees their own full ID
    r = c.post(
        "/profile/",
        {
            "full_name": "Bùi Văn Lộc",
            "phone": "0912555666",
            "email": "",
            "date_of_birth": "",
            "gender": "male",
            "national_id": "001090012345",
            "language": "en",
        },
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.full_name == "Bùi Văn Lộc" and p.language == "en"
    assert "Hello, Lộc" in c.get("/").content.decode()
    ev = AuditEvent.objects.get(verb="person.update_profile")
    assert "001090012345" not in str(ev.data)


def test_check_deploy_is_clean_with_prod_settings(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check-only-%$#",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "suotdoi.example.vn",
        "SUOTDOI_PUBLIC_URL": "https://suotdoi.example.vn",
        "SUOTDOI_KEY_ENCRYPTION_KEYS": "m4GSh0a4nC3mYQp7v4d8sJ2nqz8o0N1cV6wB5eR9tUk=",
        "SUOTDOI_PERSONAL_DATA_KEYS": "yYqJ1b8l0bq2pC8b3cHzDkO0Zt0q6lC0r8oU1t9Qm3s=",
        "SUOTDOI_LOOKUP_KEYS": "a-lookup-key-for-the-deploy-check-only",
        "SUOTDOI_PACKAGE_ORIGIN": "https://noidung.example.vn",
    }
    # Without an SMS gateway the deploy check refuses (codes could never reach a phone).
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and "suotdoi.E001" in r.stdout + r.stderr
    # Without Redis, the file cache: codes and rate-limit counts dropped past 300 entries.
    assert "suotdoi.W001" in r.stdout + r.stderr
    env["SMS_GATEWAY_URL"] = "https://sms-gateway.example.vn/send"
    env["SMS_GATEWAY_TOKEN"] = "a-token"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/0"  # not reached: the check reads the setting
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_password_reset_by_email():
    import re

    from django.core import mail

    Person.objects.create_user(
        full_name="Bùi Văn Long",
        phone="+84912555666",
        email="long@example.vn",
        password="Cu-2026-mat-khau",
    )
    c = Client()
    r = c.post("/accounts/password/reset/", {"email": "long@example.vn"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert "Chọn mật khẩu mới cho Suốt Đời" in msg.subject
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", msg.body).group(1)
    r = c.get(link, follow=True)
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else link
    r = c.post(form_url, {"password1": "Moi-2026-mat-khau", "password2": "Moi-2026-mat-khau"})
    assert r.status_code == 302
    ok = Client().post(
        "/accounts/login/", {"login": "long@example.vn", "password": "Moi-2026-mat-khau"}
    )
    assert ok.status_code == 302


def test_person_create_admin_command(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("SUOTDOI_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("person_create_admin", "--name", "Quản Trị", "--email", "a@b.vn")
    monkeypatch.setenv("SUOTDOI_ADMIN_PASSWORD", "Mat-khau-quan-tri-2026")
    call_command(
        "person_create_admin",
        "--name",
        "Quản Trị",
        "--email",
        "Admin@B.vn",
        "--phone",
        "0912 888 777",
    )
    admin = Person.objects.get(email="admin@b.vn")
    assert admin.is_superuser and admin.phone == "+84912888777"
    assert AuditEvent.objects.filter(verb="person.create_admin").exists()
    with pytest.raises(CommandError):
        call_command("person_create_admin", "--name", "Khác", "--email", "admin@b.vn")

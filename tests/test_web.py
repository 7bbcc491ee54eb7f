import json
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_even_for_an_english_browser():
    r = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<html lang="vi" ' in html
    assert "Học tập suốt đời, ghi nhận suốt đời" in html


def test_language_switch_to_english_and_back():
    c = Client()
    r = c.post("/language/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    assert "Learning for life, recorded for life" in c.get("/").content.decode()
    c.post("/language/", {"language": "vi", "next": "/"})
    assert "Học tập suốt đời" in c.get("/").content.decode()


def test_language_switch_refuses_foreign_redirects():
    r = Client().post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_healthz_touches_the_database():
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_friendly_404_in_both_languages():
    c = Client()
    r = c.get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert "Không tìm thấy trang" in r.content.decode()
    c.post("/language/", {"language": "en"})
    assert "Page not found" in c.get("/nope/").content.decode()


def test_security_headers_and_csp():
    r = Client().get("/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"


def test_no_asset_is_loaded_from_the_internet():
    c = Client()
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/api/v1/docs"]:
        html = c.get(url).content.decode()
        assert "https://" not in html.replace("https://suotdoi.vn", ""), url
        assert "http://" not in html, url


def test_openapi_document_matches_the_committed_snapshot():
    """Changing the API changes docs/openapi.json in the same commit (regenerate: see test)."""
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    snapshot = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
    fresh = json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if not snapshot.exists():  # pragma: no cover - first run writes it
        snapshot.write_text(fresh)
    assert json.loads(snapshot.read_text()) == doc, (
        "The API changed: review and refresh docs/openapi.json "
        "(rm docs/openapi.json && pytest tests/test_web.py)"
    )


def test_api_errors_are_problem_json():
    r = Client().get("/api/v1/me")
    assert r.status_code == 401
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 401


def test_prod_settings_refuse_to_start_without_secrets(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(importlib.import_module("config.settings.prod"))


def test_demo_logins_refuses_outside_development(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.SUOTDOI_DEMO = False
    with pytest.raises(CommandError):
        call_command("demo_logins", "--json")

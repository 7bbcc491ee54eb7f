"""#27.1: what makes the site an installable app — the manifest and its icons, the service
worker served from the root (its offline behaviour: tests/browser/test_offline.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_icons_exist(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["name"] == "Suốt Đời" and data["display"] == "standalone"
    assert data["start_url"].startswith("/")
    sizes = {i["sizes"] for i in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(i.get("purpose") == "maskable" for i in data["icons"])
    for icon in data["icons"]:
        r = client.get(icon["src"])
        assert r.status_code == 200, icon
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
    page = client.get("/").content.decode()
    assert 'rel="manifest"' in page and "/static/suotdoi/app.js" in page

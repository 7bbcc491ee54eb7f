"""#17: an e-learning package served from another origin (another port on 127.0.0.1) talks to
the LRS from Chromium: statements, state and profiles with normal requests and with the 1.0.3
alternate syntax, reading the exposed headers."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# A page as an authoring tool's package would be: it reads its LRS settings and sends.
PACKAGE = (Path(__file__).with_name("xapi_package.html")).read_text(encoding="utf-8")


def _serve(html: str):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_package_on_another_origin_uses_the_lrs(world, new_page, live_server, shot):
    from django.conf import settings

    from suotdoi.records.lrs.actions import lrs_client_create, lrs_client_origins_set
    from suotdoi.records.lrs.models import AttemptStatement

    client, secret = lrs_client_create(actor=None, unit=world.units["clc"], name="Gói Storyline")
    mai = world.people["member"]
    actor = {
        "objectType": "Agent",
        "account": {"homePage": settings.PUBLIC_URL.rstrip("/"), "name": mai.public_id},
    }
    cfg = {
        "endpoint": live_server.url + "/xapi/",
        "auth": "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode(),
        "actor": actor,
    }
    server = _serve(PACKAGE % {"cfg": json.dumps(cfg)})
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = new_page(width=1280, height=800)
        blocked = []
        page.on("console", lambda m: blocked.append(m.text) if "CORS" in m.text else None)
        # Not yet allowed: the browser blocks reading every answer.
        page.goto(origin + "/")
        page.wait_for_selector("body[data-done]")
        assert page.get_attribute("body", "data-done") == "error"
        lrs_client_origins_set(actor=None, client=client, origins=[origin], any_origin=False)
        page.goto(origin + "/")
        page.wait_for_selector("body[data-done]")
        out = json.loads(page.inner_text("#out"))
        shot(page, "xapi-package-other-origin")
    finally:
        server.shutdown()
    assert out["post"][0] == 200 and len(out["post"][1]) == 1
    assert out["get"][0] == 200 and out["get"][2] is True and out["get"][3] == "1.0.3"
    assert out["state_put"] == 204 and out["state_get"][:2] == [200, '{"trang": 4}']
    assert out["state_get"][2]  # ETag readable
    assert out["profile_put"] == 204 and out["profile_get"] == [200, True, True]
    assert out["alternate_put"] == 204 and out["alternate_get"][0] == 200
    # Both completions are one attempt at the course on the same day: one entry, 15 minutes.
    entries = {a.attempt.entry_id for a in AttemptStatement.objects.all()}
    assert len(entries) == 1


def test_the_learner_links_a_tool_and_decides_on_its_report_on_a_phone(world, new_page, shot):
    import datetime as dt

    from suotdoi.demo.world import DEMO_PASSWORD
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.lrs.linking import link_request_create
    from suotdoi.records.models import EntryStatus, LearningEntry
    from tests.browser.conftest import sign_in
    from tests.test_lrs import Lrs

    library = Lrs(
        *lrs_client_create(actor=None, unit=world.units["library"], name="Ứng dụng thư viện")
    )
    _req, code = link_request_create(
        client=library.client, home_page="https://tv.example.vn", account_name="ban-doc-0042"
    )
    actor = {
        "objectType": "Agent",
        "account": {"homePage": "https://tv.example.vn", "name": "ban-doc-0042"},
    }
    page = new_page(width=360, height=740)
    sign_in(page, "0912000001", DEMO_PASSWORD)
    page.goto("/record/lrs/tools/")
    page.get_by_label("Mã do công cụ học tập hiển thị").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_selector("text=ban-doc-0042")
    shot(page, "xapi-link-confirm-360")
    page.get_by_role("button", name="Đồng ý liên kết").click()
    page.wait_for_selector("text=Đã liên kết")
    statement = {
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {
            "id": "https://tv.example.vn/sach-noi/1",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/course",
                "name": {"vi": "Sách nói: Đắc nhân tâm"},
            },
        },
        "result": {"duration": "PT3H"},
        "timestamp": dt.datetime.now(dt.UTC).isoformat(),
    }
    assert library.post("statements", statement, version="1.0.3").status_code == 200
    page.goto("/record/")
    page.get_by_role("link", name="Xem và quyết định").click()
    card = page.locator("li.card", has_text="Sách nói: Đắc nhân tâm")
    assert "Ứng dụng thư viện" in card.inner_text()
    shot(page, "xapi-report-waiting-360")
    card.get_by_role("button", name="Thêm vào hồ sơ của tôi").click()
    page.wait_for_selector("text=Đã thêm vào hồ sơ của bạn.")
    e = LearningEntry.objects.get(person=world.people["member"], title="Sách nói: Đắc nhân tâm")
    assert e.status == EntryStatus.UNVERIFIED and e.hours == 3

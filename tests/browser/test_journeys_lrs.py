"""Issue 5 journey: an officer gives the centre's Moodle its xAPI credentials; Moodle reports a
completion by Mai; it shows on the unit's page and in Mai's learning record."""

import base64
import json
import re
import urllib.request

import pytest

from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.organisations.models import Unit
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_connects_a_tool_and_its_statement_reaches_the_record(
    world, new_page, shot, live_server
):
    centre = Unit.objects.get(code="TTHTCD-HL")
    mai = world.people["member"]
    mai.email = "mai@example.vn"
    mai.save()
    officer = new_page(width=1280, height=900)
    sign_in(officer, "0912000006", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    officer.goto(f"/record/lrs/unit/{centre.pk}/")
    officer.fill("#id_name", "Moodle của trung tâm")
    officer.get_by_role("button", name="Tạo thông tin đăng nhập").click()
    officer.wait_for_selector("#new-secret")
    key, secret = officer.inner_text("#new-key"), officer.inner_text("#new-secret")
    shot(officer, "lrs-credentials-1280")

    statement = {
        "actor": {"mbox": "mailto:mai@example.vn", "name": "Nguyễn Thị Mai"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"vi": "hoàn thành"}},
        "object": {
            "id": "http://moodle.example.vn/course/7",
            "definition": {"name": {"vi": "An toàn điện trong gia đình"}},
        },
        "result": {"duration": "PT1H30M", "completion": True},
    }
    request = urllib.request.Request(  # noqa: S310 - the live server on 127.0.0.1
        f"{live_server.url}/xapi/statements",
        data=json.dumps(statement).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": "2.0.0",
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - the live server
        assert r.status == 200

    officer.reload()
    assert "http://moodle.example.vn/course/7" in officer.inner_text("main")
    assert secret not in officer.content()

    learner = new_page(width=360)
    sign_in(learner, "0912000001", DEMO_PASSWORD)
    learner.goto("/record/")
    main = learner.inner_text("main")
    assert "An toàn điện trong gia đình" in main
    assert re.search(r"1[,.]5", main)
    shot(learner, "lrs-entry-in-record-360")

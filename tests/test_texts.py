"""Reminders by Zalo (ZNS) or SMS for people without the app (#27), against a local fake of
Zalo's ZNS endpoint that checks the documented request; each unit's monthly allowance."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from suotdoi.core.sms import MemoryBackend
from suotdoi.notifications import texts
from suotdoi.notifications.actions import notify
from suotdoi.notifications.models import DeliveryPreference, Notification, PushSubscription
from suotdoi.notifications.tasks import notification_send_text

pytestmark = pytest.mark.django_db
TOKEN = "oa-token-for-tests"
NOT_ON_ZALO = {"84912000002"}


class FakeZns(BaseHTTPRequestHandler):
    """Speaks ZNS's documented format: POST /message/template, the OA token in the
    `access_token` header, a JSON body with phone (84…), template_id, template_data and
    tracking_id; answers {"error": 0, …} or a non-zero error."""

    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        problems = []
        if self.path != "/message/template":
            problems.append("path")
        if self.headers.get("access_token") != TOKEN:
            answer = {"error": -124, "message": "Access token is invalid"}
        else:
            data = json.loads(body)
            if not (data.get("phone", "").startswith("84") and data["phone"].isdigit()):
                problems.append("phone")
            if data.get("template_id") != "tmpl-nhac-lich":
                problems.append("template_id")
            if set(data.get("template_data", {})) != {"ten", "noi_dung", "lien_ket"}:
                problems.append("template_data")
            if not data.get("tracking_id"):
                problems.append("tracking_id")
            if problems:
                answer = {"error": -100, "message": ",".join(problems)}
            elif data["phone"] in NOT_ON_ZALO:
                answer = {"error": -118, "message": "Zalo account not existed"}
            else:
                FakeZns.received.append(data)
                answer = {
                    "error": 0,
                    "message": "Success",
                    "data": {"msg_id": f"m{len(FakeZns.received)}"},
                }
        out = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def zns(settings):
    FakeZns.received = []
    MemoryBackend.outbox.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeZns)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ZALO_ZNS_URL = f"http://127.0.0.1:{server.server_port}/message/template"
    settings.ZALO_ZNS_ACCESS_TOKEN = TOKEN
    settings.ZALO_ZNS_TEMPLATE_ID = "tmpl-nhac-lich"
    settings.TEXT_MONTHLY_CAP_PER_UNIT = 3
    yield FakeZns
    server.shutdown()
    server.server_close()


def _remind(person, unit, key="k1", kind="session.invited"):
    return notify(
        recipient=person,
        kind=kind,
        title="Nhắc lịch: Sinh hoạt chuyên đề “Học tập suốt đời”",
        url="/record/",
        dedupe_key=key,
        text_unit=unit.pk,
        email=False,
    )


def test_a_person_without_the_app_gets_a_zalo_message_once(
    people, units, zns, django_capture_on_commit_callbacks
):
    mai = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        n = _remind(mai, units["grassroots"])
    assert len(zns.received) == 1
    sent = zns.received[0]
    assert sent["phone"] == "84912000001" and sent["tracking_id"] == f"n{n.pk}"
    assert sent["template_data"]["noi_dung"].startswith("Nhắc lịch: Sinh hoạt")  # marks kept
    assert sent["template_data"]["ten"] == "Nguyễn Thị Mai"
    assert notification_send_text.call(n.pk, units["grassroots"].pk) == ""  # a second run
    assert len(zns.received) == 1 and not MemoryBackend.outbox
    assert Notification.objects.get(pk=n.pk).texted_at is not None
    assert texts.quota_used(units["grassroots"].pk) == 1


def test_not_on_zalo_or_zalo_away_falls_back_to_a_plain_sms(
    people, units, zns, settings, django_capture_on_commit_callbacks
):
    hung = people["group_leader"]  # +84912000002: not on Zalo
    with django_capture_on_commit_callbacks(execute=True):
        _remind(hung, units["grassroots"])
    assert not zns.received
    (sms,) = MemoryBackend.outbox
    assert sms["to"] == "+84912000002"
    assert sms["text"].startswith("Suot Doi: Nhac lich: Sinh hoat chuyen de")
    assert len(sms["text"]) <= 160 and sms["text"].endswith("/record/")
    assert "đ" not in sms["text"] and "ạ" not in sms["text"]
    # Zalo unreachable: SMS as well
    settings.ZALO_ZNS_URL = "http://127.0.0.1:9/message/template"
    with django_capture_on_commit_callbacks(execute=True):
        _remind(people["member"], units["grassroots"], key="k2")
    assert len(MemoryBackend.outbox) == 2 and MemoryBackend.outbox[1]["to"] == "+84912000001"


def test_the_units_monthly_allowance_caps_texts_and_renews_next_month(
    people, units, zns, django_capture_on_commit_callbacks
):
    unit = units["grassroots"]
    mai = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            _remind(mai, unit, key=f"cap{i}")
    assert len(zns.received) == 3 and texts.quota_used(unit.pk) == 3
    assert Notification.objects.filter(dedupe_key__startswith="cap").count() == 5  # all in the app
    # another unit has its own allowance; next month the unit has a new one
    assert texts.quota_take(units["federation"].pk)
    next_month = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert texts.quota_take(unit.pk, today=next_month)
    assert not texts.quota_take(unit.pk)


def test_no_text_for_people_with_the_app_or_who_said_no(
    people, units, zns, settings, django_capture_on_commit_callbacks
):
    settings.WEB_PUSH_VAPID_PRIVATE_KEY = ""  # (a push to this made-up address would fail
    # and remove the subscription, after which a text is right)
    mai, hung = people["member"], people["group_leader"]
    PushSubscription.objects.create(
        person=mai, endpoint="https://push.example/abc", p256dh="x" * 87, auth="y" * 22
    )
    DeliveryPreference.objects.create(person=hung, channels={"sessions": ["email"]})
    with django_capture_on_commit_callbacks(execute=True):
        _remind(mai, units["grassroots"])
        _remind(hung, units["grassroots"])
        notify(
            recipient=people["commune_officer"],
            kind="session.invited",
            title="x",
            dedupe_key="k3",
            email=False,
        )  # no unit pays: none
    assert not zns.received and not MemoryBackend.outbox
    assert texts.quota_used(units["grassroots"].pk) == 0


def test_a_wrong_token_is_refused_by_zalo_and_the_sms_goes_instead(
    people, units, zns, settings, django_capture_on_commit_callbacks
):
    settings.ZALO_ZNS_ACCESS_TOKEN = "stale"
    with django_capture_on_commit_callbacks(execute=True):
        _remind(people["member"], units["grassroots"])
    assert not zns.received and len(MemoryBackend.outbox) == 1
    assert texts.quota_used(units["grassroots"].pk) == 1


def test_nothing_sent_gives_the_allowance_back(
    people, units, zns, settings, django_capture_on_commit_callbacks
):
    settings.ZALO_ZNS_ACCESS_TOKEN = "stale"
    DeliveryPreference.objects.create(person=people["member"], channels={"sessions": ["zalo"]})
    with django_capture_on_commit_callbacks(execute=True):
        _remind(people["member"], units["grassroots"])
    assert not zns.received and not MemoryBackend.outbox
    assert texts.quota_used(units["grassroots"].pk) == 0


def test_a_session_announcement_reaches_members_without_the_app_by_text(
    people, units, zns, django_capture_on_commit_callbacks
):
    from suotdoi.campaigns.models import Task
    from tests.test_campaigns import launched, session_of

    task = Task.objects.get(campaign=launched(people, units), unit=units["grassroots"])
    with django_capture_on_commit_callbacks(execute=True):
        session_of(people, task)
    phones = {r["phone"] for r in zns.received} | {m["to"] for m in MemoryBackend.outbox}
    assert len(phones) == 3  # the unit's allowance (3 in this test), of many members
    assert (
        texts.quota_used(units["grassroots"].pk)
        == len(zns.received) + len(MemoryBackend.outbox)
        <= 3
    )

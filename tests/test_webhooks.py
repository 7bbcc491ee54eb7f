"""#19.3: webhooks to a real HTTP receiver on 127.0.0.1 — signed, retried when the receiver
fails, never sent again once received; subscriptions only by the unit's officers, only to
addresses outside our network in production."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from suotdoi.api.models import WebhookDelivery
from suotdoi.api.webhooks import retry_due, subscription_create

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server that records what it gets and answers with the next planned status."""

    def __init__(self, statuses=(200,)):
        self.got: list[dict] = []
        self.plan = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append({"headers": dict(self.headers), "body": body})
                status = receiver.plan.pop(0) if len(receiver.plan) > 1 else receiver.plan[0]
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=(200,)):
        r = Receiver(statuses)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def _verify_an_entry(people, units):
    from suotdoi.records.actions import entry_record, entry_verify

    e, _ = entry_record(
        actor=people["member"], person=people["member"], source_key="hook:1",
        title="Tin học văn phòng", kind="course", start_date=dt.date.today() - dt.timedelta(days=2),
        hours=Decimal("8"), provenance="self_declared", unit=units["group"],
    )  # fmt: skip
    entry_verify(actor=people["grassroots_chair"], entry=e)
    return e


def test_a_verified_entry_is_told_once_with_a_signature_that_verifies(
    people, units, receiver, django_capture_on_commit_callbacks
):
    rx = receiver()
    sub, secret = subscription_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], url=rx.url,
        events=["entry.verified"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        e = _verify_an_entry(people, units)
    assert len(rx.got) == 1
    got = rx.got[0]
    body = got["body"]
    sig = got["headers"]["Suotdoi-Signature"]
    t, v1 = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", sig).groups()
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(v1, expected)
    payload = json.loads(body)
    assert payload["type"] == "entry.verified" and payload["subject"]["id"] == str(e.pk)
    # By id only: no names, no phone numbers go out.
    assert "Nguyễn" not in body.decode() and "+849" not in body.decode()
    d = WebhookDelivery.objects.get(subscription=sub)
    assert d.status == "succeeded" and d.attempts == 1 and d.last_status_code == 200
    # Asked again (a duplicate task, a retry sweep): nothing is sent twice.
    from suotdoi.api.webhooks import deliver

    assert deliver(d.pk) == "skipped" and retry_due() == 0
    assert len(rx.got) == 1


def test_a_failing_receiver_is_retried_until_it_answers(
    people, units, receiver, django_capture_on_commit_callbacks
):
    rx = receiver(statuses=(500, 503, 200))
    subscription_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], url=rx.url,
        events=["entry.verified"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _verify_an_entry(people, units)
    d = WebhookDelivery.objects.get()
    assert d.status == "failed" and d.attempts == 1 and d.last_status_code == 500
    first_wait = d.next_attempt_at - d.created_at
    # Not due yet: the sweep sends nothing.
    assert retry_due() == 0 and len(rx.got) == 1
    for _ in range(2):  # the retry falls due (moved, not waited for)
        WebhookDelivery.objects.filter(pk=d.pk).update(
            next_attempt_at=d.created_at - dt.timedelta(seconds=1)
        )
        retry_due()
    d.refresh_from_db()
    assert d.status == "succeeded" and d.attempts == 3 and len(rx.got) == 3
    assert dt.timedelta(seconds=25) < first_wait < dt.timedelta(seconds=60)
    # Every attempt carried the same event id, so the receiver can drop repeats.
    assert len({g["headers"]["Suotdoi-Delivery"] for g in rx.got}) == 1


def test_other_trees_and_other_events_are_not_told(
    people, units, receiver, django_capture_on_commit_callbacks
):
    rx = receiver()
    subscription_create(
        actor=people["foreign_officer"], unit=units["foreign_federation"], url=rx.url,
        events=["entry.verified"],
    )  # fmt: skip
    rx2 = receiver()
    subscription_create(
        actor=people["grassroots_chair"], unit=units["grassroots"], url=rx2.url,
        events=["credential.revoked"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _verify_an_entry(people, units)
    assert rx.got == [] and rx2.got == []


def test_only_the_units_officers_subscribe_and_only_to_outside_addresses(people, units, client_for):
    from suotdoi.core.errors import ApplicationError

    url = f"/units/{units['grassroots'].pk}/webhooks/"
    for who in ("member", "foreign_officer", "group_leader"):
        assert client_for(people[who]).get(url).status_code == 404
    with override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_ALLOW_PRIVATE=False):
        for bad in ("http://example.vn/h", "https://127.0.0.1/h", "https://10.0.0.5/h",
                    "https://[::1]/h", "ftp://example.vn/h"):  # fmt: skip
            with pytest.raises(ApplicationError):
                subscription_create(
                    actor=people["grassroots_chair"], unit=units["grassroots"], url=bad,
                    events=["entry.verified"],
                )  # fmt: skip
    r = client_for(people["grassroots_chair"]).post(
        url, {"url": "http://127.0.0.1:9/h", "events": ["entry.verified"]}
    )
    assert r.status_code == 200 and 'id="secret-shown"' in r.content.decode()


def test_a_delivery_connects_to_the_address_it_checked(
    people, units, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the name answers 127.0.0.1 (our receiver) while it is checked, then
    another address. The delivery goes to the address that was checked, with the name as Host."""
    import socket

    rx = receiver()
    port = rx.server.server_port
    real = socket.getaddrinfo
    asked = []

    def fake(host, *args, **kwargs):
        if host == "hooks.hoalu.test":
            asked.append(host)
            ip = "127.0.0.1" if len(asked) <= 2 else "10.255.255.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    subscription_create(
        actor=people["grassroots_chair"], unit=units["grassroots"],
        url=f"http://hooks.hoalu.test:{port}/hooks", events=["entry.verified"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _verify_an_entry(people, units)
    assert len(rx.got) == 1 and len(asked) == 2  # the check, then the delivery's check only
    assert rx.got[0]["headers"]["Host"] == f"hooks.hoalu.test:{port}"
    assert WebhookDelivery.objects.get().status == "succeeded"

"""#27.4 Web Push, delivered to a push service of our own on 127.0.0.1 that does what a real
one and the browser do between them: checks the VAPID signature (RFC 8292) and decrypts the
message with the subscription's keys (RFC 8291) — written here from the RFCs with
`cryptography`, independent of the libraries the server sends with."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from suotdoi.audit.models import AuditEvent
from suotdoi.notifications.actions import notify
from suotdoi.notifications.models import PushSubscription
from suotdoi.notifications.tasks import notification_send_push
from suotdoi.people.delivery import person_delivery_set

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.auth = b"0123456789abcdef"

    def subscription(self, endpoint: str) -> dict:
        return {"endpoint": endpoint, "keys": {"p256dh": b64(self.public), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 §3.4 and RFC 8188: one record, the sender's key in the header."""
        salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        sender = body[21 : 21 + idlen]
        assert idlen == 65 and rs >= 18
        ciphertext = body[21 + idlen :]
        shared = self.key.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        )

        def hkdf(salt_, ikm, info, length):
            return HKDF(hashes.SHA256(), length, salt_, info).derive(ikm)

        ikm = hkdf(self.auth, shared, b"WebPush: info\x00" + self.public + sender, 32)
        cek = hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
        text = padded.rstrip(b"\x00")
        assert text[-1:] == b"\x02"  # the last record's delimiter
        return text[:-1]


def verify_vapid(header: str, audience: str) -> dict:
    """RFC 8292: `vapid t=<JWT>, k=<public key>`, the JWT signed with ES256 by that key."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid"
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = fields["t"], fields["k"]
    head, claims, signature = token.split(".")
    assert json.loads(unb64(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises
    body = json.loads(unb64(claims))
    assert body["aud"] == audience
    assert time.time() < body["exp"] <= time.time() + 24 * 3600
    assert body["sub"].startswith("mailto:")
    return {"key": key, "claims": body}


class PushService:
    """A push service on 127.0.0.1: keeps what it is sent, answers `status`."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    s = PushService()
    yield s
    s.close()


@pytest.fixture
def mai_phone(people, client_for, service):
    browser = Browser()
    c = client_for(people["member"])
    r = c.post(
        "/profile/notifications/push/",
        json.dumps(browser.subscription(f"{service.origin}/push/mai-phone")),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    return browser


def test_a_notification_reaches_the_phone_encrypted_and_signed(
    people, service, mai_phone, settings, django_capture_on_commit_callbacks
):
    from suotdoi.notifications.push import application_server_key

    mai = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            recipient=mai,
            kind="session.invited",
            title="Buổi sinh hoạt chuyên đề: An toàn lao động",
            body="Thứ Năm, 18:30, hội trường công ty",
            url="/campaigns/mine/",
            email=False,
        )
    assert len(service.received) == 1
    got = service.received[0]
    assert got["path"] == "/push/mai-phone"
    assert got["headers"]["Content-Encoding"] == "aes128gcm"
    assert int(got["headers"]["TTL"]) > 0
    vapid = verify_vapid(got["headers"]["Authorization"], service.origin)
    assert vapid["key"] == application_server_key()  # the key the page gives the browser
    message = json.loads(mai_phone.decrypt(got["body"]))
    assert message == {
        "title": "Buổi sinh hoạt chuyên đề: An toàn lao động",
        "body": "Thứ Năm, 18:30, hội trường công ty",
        "url": "/campaigns/mine/",
        "tag": f"n{n.pk}",
    }
    assert b"An to" not in got["body"]  # nothing readable on the way
    n.refresh_from_db()
    assert n.pushed_at is not None
    # A task run twice (a worker's retry) does not push again.
    assert notification_send_push.call(n.pk) == 0
    assert len(service.received) == 1
    assert PushSubscription.objects.get(person=mai).last_sent_at is not None


def test_a_subscription_the_service_says_is_gone_is_removed(
    people, service, mai_phone, django_capture_on_commit_callbacks
):
    service.status = 410
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=people["member"], kind="entry.verified", title="Đã xác nhận", email=False)
    assert len(service.received) == 1
    assert not PushSubscription.objects.filter(person=people["member"]).exists()


def test_the_person_chooses_what_comes_to_the_phone(
    people, service, mai_phone, django_capture_on_commit_callbacks
):
    mai = people["member"]
    person_delivery_set(actor=mai, choices={"sessions": ["email"], "decisions": ["push"]})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=mai, kind="session.invited", title="Buổi học", email=False)
    assert service.received == []
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=mai, kind="credential.issued", title="Chứng nhận mới", email=False)
    assert len(service.received) == 1
    message = json.loads(mai_phone.decrypt(service.received[0]["body"]))
    assert message["title"] == "Chứng nhận mới"
    assert AuditEvent.objects.filter(verb="person.delivery_set", actor=mai).exists()


def test_email_follows_the_choice_too(people, django_capture_on_commit_callbacks, mailoutbox):
    mai = people["member"]
    mai.email = "mai@example.vn"
    mai.save()
    person_delivery_set(actor=mai, choices={"deadlines": [], "decisions": ["email"]})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=mai, kind="reports.due", title="Hạn nộp báo cáo")
        notify(recipient=mai, kind="entry.verified", title="Đã xác nhận")
    assert [m.subject for m in mailoutbox] == ["[Suốt Đời] Đã xác nhận"]


def test_subscriptions_that_cannot_be_used_are_refused(people, client_for, settings, service):
    c = client_for(people["member"])
    browser = Browser()

    def post(body):
        return c.post("/profile/notifications/push/", body, content_type="application/json")

    settings.WEB_PUSH_ALLOW_PRIVATE = False
    r = post(json.dumps(browser.subscription(f"{service.origin}/push/x")))
    assert r.status_code == 400 and "error" in r.json()
    settings.WEB_PUSH_ALLOW_PRIVATE = True
    bad = browser.subscription(f"{service.origin}/push/x")
    bad["keys"]["p256dh"] = b64(b"\x04" + b"\x01" * 64)  # not a point on the curve
    assert post(json.dumps(bad)).status_code == 400
    bad["keys"] = {"p256dh": b64(browser.public), "auth": b64(b"short")}
    assert post(json.dumps(bad)).status_code == 400
    padded = browser.subscription(f"{service.origin}/push/x")
    padded["keys"]["p256dh"] += "!" * 5000  # still decodes to the key: base64 skips the rest
    assert post(json.dumps(padded)).status_code == 400
    assert (
        post(json.dumps(browser.subscription(f"{service.origin}/push/a\x00b"))).status_code == 400
    )
    assert post("{broken").status_code == 400
    assert post(json.dumps(["a list"])).status_code == 400
    assert post(json.dumps({"endpoint": "file:///etc/passwd", "keys": {}})).status_code == 400
    assert c.get("/profile/notifications/push/").status_code == 405
    assert not PushSubscription.objects.exists()
    anonymous = client_for(None).post(
        "/profile/notifications/push/",
        json.dumps(browser.subscription(f"{service.origin}/push/x")),
        content_type="application/json",
    )
    assert anonymous.status_code == 302
    assert not PushSubscription.objects.exists()


def test_nobody_stops_another_persons_phone(people, client_for, mai_phone):
    sub = PushSubscription.objects.get(person=people["member"])
    other = client_for(people["grassroots_chair"])
    r = other.post("/profile/notifications/", {"remove": sub.pk}, follow=True)
    assert r.status_code == 200
    assert PushSubscription.objects.filter(pk=sub.pk).exists()
    mine = client_for(people["member"])
    mine.post("/profile/notifications/", {"remove": sub.pk})
    assert not PushSubscription.objects.filter(pk=sub.pk).exists()
    assert AuditEvent.objects.filter(verb="person.push_unsubscribe").count() == 1


def test_a_shared_phone_belongs_to_whoever_subscribed_it_last(
    people, client_for, service, mai_phone, django_capture_on_commit_callbacks
):
    endpoint = PushSubscription.objects.get(person=people["member"]).endpoint
    chair = client_for(people["grassroots_chair"])
    r = chair.post(
        "/profile/notifications/push/",
        json.dumps(mai_phone.subscription(endpoint)),
        content_type="application/json",
    )
    assert r.status_code == 201
    assert PushSubscription.objects.get(endpoint=endpoint).person == people["grassroots_chair"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=people["member"], kind="entry.verified", title="Riêng tư", email=False)
    assert service.received == []


def test_the_page_offers_it_and_the_worker_is_served_from_the_root(people, client_for):
    from suotdoi.notifications.push import application_server_key

    c = client_for(people["member"])
    c.cookies["suotdoi_language"] = "vi"
    page = c.get("/profile/notifications/").content.decode()
    assert f'data-key="{application_server_key()}"' in page
    assert "Báo cho tôi trên điện thoại này" in page
    sw = c.get("/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    assert b"showNotification" in sw.content

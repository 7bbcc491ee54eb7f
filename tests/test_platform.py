"""Audit log, notifications and the officers' two-factor rule."""

import pytest
from django.core import mail
from django.test import Client

from suotdoi.audit.actions import audit_log
from suotdoi.audit.models import AuditEvent
from suotdoi.notifications.actions import notify
from suotdoi.notifications.models import Notification
from suotdoi.organisations.actions import membership_add
from suotdoi.people.models import Person

pytestmark = pytest.mark.django_db


def test_audit_log_is_append_only(people):
    ev = audit_log(actor=people["member"], verb="test.thing")
    ev.verb = "changed"
    with pytest.raises(TypeError):
        ev.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=ev.pk).update(verb="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        ev.delete()


def test_audit_records_where_the_request_came_from(people, client_for):
    c = client_for(people["member"])
    c.post("/language/", {"language": "en"}, REMOTE_ADDR="203.113.1.9", HTTP_USER_AGENT="Nokia")
    ev = AuditEvent.objects.get(verb="person.set_language")
    assert ev.actor == people["member"] and ev.ip == "203.113.1.9"
    assert ev.user_agent == "Nokia"


def test_audit_page_is_for_platform_admins_only(people, client_for):
    assert client_for(people["admin"]).get("/audit/").status_code == 200
    assert client_for(people["provincial_officer"]).get("/audit/").status_code == 404


def test_notification_in_app_and_by_email_after_commit(
    people, client_for, django_capture_on_commit_callbacks
):
    member = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=member, kind="test", title="Lịch sinh hoạt mới", body="Thứ Bảy 8h", url="/"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    n = Notification.objects.get()
    assert n.emailed_at is not None
    page = client_for(member).get("/").content.decode()
    assert 'class="badge"' in page
    client_for(member).post("/notifications/read-all/")
    assert Notification.objects.get().read_at is not None


def test_notification_dedupe_key_makes_replays_harmless(people):
    a = notify(recipient=people["member"], kind="t", title="A", dedupe_key="evt-1", email=False)
    b = notify(recipient=people["member"], kind="t", title="A", dedupe_key="evt-1", email=False)
    assert a is not None and b is None
    assert Notification.objects.count() == 1


def test_officer_without_two_factor_is_sent_to_set_it_up(units, people):
    newcomer = Person.objects.create_user(
        full_name="Ngô Thị Bích", phone="+84915000111", password="x"
    )
    membership_add(actor=people["admin"], unit=units["group"], person=newcomer, role="officer")
    c = Client()
    c.post("/accounts/login/", {"login": "0915000111", "password": "x"})
    r = c.get("/units/")
    assert r.status_code == 302, r
    assert r["Location"].startswith("/accounts/2fa/totp/activate/"), r["Location"]
    assert c.get("/api/v1/me").status_code == 403
    # allauth asks for the password once more before a security change
    r = c.get(r["Location"])
    assert r["Location"].startswith("/accounts/reauthenticate/")
    r = c.post(r["Location"], {"password": "x"}, follow=True)
    assert "Trước khi tiếp tục, hãy bảo vệ tài khoản" in r.content.decode()


def test_member_is_not_asked_for_two_factor(people, client_for):
    assert client_for(people["member"]).get("/units/mine/").status_code == 200

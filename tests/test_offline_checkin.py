"""Check-in without signal (#27, ADR 0010): scans kept on the phone and sent later, the
organiser's screen that showed codes offline, and everything that must be refused."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from suotdoi.audit.models import AuditEvent
from suotdoi.campaigns import actions, qr
from suotdoi.campaigns.models import Attendance, OfflineScan, SessionDisplay, Task
from suotdoi.core.errors import ApplicationError
from suotdoi.records.models import LearningEntry

from .test_campaigns import launched, session_of

pytestmark = pytest.mark.django_db
URL = "/campaigns/checkin-offline/"


@pytest.fixture
def hall(people, units):
    c = launched(people, units)
    task = Task.objects.get(campaign=c, unit=units["grassroots"])
    return session_of(people, task)


def _shown_online(session, when: dt.datetime) -> str:
    """The organiser's online screen fetched the code of that moment (as session_qr does)."""
    token = qr.current_token(session, now=when.timestamp())
    actions.display_seen(session=session, step=qr.session_step_of(token))
    return token


def _send(person, token, scanned_at, now, capture):
    with capture(execute=True):
        return actions.check_in_offline(person=person, token=token, scanned_at=scanned_at, now=now)


def test_a_scan_kept_offline_is_accepted_once_and_reaches_the_record(
    people, hall, django_capture_on_commit_callbacks
):
    shown = hall.starts_at + dt.timedelta(minutes=10)
    token = _shown_online(hall, shown)
    member = people["member"]
    later = shown + dt.timedelta(hours=20)  # back in signal the next day
    status, s = _send(
        member, token, shown + dt.timedelta(seconds=5), later, django_capture_on_commit_callbacks
    )
    assert (status, s) == ("accepted", hall)
    again, _s = _send(
        member, token, shown + dt.timedelta(seconds=5), later, django_capture_on_commit_callbacks
    )
    assert again == "already"
    att = Attendance.objects.get(session=hall, person=member)
    assert att.method == "qr_offline"
    assert (
        LearningEntry.objects.filter(
            person=member, source_key=f"session:{hall.pk}:{member.pk}"
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(verb="session.offline_scan", actor=member).count() == 1


def test_the_same_code_sent_49_hours_later_is_refused(
    people, hall, django_capture_on_commit_callbacks
):
    shown = hall.starts_at + dt.timedelta(minutes=10)
    token = _shown_online(hall, shown)
    with pytest.raises(ApplicationError) as exc:
        _send(
            people["member"],
            token,
            shown + dt.timedelta(seconds=5),
            shown + dt.timedelta(hours=49),
            django_capture_on_commit_callbacks,
        )
    assert "48" in str(exc.value.message)
    assert not Attendance.objects.exists() and not OfflineScan.objects.exists()


@pytest.mark.parametrize(
    "case",
    [
        "scan_time_hours_later",
        "scan_in_future",
        "before_window",
        "after_window",
        "forged",
        "other_session",
        "garbage",
        "huge_step",
    ],
)
def test_offline_scans_that_do_not_hold_are_refused_and_write_nothing(
    people, hall, case, django_capture_on_commit_callbacks
):
    shown = hall.starts_at + dt.timedelta(minutes=10)
    token = _shown_online(hall, shown)
    other = session_of(people, hall.task)
    scanned, now = shown + dt.timedelta(seconds=5), shown + dt.timedelta(hours=1)
    if case == "scan_time_hours_later":  # a photo of the screen scanned at home that evening
        scanned = shown + dt.timedelta(hours=2)
        now = scanned + dt.timedelta(minutes=1)
    elif case == "scan_in_future":
        scanned = now + dt.timedelta(hours=1)
        token = qr.current_token(hall, now=scanned.timestamp())
    elif case == "before_window":  # a code made for the day before (never shown in the window)
        when = hall.check_in_opens - dt.timedelta(days=1)
        token, scanned = qr.current_token(hall, now=when.timestamp()), when
    elif case == "after_window":
        when = hall.check_in_closes + dt.timedelta(minutes=5)
        token, scanned = qr.current_token(hall, now=when.timestamp()), when
        now = when + dt.timedelta(minutes=1)
    elif case == "forged":
        token = token[:-4] + "abcd"
    elif case == "other_session":
        token = qr.current_token(other, now=shown.timestamp()).replace(
            f"{other.pk}.", f"{hall.pk}.", 1
        )
    elif case == "garbage":
        token = "xin chào"
    elif case == "huge_step":
        token = f"{hall.pk}.{'9' * 40}.abc"
    with pytest.raises(ApplicationError) as exc:
        _send(people["member"], token, scanned, now, django_capture_on_commit_callbacks)
    assert str(exc.value.message)
    assert not Attendance.objects.exists() and not OfflineScan.objects.exists()


def test_an_uninvited_person_is_refused(people, hall, django_capture_on_commit_callbacks):
    shown = hall.starts_at + dt.timedelta(minutes=10)
    token = _shown_online(hall, shown)
    with pytest.raises(ApplicationError):
        _send(
            people["foreign_officer"],
            token,
            shown,
            shown + dt.timedelta(hours=1),
            django_capture_on_commit_callbacks,
        )
    assert not Attendance.objects.exists()


def test_a_hall_without_signal_waits_for_the_organisers_upload(
    people, hall, django_capture_on_commit_callbacks
):
    """The screen was offline too: nothing said which codes it showed, so the scan waits;
    the organiser's upload accepts scans of codes it showed and, once check-in has closed,
    refuses the others."""
    shown = hall.starts_at + dt.timedelta(minutes=10)
    step = int(shown.timestamp() // qr.STEP)
    token = qr.current_token(hall, now=shown.timestamp())
    member, chair = people["member"], people["grassroots_chair"]
    status, _s = _send(
        member, token, shown, shown + dt.timedelta(minutes=30), django_capture_on_commit_callbacks
    )
    assert status == "pending"
    assert not Attendance.objects.exists()
    # another scan of a code the screen never showed (made by someone holding the key?)
    stray = qr.current_token(hall, now=(shown + dt.timedelta(minutes=50)).timestamp())
    other_member = people["group_leader"]
    if other_member is not None:
        _send(
            other_member,
            stray,
            shown + dt.timedelta(minutes=50),
            shown + dt.timedelta(hours=1),
            django_capture_on_commit_callbacks,
        )
    after_close = hall.check_in_closes + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = actions.display_upload(
            actor=chair, session=hall, ranges=[[step - 4, step + 20]], now=after_close
        )
    assert result["accepted"] == 1 and result["ranges"] == 1
    assert Attendance.objects.get(session=hall, person=member).method == "qr_offline"
    assert LearningEntry.objects.filter(
        person=member, source_key=f"session:{hall.pk}:{member.pk}"
    ).exists()
    if other_member is not None:  # its code (50 minutes in) is not in what the screen showed
        assert result["refused"] == 1
        assert OfflineScan.objects.get(person=other_member).status == OfflineScan.REFUSED
    assert AuditEvent.objects.filter(verb="session.display_upload", actor=chair).exists()


def test_the_organisers_upload_is_clipped_to_the_window_and_refuses_what_it_cannot_read(
    people, hall
):
    chair = people["grassroots_chair"]
    now = hall.starts_at + dt.timedelta(minutes=30)
    current = int(now.timestamp() // qr.STEP)
    actions.display_upload(actor=chair, session=hall, ranges=[[0, 10**10]], now=now)
    d = SessionDisplay.objects.get(session=hall, source=SessionDisplay.SCREEN)
    first = int(hall.check_in_opens.timestamp() // qr.STEP)
    assert d.first_step == first and d.last_step == current + 1  # never the future
    for bad in ["abc", [[1]], [["1", "2"]], [[5, 1]], [[True, 3]], [[1, 2]] * 501, None]:
        with pytest.raises(ApplicationError):
            actions.display_upload(actor=chair, session=hall, ranges=bad, now=now)
    assert SessionDisplay.objects.filter(session=hall, source=SessionDisplay.SCREEN).count() == 1


def test_the_online_screen_logs_the_codes_it_showed_in_ranges(people, hall):
    t0 = hall.starts_at
    for i in range(6):  # a refresh every 10 s for a minute
        _shown_online(hall, t0 + dt.timedelta(seconds=10 * i))
    _shown_online(hall, t0 + dt.timedelta(minutes=30))  # the screen came back later
    spans = list(
        SessionDisplay.objects.filter(session=hall)
        .order_by("first_step")
        .values_list("first_step", "last_step")
    )
    assert len(spans) == 2
    assert spans[0][1] - spans[0][0] <= 2


# --- the doors -----------------------------------------------------------------------------


def test_the_door_answers_json_and_refusals_are_final(client_for, people, hall):
    member = client_for(people["member"])
    shown = timezone.now()
    token = qr.current_token(hall, now=shown.timestamp())
    actions.display_seen(session=hall, step=qr.session_step_of(token))
    body = {"token": token, "scanned_at": int(shown.timestamp() * 1000)}
    r = member.post(URL, json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.content
    r = member.post(URL, json.dumps(body), content_type="application/json")
    assert r.json()["status"] == "already"
    r = member.post(URL, json.dumps({**body, "token": "x.y.z"}), content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "refused" and r.json()["message"]
    for broken in [
        b"{",
        b"[]",
        json.dumps({"token": token}).encode(),
        json.dumps({**body, "scanned_at": True}).encode(),
        json.dumps({**body, "scanned_at": 10**20}).encode(),
        b"x" * 70000,
    ]:
        r = member.post(URL, broken, content_type="application/json")
        assert r.status_code == 400 and r.json()["status"] == "error" and r.json()["message"]
    assert Attendance.objects.filter(session=hall).count() == 1


def test_only_the_sessions_organisers_upload_what_the_screen_showed(client_for, people, hall):
    url = f"/campaigns/sessions/{hall.pk}/shown/"
    body = json.dumps({"ranges": [[1, 2]]})
    for who in ["member", "foreign_officer", "group_leader"]:
        r = client_for(people[who]).post(url, body, content_type="application/json")
        assert r.status_code == 404
    assert not SessionDisplay.objects.filter(source=SessionDisplay.SCREEN).exists()
    step = int(hall.starts_at.timestamp() // qr.STEP)
    r = client_for(people["grassroots_chair"]).post(
        url, json.dumps({"ranges": [[step, step + 4]]}), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["ranges"] == 1
    r = client_for(people["grassroots_chair"]).post(url, b"{", content_type="application/json")
    assert r.status_code == 400

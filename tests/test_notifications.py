"""Notifications keep message ids and render in the reader's language; audit verbs have words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Day, Hours, Say, Term, render

pytestmark = pytest.mark.django_db


def test_a_notification_is_read_in_the_language_of_the_moment(people):
    from suotdoi.organisations.models import Role

    mai = people["member"]
    n = notify(
        recipient=mai,
        kind="t",
        title=Say(
            gettext_noop("%(unit)s invites you to join as %(role)s"),
            unit="Tổ 1",
            role=Term(Role.MEMBER.label),
        ),
        body=Say(
            gettext_noop("%(unit)s confirmed %(hours)s hours."),
            unit="Tổ 1",
            hours=Hours(Decimal("2.50")),
        ),
        email=False,
    )
    assert "2,5" in n.body  # written in Mai's Vietnamese
    with translation.override("en"):
        assert n.title_text == "Tổ 1 invites you to join as Member"
        assert n.body_text == "Tổ 1 confirmed 2.5 hours."
    with translation.override("vi"):
        assert n.body_text == n.body and "Thành viên".lower() in n.title_text.lower()


def test_a_stored_message_that_no_longer_fits_falls_back_to_its_text():
    stored = {"m": "Reminder: %(title)s", "p": {"name": "x"}}  # placeholder renamed since
    assert render(stored, "Nhắc việc: cũ") == "Nhắc việc: cũ"
    assert render({}, "plain") == "plain"
    with translation.override("vi"):
        assert render(
            {"m": "Assessments to review by %(date)s", "p": {"date": Day(dt.date(2026, 3, 5))}}
        ).endswith("05/03/2026")


def test_a_plain_body_is_shown_as_typed(people):
    n = notify(
        recipient=people["member"], kind="t", title="Tiêu đề", body="Lý do: thiếu ảnh", email=False
    )
    with translation.override("en"):
        assert (n.title_text, n.body_text) == ("Tiêu đề", "Lý do: thiếu ảnh")


def test_every_audit_verb_written_in_the_code_has_words_for_readers():
    from suotdoi.audit.verbs import VERB_LABELS

    root = Path(__file__).resolve().parents[1] / "suotdoi"
    written = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in re.findall(r"verb=([^\n]+)", text):
            written |= set(re.findall(r"\"([a-z_]+\.[a-z_]+)\"", line))
        for verb in re.findall(r"_event\(\s*\w+,\s*\w+,\s*\"([a-z_]+)\"", text):
            written.add(f"campaign.{verb}")
    written.discard("campaign.{verb}")
    assert len(written) > 60
    assert written - set(VERB_LABELS) == set()


def test_home_with_a_full_to_do_list_reads_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    """Home is the most opened page: its to-do list must not grow a query per item."""
    from tests.browser.test_newcomer_more import _a_learners_week

    _a_learners_week(world)
    c = client_for(world.people["member"])
    c.get("/")  # warm the per-process caches (grants, translations)
    with django_assert_max_num_queries(14):
        r = c.get("/")
    assert r.status_code == 200 and "Việc cần làm" in r.content.decode()

"""#18.4: a correction request goes to the unit that holds the data; its officers answer."""

from __future__ import annotations

import pytest

from suotdoi.notifications.models import Notification
from suotdoi.organisations.models import CorrectionRequest

pytestmark = pytest.mark.django_db


def test_a_member_asks_her_union_and_the_chair_answers(people, units, client_for):
    mai = client_for(people["member"])
    page = mai.get("/units/mine/corrections/").content.decode()
    assert units["grassroots"].name in page or units["group"].name in page
    r = mai.post(
        "/units/mine/corrections/",
        {"unit": units["group"].pk, "message": "Ngày sinh của tôi là 08/03/1990, không phải 1991."},
    )
    assert r.status_code == 302
    req = CorrectionRequest.objects.get()
    assert req.unit == units["group"]
    leader = people["group_leader"]
    assert Notification.objects.filter(recipient=leader, kind="correction.asked").exists()
    # Not a unit of hers: refused without a trace.
    mai.post("/units/mine/corrections/", {"unit": units["federation"].pk, "message": "x" * 20})
    assert CorrectionRequest.objects.count() == 1
    # Another tree's officer cannot see or answer it.
    foreign = client_for(people["foreign_officer"])
    assert foreign.get(f"/units/{units['group'].pk}/corrections/").status_code == 404
    url = f"/units/{units['group'].pk}/corrections/{req.pk}/"
    assert foreign.post(url, {"decision": "done"}).status_code == 404
    chair = client_for(leader)
    assert "08/03/1990" in chair.get(f"/units/{units['group'].pk}/corrections/").content.decode()
    chair.post(url, {"decision": "decline", "answer": ""})  # declining needs a reason
    req.refresh_from_db()
    assert req.status == "open"
    chair.post(url, {"decision": "done", "answer": "Đã sửa theo CCCD."})
    req.refresh_from_db()
    assert req.status == "done" and req.answered_by == leader
    assert Notification.objects.filter(
        recipient=people["member"], kind="correction.answered"
    ).exists()

"""#20 on the pages: a union creates a fund, puts money in and credits its members; a member
pays for a course with the code sent to her phone and cancels; the officers' page shows the
figures and that the books balance."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from suotdoi.core.sms import MemoryBackend
from suotdoi.funding.models import Fund, LedgerAccount, Spend

pytestmark = pytest.mark.django_db


def test_a_union_funds_its_members_and_one_spends_with_a_code(
    people, units, client_for, django_capture_on_commit_callbacks
):
    from suotdoi.catalog import actions as catalog

    chair_p, mai = people["grassroots_chair"], people["member"]
    g = units["grassroots"]
    provider = catalog.provider_enable(actor=chair_p, unit=g)
    course = catalog.course_create(
        actor=chair_p, provider=provider, title="Kỹ năng số", summary="Điện thoại thông minh",
        category="digital", format="external", hours=Decimal("6"), price=400_000,
        external_url="https://hoc.example.vn",
    )  # fmt: skip
    catalog.course_publish(actor=chair_p, course=course)
    chair = client_for(chair_p)
    assert "funding/units" in chair.get(f"/units/{g.pk}/").content.decode()
    r = chair.post(
        f"/funding/units/{g.pk}/",
        {"name": "Quỹ khuyến học công đoàn", "per_person": "1000000", "per_course_max": "0",
         "copay_pct": "10", "credit_days": "365", "providers": [provider.pk],
         "categories": ["digital"]},
    )  # fmt: skip
    assert r.status_code == 302
    fund = Fund.objects.get()
    page = chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert "Kỹ năng số" not in page and "reconciled" in page
    r = chair.post(
        f"/funding/funds/{fund.pk}/",
        {"deposit": "1", "d-amount": "20000000", "d-memo": "QĐ 12/2026", "nonce": "a1"},
    )
    assert r.status_code == 302
    bad = chair.post(
        f"/funding/funds/{fund.pk}/",
        {"deposit": "1", "d-amount": "-5", "d-memo": "x", "nonce": "a2"},
    )
    assert bad.status_code == 200  # the form again, with its error
    with django_capture_on_commit_callbacks(execute=True):
        r = chair.post(f"/funding/funds/{fund.pk}/", {"grant": "1", "g-round_label": "2026"})
    assert r.status_code == 302
    assert 'id="granting"' in chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    me = client_for(mai)
    mine = me.get("/funding/").content.decode()
    assert "1.000.000 đ" in mine and "Kỹ năng số" in mine
    url = f"/funding/funds/{fund.pk}/courses/{course.pk}/"
    assert "360.000 đ" in me.get(url).content.decode()
    MemoryBackend.outbox.clear()
    r = me.post(url, {"send": "1"})
    assert r.status_code == 200 and 'autocomplete="one-time-code"' in r.content.decode()
    code = re.search(r"\b(\d{6})\b", MemoryBackend.outbox[-1]["text"]).group(1)
    assert me.post(url, {"confirm": "1", "code": "000000"}).status_code == 200  # wrong code
    assert not Spend.objects.exists()
    r = me.post(url, {"confirm": "1", "code": code})
    assert r.status_code == 302
    spend = Spend.objects.get()
    assert spend.amount == 360_000 and spend.status == "held"
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 640_000
    # Another member cannot cancel it; she can.
    other = client_for(people["group_leader"])
    assert other.post(f"/funding/spends/{spend.pk}/cancel/").status_code == 404
    assert me.post(f"/funding/spends/{spend.pk}/cancel/").status_code == 302
    assert LedgerAccount.objects.get(fund=fund, person=mai).balance == 1_000_000
    page = chair.get(f"/funding/funds/{fund.pk}/").content.decode()
    assert "Nguyễn Thị Mai" in page and 'id="reconciled"' in page

# ruff: noqa: E501 - demo texts
"""Demo recognition: a self-assessment waiting for the union's review, an emulation movement of
the grassroots unions with computed standings, and a commendation proposal."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from suotdoi.organisations.models import Unit
from suotdoi.recognition import actions, commendations, emulation
from suotdoi.recognition import selectors as recognition_selectors


def seed_recognition(world) -> None:
    people, units = world.people, world.units
    year = timezone.localdate().year
    cs = recognition_selectors.current_set("cong-dan-hoc-tap")
    a = actions.assessment_register(actor=people["member"], criteria_set=cs, year=year)
    actions.assessment_self(
        actor=people["member"],
        assessment=a,
        values={"kh": "9", "nn": "7", "vd": "8", "cs": "9", "gm": "10"},
    )
    actions.evidence_add(
        actor=people["member"],
        assessment=a,
        indicator_code="nn",
        note="Chứng chỉ tin học cơ bản của Trung tâm học tập cộng đồng",
        url="https://example.vn/chung-chi",
    )
    actions.assessment_submit(actor=people["member"], assessment=a)
    today = timezone.localdate()
    m = emulation.movement_create(
        actor=people["provincial_officer"],
        unit=units["federation"],
        title=f"Thi đua “Công nhân học tập suốt đời” năm {year}",
        description="Các công đoàn cơ sở thi đua tổ chức cho đoàn viên học tập, so sánh theo số giờ học bình quân mỗi đoàn viên.",
        subjects="units",
        metric="hours",
        starts_on=dt.date(year, 1, 1),
        ends_on=max(dt.date(year, 12, 31), today),
    )
    for u in Unit.objects.filter(path__startswith=units["federation"].path, unit_type__code="cdcs"):
        emulation.movement_join(actor=people["provincial_officer"], movement=m, unit=u)
    emulation.movement_compute(movement=m)
    commendations.commendation_propose(
        actor=people["grassroots_chair"],
        proposed_by=units["grassroots"],
        deciding_unit=units["federation"],
        kind="giay_khen",
        year=year,
        person=people["group_leader"],
        justification="Tổ trưởng tổ công đoàn tích cực vận động đoàn viên học tập, 100% tổ viên tham gia sinh hoạt chuyên đề.",
    )

"""Demo periodic reports: the provincial federation has opened the half-year report for its
superior and grassroots unions; Mai's grassroots union has filled and submitted its report;
the dashboards' yearly figures are computed."""

from __future__ import annotations

import datetime as dt


def seed_reports(world) -> None:
    from django.utils import timezone

    from suotdoi.organisations.models import Unit
    from suotdoi.reports import actions
    from suotdoi.reports.models import Report

    people, units = world.people, world.units
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    end = dt.date(today.year, 6, 30) if today.month > 6 else today
    period = actions.period_open(
        actor=people["provincial_officer"],
        unit=units["federation"],
        form=actions.latest_form("cong-doan-hoc-tap-suot-doi"),
        title=f"Báo cáo 6 tháng đầu năm {today.year}",
        starts_on=start,
        ends_on=end,
        deadline=today + dt.timedelta(days=14),
        type_codes=["cdct-truc-tiep", "cdcs"],
    )
    actions.period_prefill(period=period)  # the worker's run later finds it done
    report = Report.objects.get(period=period, unit=units["grassroots"])
    report = actions.report_save(
        actor=people["grassroots_chair"],
        report=report,
        values={"skill_classes": 2, "own_budget": 15_000_000},
        notes={},
        texts={
            "context": "Công đoàn có 3 tổ công đoàn, phần lớn là công nhân may làm theo ca.",
            "strengths": "Tổ chức học theo ca; tổ trưởng nhắc việc qua nhóm Zalo của tổ.",
            "difficulties": "Công nhân làm tăng ca, khó bố trí giờ học tập trung.",
            "next": "Mở thêm lớp kỹ năng số cho công nhân lớn tuổi.",
            "proposals": "Đề nghị hỗ trợ kinh phí lớp tin học cơ bản.",
        },
        signer="Lê Thị Hương",
        signer_title="Chủ tịch Công đoàn cơ sở",
    )
    actions.report_submit(actor=people["grassroots_chair"], report=report)
    for root in Unit.objects.get_root_nodes():
        actions.snapshot_year(root=root, year=today.year)

"""#23 periodic reports: the province opens a period; each unit's report is filled with its own
rows as the tree stood at the period's end (a union moved and one merged inside the period);
the consolidation at every level equals its own rows plus its accepted children, and the
top equals the whole subtree counted directly; a returned report stays out; a form's new
version leaves old reports readable."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from suotdoi.core.errors import Conflict, ValidationFailed
from suotdoi.organisations import actions as org
from suotdoi.organisations.models import Unit
from suotdoi.records.models import EntryStatus, LearningEntry, Provenance
from suotdoi.reports import actions, rules, selectors
from suotdoi.reports.models import Report, ReportForm

pytestmark = pytest.mark.django_db
UNION_FORM = "cong-doan-hoc-tap-suot-doi"


def _entry(person, unit, day, hours, status=EntryStatus.VERIFIED, key=""):
    return LearningEntry.objects.create(
        person=person,
        title="Học an toàn lao động",
        kind="course",
        start_date=day,
        hours=Decimal(hours),
        provenance=Provenance.UNIT_VERIFIED,
        status=status,
        unit=unit,
        unit_path=unit.path,
        source_key=f"test:{key or unit.code}:{day}:{hours}",
    )


def _members_of(unit):
    from suotdoi.organisations.models import Membership

    return [
        m.person
        for m in Membership.objects.filter(unit__path__startswith=unit.path, end_date__isnull=True)
        .select_related("person")
        .order_by("pk")[:3]
    ]


@pytest.fixture
def reorganised(world, people, units, django_capture_on_commit_callbacks):
    """The Ninh Bình federation's tree with learning in it; CDCS-004 moved to another
    superior union and CDCS-003 merged into CDCS-002, both inside this year; then the
    federation opens the year's period for superior and grassroots unions."""
    admin, officer = people["admin"], people["provincial_officer"]
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    g = {n: Unit.objects.get(code=f"CDCS-00{n}") for n in (1, 2, 3, 4)}
    for n, unit in g.items():
        for i, person in enumerate(_members_of(unit)):
            group = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)[i % 3]
            _entry(person, group, start, 2 + n, key=f"{n}{i}v")
            _entry(person, group, start, 1, EntryStatus.PENDING, key=f"{n}{i}p")
    merged_only = _members_of(g[3])[0]
    _entry(merged_only, g[3], start, 7, key="merged-unit")  # kept by the merged unit itself
    org.unit_move(
        actor=admin, unit=g[4], new_parent=Unit.objects.get(code="CD-HOALU"), effective_date=today
    )
    org.unit_merge(actor=admin, source=g[3], target=g[2], effective_date=today)
    fed = units["federation"]
    with django_capture_on_commit_callbacks(execute=True):
        period = actions.period_open(
            actor=officer,
            unit=fed,
            form=actions.latest_form(UNION_FORM),
            title=f"Báo cáo năm {today.year}",
            starts_on=start,
            ends_on=dt.date(today.year, 12, 31),
            deadline=dt.date(today.year, 12, 31),
            type_codes=["cdct-truc-tiep", "cdcs"],
        )
    period.refresh_from_db()
    return period, g


def _by_code(period):
    return {r.unit.code: r for r in Report.objects.filter(period=period).select_related("unit")}


def _fill_and_submit(actor, report, **typed):
    report = actions.report_save(
        actor=actor,
        report=report,
        values={"skill_classes": 1, "own_budget": 500000, **typed},
        notes={},
        texts={"context": "Ổn định"},
        signer="Nguyễn Văn Ký",
        signer_title="Chủ tịch",
    )
    return actions.report_submit(actor=actor, report=report)


def test_who_reports_follows_the_tree_at_the_period_end(reorganised):
    period, g = reorganised
    reports = _by_code(period)
    assert period.status == "open" and period.reports_total == len(reports)
    assert set(reports) == {
        "LDLD-NB",
        "CD-KCN",
        "CD-HOALU",
        "CD-YTE",
        "CDCS-001",
        "CDCS-002",
        "CDCS-004",
    }
    # The moved union reports to its new superior; the merged one reports through the union
    # that absorbed it, with its own unit and former groups in that union's own rows.
    assert reports["CDCS-004"].parent == reports["CD-HOALU"]
    own = set(reports["CDCS-002"].own_units)
    assert (
        g[3].pk in own
        and set(Unit.objects.filter(code__startswith="TCD-003").values_list("pk", flat=True)) <= own
    )
    # Every unit of the subtree belongs to exactly one report's own rows.
    all_own = [u for r in reports.values() for u in r.own_units]
    subtree = Unit.objects.filter(path__startswith=period.unit.path).values_list("pk", flat=True)
    assert sorted(all_own) == sorted(subtree)


def test_consolidation_is_own_rows_plus_accepted_children_at_every_level(reorganised, people):
    period, g = reorganised
    officer = people["provincial_officer"]
    items = period.form.items()
    codes = rules.additive(items)
    reports = _by_code(period)
    for code in ("CDCS-001", "CDCS-002", "CDCS-004"):
        _fill_and_submit(officer, reports[code])
        actions.report_accept(actor=officer, report=reports[code])
    for code in ("CD-KCN", "CD-HOALU", "CD-YTE"):
        _fill_and_submit(officer, reports[code])
        actions.report_accept(actor=officer, report=reports[code])
    reports = _by_code(period)
    for r in reports.values():
        whole = selectors.consolidation(r)
        kids = [c for c in reports.values() if c.parent_id == r.pk]
        for code in codes:
            expected = rules.dec(r.values.get(code)) + sum(
                (rules.dec(whole["sums"][c.pk].get(code)) for c in kids), Decimal(0)
            )
            assert rules.dec(whole["values"][code]) == expected, (r.unit.code, code)
    # The top equals the whole subtree counted directly, for every computed indicator.
    top = selectors.consolidation(reports["LDLD-NB"])["values"]
    subtree = Unit.objects.filter(path__startswith=period.unit.path).values_list("pk", flat=True)
    direct = selectors.own_figures(
        owners=dict.fromkeys(subtree, period.unit_id), start=period.starts_on, end=period.ends_on
    )[period.unit_id]
    for item in items:
        if item["kind"] == "computed":
            assert rules.dec(top[item["code"]]) == direct[item["source"]], item["code"]
    assert direct["hours"] > 0 and direct["members"] > 0 and direct["verified_hours"] > 0
    assert direct["hours"] > direct["verified_hours"]  # pending entries count, apart
    # The merged union's own entry counts in the union that absorbed it.
    assert rules.dec(reports["CDCS-002"].computed["hours"]) >= Decimal(7)
    # Typed figures add up too: 6 reports below the federation typed 1 class each.
    assert rules.dec(top["skill_classes"]) == 6


def test_a_returned_report_is_left_out_until_accepted_again(reorganised, people):
    period, g = reorganised
    officer = people["provincial_officer"]
    reports = _by_code(period)
    _fill_and_submit(officer, reports["CDCS-001"])
    actions.report_accept(actor=officer, report=reports["CDCS-001"])
    sup = reports["CD-KCN"]
    with_child = selectors.consolidation(sup)["values"]["hours"]
    with pytest.raises(ValidationFailed):
        actions.report_return(actor=officer, report=reports["CDCS-001"], comment="  ")
    actions.report_return(actor=officer, report=reports["CDCS-001"], comment="Sai số giờ học")
    without = selectors.consolidation(sup)
    assert rules.dec(without["values"]["hours"]) == rules.dec(sup.values["hours"])
    assert rules.dec(with_child) > rules.dec(without["values"]["hours"])
    assert [c.unit.code for c in without["missing"]] == ["CDCS-001"]
    # The superior sends its report without it: the returned report is not in what it sent.
    sent = _fill_and_submit(officer, sup)
    assert reports["CDCS-001"].pk not in sent.included
    assert rules.dec(sent.consolidated["hours"]) == rules.dec(sup.values["hours"])
    # Once the superior's report is sent, its children cannot be reviewed again…
    child = Report.objects.get(pk=reports["CDCS-001"].pk)
    _fill_and_submit(officer, child)
    with pytest.raises(Conflict):
        actions.report_accept(actor=officer, report=child)
    # …until it takes its report back; then the corrected child counts.
    actions.report_reopen(actor=officer, report=sent)
    actions.report_accept(actor=officer, report=child)
    again = _fill_and_submit(officer, Report.objects.get(pk=sup.pk))
    assert child.pk in again.included
    assert rules.dec(again.consolidated["hours"]) == rules.dec(with_child)
    kinds = list(child.events.values_list("kind", flat=True))
    assert kinds == [
        "prepared",
        "saved",
        "submitted",
        "accepted",
        "returned",
        "saved",
        "submitted",
        "accepted",
    ]


def test_submit_needs_typed_figures_explanations_and_a_signer(reorganised, people):
    period, g = reorganised
    officer = people["provincial_officer"]
    r = _by_code(period)["CDCS-001"]
    with pytest.raises(ValidationFailed) as exc:
        actions.report_submit(actor=officer, report=r)
    assert set(exc.value.extra["problems"]) == {"skill_classes", "own_budget"}
    # A computed figure changed by hand needs a reason.
    changed = rules.dec(r.computed["members"]) + 5
    r = actions.report_save(
        actor=officer,
        report=r,
        values={"members": changed, "skill_classes": 0, "own_budget": 0},
        notes={},
        texts={},
    )
    with pytest.raises(ValidationFailed) as exc:
        actions.report_submit(actor=officer, report=r)
    assert set(exc.value.extra["problems"]) == {"members"}
    r = actions.report_save(
        actor=officer,
        report=r,
        values={},
        notes={"members": "5 người mới chưa nhập hệ thống"},
        texts={},
    )
    with pytest.raises(ValidationFailed) as exc:
        actions.report_submit(actor=officer, report=r)
    assert exc.value.code == "no_signer"
    r = actions.report_save(actor=officer, report=r, values={}, notes={}, texts={}, signer="Hà")
    r = actions.report_submit(actor=officer, report=r)
    assert r.status == Report.SUBMITTED and r.revision == 1
    with pytest.raises(Conflict):
        actions.report_save(actor=officer, report=r, values={"members": 1}, notes={}, texts={})


def test_refresh_keeps_corrected_figures_and_updates_the_others(reorganised, people):
    period, g = reorganised
    officer = people["provincial_officer"]
    r = _by_code(period)["CDCS-001"]
    before_hours = rules.dec(r.computed["hours"])
    actions.report_save(
        actor=officer, report=r, values={"members": 999}, notes={"members": "x"}, texts={}
    )
    person = _members_of(g[1])[0]
    _entry(person, g[1], period.starts_on, 10, key="late")
    r = actions.report_refresh(actor=officer, report=Report.objects.get(pk=r.pk))
    assert rules.dec(r.values["hours"]) == before_hours + 10
    assert r.values["members"] == "999"


def test_a_new_form_version_leaves_old_reports_readable(reorganised, people, client_for):
    period, g = reorganised
    officer = people["provincial_officer"]
    old = period.form
    sections = [dict(s, items=list(s["items"])) for s in old.sections]
    sections[1]["items"] = [i for i in sections[1]["items"] if i["code"] != "skill_classes"]
    sections[1]["items"].append(
        {"code": "digital_classes", "label": "Số lớp kỹ năng số", "kind": "typed", "unit": "lớp"}
    )
    with pytest.raises(ValidationFailed):
        actions.form_new_version(
            actor=officer,
            form=old,
            sections=[
                {
                    "number": "I",
                    "title": "x",
                    "items": [{"code": "a", "label": "a", "kind": "computed", "source": "nope"}],
                }
            ],
            title=old.title,
            issuer_name=old.issuer_name,
            document_number="x",
        )
    new = actions.form_new_version(
        actor=officer,
        form=old,
        sections=sections,
        title=old.title,
        issuer_name=old.issuer_name,
        document_number="Mẫu SĐ-CĐ-02",
    )
    assert new.version == 2 and actions.latest_form(UNION_FORM) == new
    assert ReportForm.objects.get(pk=old.pk).items() == old.items()  # untouched
    client = client_for(officer)
    top = _by_code(period)["LDLD-NB"]
    page = client.get(f"/reports/{top.pk}/").content.decode()
    assert "Số lớp bồi dưỡng kỹ năng nghề" in page and "Số lớp kỹ năng số" not in page
    assert client.get(f"/reports/{top.pk}/report.pdf").status_code == 200
    # A period opened now uses the new version; the same dates twice are refused.
    with pytest.raises(Conflict):
        actions.period_open(
            actor=officer,
            unit=period.unit,
            form=new,
            title="x",
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            deadline=period.deadline,
            type_codes=["cdcs"],
        )


def test_parse_value_reads_vietnamese_and_english_numbers():
    assert rules.parse_value("1.234,5") == Decimal("1234.5")
    assert rules.parse_value("1.234.567") == Decimal("1234567")
    assert rules.parse_value("12.5") == Decimal("12.5")
    assert rules.parse_value(" 2 000 ") == Decimal("2000")
    for bad in ("abc", "-3", "1e400", "NaN", "Infinity", "9" * 40):
        assert rules.parse_value(bad) is None, bad


def test_a_large_change_from_the_previous_period_needs_an_explanation():
    items = [{"code": "x", "kind": "typed", "label": "x"}]
    ask = rules.submit_problems(
        items, computed={}, values={"x": "100"}, notes={}, texts={}, previous={"x": "20"}
    )
    assert "x" in ask
    assert not rules.submit_problems(
        items, computed={}, values={"x": "24"}, notes={}, texts={}, previous={"x": "20"}
    )
    assert not rules.submit_problems(
        items,
        computed={},
        values={"x": "100"},
        notes={"x": "mở thêm lớp"},
        texts={},
        previous={"x": "20"},
    )


def test_pages_fill_submit_review_and_export(
    reorganised, people, client_for, django_assert_max_num_queries
):
    from openpyxl import load_workbook

    period, g = reorganised
    officer = people["provincial_officer"]
    client = client_for(officer)
    r = _by_code(period)["CDCS-001"]
    url = f"/reports/{r.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and 'class="freshness"' in page.content.decode()
    data = {
        "v_members": r.computed["members"],
        "v_skill_classes": "abc",
        "v_own_budget": "1.500.000",
        "t_context": '=HYPERLINK("http://x")',
        "signer": "Lê Thị Hương",
        "signer_title": "Chủ tịch",
        "save": "1",
    }
    for item in period.form.items():
        if item["kind"] == "computed" and f"v_{item['code']}" not in data:
            data[f"v_{item['code']}"] = r.computed[item["code"]]
    bad = client.post(url, data)
    assert bad.status_code == 200
    assert Report.objects.get(pk=r.pk).values.get("own_budget", "") == ""  # nothing saved
    data["v_skill_classes"] = "2"
    assert client.post(url, data).status_code == 302
    assert Report.objects.get(pk=r.pk).values["own_budget"] == "1500000"
    assert client.post(url, {**data, "submit": "1"}).status_code == 302
    assert Report.objects.get(pk=r.pk).status == Report.SUBMITTED
    sup = r.parent
    assert client.post(f"/reports/{r.pk}/review/", {"accept": "1"}).status_code == 302
    assert Report.objects.get(pk=r.pk).status == Report.ACCEPTED
    with django_assert_max_num_queries(30):
        assert client.get(f"/reports/{sup.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/reports/periods/{period.pk}/").status_code == 200
    pdf = client.get(f"/reports/{sup.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    top = _by_code(period)["LDLD-NB"]
    xlsx = client.get(f"/reports/{top.pk}/report.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "Tổng hợp" and len(wb.sheetnames) == 3  # superior, grassroots
    names = [row[1] for row in wb.worksheets[2].iter_rows(min_row=5, values_only=True)]
    assert "Công đoàn cơ sở Công ty TNHH Giày Ninh Bình" in names or len(names) == 3
    # Typed text that looks like a formula stays text in the workbook.
    grassroots_sheet = load_workbook(io.BytesIO(client.get(f"/reports/{r.pk}/report.xlsx").content))
    texts = [c.value for row in grassroots_sheet.worksheets[0].iter_rows() for c in row]
    assert '=HYPERLINK("http://x")' in texts
    assert all(
        c.data_type != "f" for row in grassroots_sheet.worksheets[0].iter_rows() for c in row
    )
    # Someone of another tree sees nothing of it.
    foreign = client_for(people["foreign_officer"])
    assert foreign.get(url).status_code == 404
    assert foreign.post(f"/reports/{r.pk}/review/", {"comment": "x"}).status_code == 404


def test_dashboard_compares_children_by_rates_and_size_bands(
    reorganised, people, client_for, django_assert_max_num_queries
):
    period, g = reorganised
    fed = period.unit
    actions.snapshot_year(root=fed, year=timezone.localdate().year)
    d = selectors.dashboard(unit=fed, year=timezone.localdate().year)
    direct = selectors.own_figures(
        owners=dict.fromkeys(
            Unit.objects.filter(path__startswith=fed.path).values_list("pk", flat=True), fed.pk
        ),
        start=dt.date(timezone.localdate().year, 1, 1),
        end=timezone.localdate(),
    )[fed.pk]
    assert d["total"]["hours"] == direct["hours"] and d["total"]["members"] == direct["members"]
    assert {c["unit"].code for c in d["children"]} == {"CD-KCN", "CD-HOALU", "CD-YTE"}
    for c in d["children"]:
        peers = [x["rates"]["participation"] for x in d["children"] if x["band"] == c["band"]]
        assert c["median"]["participation"] == selectors.median(peers)
    client = client_for(people["provincial_officer"])
    with django_assert_max_num_queries(20):
        page = client.get(f"/reports/units/{fed.pk}/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<caption>" in html
    assert (
        client_for(people["member"]).get(f"/reports/units/{fed.pk}/dashboard/").status_code == 404
    )


def test_opening_a_period_from_the_page_checks_its_input(
    world, people, units, client_for, django_capture_on_commit_callbacks
):
    from suotdoi.reports.models import Period

    fed = units["federation"]
    client = client_for(people["provincial_officer"])
    url = f"/reports/units/{fed.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    form_id = actions.latest_form(UNION_FORM).pk
    year = timezone.localdate().year
    base = {
        "form": form_id,
        "title": "Báo cáo năm",
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-06-30",
        "deadline": f"{year}-07-15",
        "type_codes": ["cdcs"],
    }
    for bad in (
        {"deadline": f"{year}-06-01"},  # before the period ends
        {"ends_on": f"{year - 2}-06-30"},  # backwards
        {"type_codes": ["xa"]},  # a commune is not a kind of union
        {"form": actions.latest_form("xa-xay-dung-xa-hoi-hoc-tap").pk},  # the commune's form
        {"starts_on": "31/02/2026"},
    ):
        response = client.post(url, {**base, **bad})
        assert response.status_code == 200, bad
    assert not Period.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, base).status_code == 302
    period = Period.objects.get()
    assert period.status == Period.OPEN and period.reports_total == 5  # 4 grassroots + itself
    # Officers of another tree and plain members cannot open one here.
    assert client_for(people["foreign_officer"]).post(url, base).status_code == 404
    assert client_for(people["member"]).post(url, base).status_code == 404
    assert Period.objects.count() == 1


def test_the_daily_command_computes_figures_and_reminds_late_units(reorganised, people):
    from django.core.management import call_command

    from suotdoi.notifications.models import Notification
    from suotdoi.reports.models import Period, UnitYear

    period, g = reorganised
    Period.objects.filter(pk=period.pk).update(deadline=timezone.localdate())
    out = io.StringIO()
    call_command("reports_daily", stdout=out)
    assert UnitYear.objects.filter(unit=period.unit).exists()
    reminded = Notification.objects.filter(kind="reports.due", title__startswith="Nhắc việc")
    assert reminded.exists()
    n = reminded.count()
    call_command("reports_daily", stdout=out)  # once a day each
    assert reminded.count() == n


def test_platform_staff_publish_a_form_version_from_json(world, people, client_for):
    import json

    old = actions.latest_form(UNION_FORM)
    url = f"/reports/forms/{old.pk}/"
    assert client_for(people["provincial_officer"]).post(url, {"sections": "[]"}).status_code == 404
    admin = client_for(people["admin"])
    page = admin.get(url).content.decode()
    assert "Số đoàn viên" in page
    for bad in (
        "{not json",
        "[1, 2]",
        json.dumps(
            [
                {
                    "number": "I",
                    "title": "x",
                    "items": [{"code": "a", "label": "a", "kind": "computed", "source": "nope"}],
                }
            ]
        ),
        "[" * 5000 + "]" * 5000,
    ):
        assert admin.post(url, {"sections": bad}).status_code == 200, bad[:30]
    assert ReportForm.objects.filter(code=UNION_FORM).count() == 1
    sections = old.sections[:2]
    r = admin.post(url, {"sections": json.dumps(sections), "document_number": "Mẫu 02"})
    assert r.status_code == 302
    new = actions.latest_form(UNION_FORM)
    assert new.version == 2 and new.document_number == "Mẫu 02" and new.sections == sections


def test_a_union_moved_after_the_period_still_counts_where_it_was(
    world, people, units, django_capture_on_commit_callbacks
):
    admin, officer = people["admin"], people["provincial_officer"]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        period = actions.period_open(
            actor=officer,
            unit=units["federation"],
            form=actions.latest_form(UNION_FORM),
            title="Tháng trước",
            starts_on=today - dt.timedelta(days=40),
            ends_on=today - dt.timedelta(days=1),
            deadline=today,
            type_codes=["cdct-truc-tiep", "cdcs"],
        )
    g4 = Unit.objects.get(code="CDCS-004")
    before = _by_code(period)
    assert before["CDCS-004"].parent == before["CD-KCN"]
    _fill_and_submit(officer, before["CDCS-004"], skill_classes=4)
    actions.report_accept(actor=officer, report=before["CDCS-004"])
    # After the period's end the union moves to another superior: its report still goes to
    # the superior it had then, and counts there (and not in the new one).
    org.unit_move(
        actor=admin, unit=g4, new_parent=Unit.objects.get(code="CD-HOALU"), effective_date=today
    )
    old_sup = Report.objects.get(period=period, unit__code="CD-KCN")
    new_sup = Report.objects.get(period=period, unit__code="CD-HOALU")
    assert rules.dec(selectors.consolidation(old_sup)["values"]["skill_classes"]) == 4
    assert rules.dec(selectors.consolidation(new_sup)["values"]["skill_classes"]) == 0


def test_year_choices_are_plain_numbers_and_choosing_one_works(world, people, units, client_for):
    """A year is written 2026, never 2.026 (Vietnamese grouping), in a choice's value too."""
    client = client_for(people["provincial_officer"])
    last = timezone.localdate().year - 1
    for url in (
        f"/reports/units/{units['federation'].pk}/dashboard/?year={last}",
        f"/credits/units/{units['federation'].pk}/report/?year={last}",
    ):
        html = client.get(url).content.decode()
        assert f'<option value="{last}" selected>{last}</option>' in html, url

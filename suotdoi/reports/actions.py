"""Writes of periodic reports: open a period (the reports are prepared in the background),
refresh, save, submit, return and accept, remind, publish a form's new version, and the
nightly figures behind dashboards. Each in one transaction with an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import Conflict, ValidationFailed
from suotdoi.notifications.actions import notify_many
from suotdoi.notifications.messages import Day, Say
from suotdoi.organisations.models import Membership, Unit, UnitType
from suotdoi.organisations.policies import STAFF_ROLES

from . import rules, selectors
from .models import Period, Report, ReportEvent, ReportForm, UnitYear

EDITABLE = (Report.DRAFT, Report.RETURNED)
MAX_DAYS = 366


def form_new_version(
    *,
    actor,
    form: ReportForm,
    sections,
    title: str,
    issuer_name: str,
    document_number: str,
    document_date=None,
    note: str = "",
) -> ReportForm:
    """Publish a form's next version; reports made with earlier versions keep theirs."""
    problems = rules.form_problems(sections, selectors.SOURCES)
    if problems:
        raise ValidationFailed(" ".join(problems), code="form_invalid")
    with transaction.atomic():
        latest = (
            ReportForm.objects.select_for_update().filter(code=form.code).order_by("-version")[0]
        )
        new = ReportForm.objects.create(
            code=form.code,
            version=latest.version + 1,
            title=title,
            tree_kind=form.tree_kind,
            issuer_name=issuer_name,
            document_number=document_number,
            document_date=document_date,
            note=note,
            sections=sections,
        )
        audit_log(
            actor=actor, verb="reports.form_version", target=new, data={"version": new.version}
        )
    return new


def latest_form(code: str) -> ReportForm:
    return ReportForm.objects.filter(code=code).order_by("-version")[0]


@transaction.atomic
def period_open(
    *,
    actor,
    unit: Unit,
    form: ReportForm,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    deadline: dt.date,
    type_codes: list[str],
) -> Period:
    """Open a period for the given unit types below `unit`; every report is prepared (with
    the figures as of the period's end) by a background task."""
    if ends_on < starts_on or (ends_on - starts_on).days > MAX_DAYS:
        raise ValidationFailed(_("A period runs forward and for at most a year."), code="bad_dates")
    if deadline < ends_on:
        raise ValidationFailed(
            _("The deadline cannot be before the period ends."), code="bad_deadline"
        )
    if form.tree_kind != unit.unit_type.tree_kind:
        raise ValidationFailed(
            _("This form is for another kind of organisation."), code="form_tree"
        )
    known = set(
        UnitType.objects.filter(tree_kind=unit.unit_type.tree_kind).values_list("code", flat=True)
    )
    codes = sorted(set(type_codes))
    if not codes or not set(codes) <= known:
        raise ValidationFailed(_("Choose the kinds of unit that report."), code="bad_types")
    if Period.objects.filter(
        unit=unit, form__code=form.code, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists():
        raise Conflict(
            _("A period of this form already covers these dates."), code="period_overlap"
        )
    period = Period.objects.create(
        unit=unit,
        unit_path=unit.path,
        form=form,
        title=title.strip()[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        type_codes=codes,
        opened_by=actor,
    )
    audit_log(
        actor=actor,
        verb="reports.period_open",
        target=period,
        unit=unit,
        data={
            "form": f"{form.code}/v{form.version}",
            "types": codes,
            "from": starts_on.isoformat(),
            "to": ends_on.isoformat(),
        },
    )
    from .tasks import prefill_task

    transaction.on_commit(partial(prefill_task.enqueue, period.pk))
    return period


def period_prefill(*, period: Period) -> int:
    """Make every report of a period with its own rows' figures (safe to run again: reports
    already made are kept)."""
    plan = selectors.structure(
        unit=period.unit, ends_on=period.ends_on, type_codes=period.type_codes
    )
    owners = {u: p["unit"] for p in plan for u in p["own"]}
    figures = selectors.own_figures(owners=owners, start=period.starts_on, end=period.ends_on)
    now = timezone.now()
    paths = selectors.unit_paths(p["unit"] for p in plan)
    items = period.form.items()
    with transaction.atomic():
        done = set(Report.objects.filter(period=period).values_list("unit_id", flat=True))
        rows = []
        for p in plan:
            if p["unit"] in done:
                continue
            computed = {
                i["code"]: str(figures[p["unit"]][i["source"]])
                for i in items
                if i["kind"] == "computed"
            }
            rows.append(
                Report(
                    period=period,
                    unit_id=p["unit"],
                    unit_path=paths[p["unit"]],
                    own_units=p["own"],
                    computed=computed,
                    values=dict(computed),
                    figures_as_of=now,
                )
            )
        Report.objects.bulk_create(rows, batch_size=1000)
        ids = dict(Report.objects.filter(period=period).values_list("unit_id", "pk"))
        parents = [(ids[p["unit"]], ids.get(p["parent"])) for p in plan if p["parent"]]
        by_pk = dict(parents)
        changed = [Report(pk=pk, parent_id=parent) for pk, parent in by_pk.items()]
        Report.objects.bulk_update(changed, ["parent"], batch_size=1000)
        ReportEvent.objects.bulk_create(
            [ReportEvent(report_id=ids[r.unit_id], kind="prepared") for r in rows], batch_size=1000
        )
        Period.objects.filter(pk=period.pk).update(
            status=Period.OPEN, reports_total=len(ids), prefilled=len(ids)
        )
        _notify_units(
            period,
            {ids[r.unit_id]: r.unit_id for r in rows if r.unit_id != period.unit_id},
            Say(
                gettext_noop("Report due %(day)s: %(title)s"),
                day=Day(period.deadline),
                title=period.title,
            ),
            "opened",
        )
    return len(rows)


def _notify_units(period: Period, reports: dict[int, int], title: Say, key: str) -> int:
    """Tell the officers and reporters of each report's unit (report id → unit id)."""
    if not reports:
        return 0
    unit_to_report = {u: r for r, u in reports.items()}
    items = []
    units = sorted(unit_to_report)
    for i in range(0, len(units), 900):
        for m in Membership.objects.filter(
            unit_id__in=units[i : i + 900], end_date__isnull=True, role__in=STAFF_ROLES
        ).select_related("person"):
            report_id = unit_to_report[m.unit_id]
            items.append(
                {
                    "recipient": m.person,
                    "kind": "reports.due",
                    "title": title,
                    "url": f"/reports/{report_id}/",
                    "dedupe_key": f"reports:{key}:{report_id}:{m.person_id}",
                    "email": False,
                }
            )
    return notify_many(items) if items else 0


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("period__form", "unit")
        .get(pk=report.pk)
    )


def _event(report: Report, kind: str, actor, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, kind=kind, actor=actor, comment=comment[:2000])


@transaction.atomic
def report_refresh(*, actor, report: Report) -> Report:
    """Compute the own rows' figures again as of now; figures the unit corrected stay."""
    report = _locked(report)
    if report.status not in EDITABLE:
        raise Conflict(_("A submitted report cannot change."), code="not_editable")
    period = report.period
    owners = dict.fromkeys(report.own_units, report.unit_id)
    figures = selectors.own_figures(owners=owners, start=period.starts_on, end=period.ends_on)
    fresh = figures.get(report.unit_id, {})
    for item in period.form.items():
        if item["kind"] != "computed":
            continue
        code, new = item["code"], str(fresh.get(item["source"], Decimal(0)))
        if rules.dec(report.values.get(code)) == rules.dec(report.computed.get(code)):
            report.values[code] = new
        report.computed[code] = new
    report.figures_as_of = timezone.now()
    report.save(update_fields=["computed", "values", "figures_as_of"])
    _event(report, "refreshed", actor)
    audit_log(actor=actor, verb="reports.refresh", target=report, unit=report.unit)
    return report


@transaction.atomic
def report_save(
    *,
    actor,
    report: Report,
    values: dict,
    notes: dict,
    texts: dict,
    signer: str = "",
    signer_title: str = "",
) -> Report:
    """Keep what the unit typed: figures (computed ones corrected, typed ones), notes and
    text sections. Only the form's own codes are kept."""
    report = _locked(report)
    if report.status not in EDITABLE:
        raise Conflict(_("A submitted report cannot change."), code="not_editable")
    items = {i["code"]: i for i in report.period.form.items()}
    for code, value in values.items():
        if code in items and items[code]["kind"] in ("computed", "typed"):
            report.values[code] = "" if value is None else str(value)
    for code, note in notes.items():
        if code in items:
            report.notes[code] = (note or "").strip()[:1000]
    for code, text in texts.items():
        if code in items and items[code]["kind"] == "text":
            report.texts[code] = (text or "").strip()[:8000]
    report.signer, report.signer_title = signer.strip()[:200], signer_title.strip()[:200]
    report.save(update_fields=["values", "notes", "texts", "signer", "signer_title"])
    _event(report, "saved", actor)
    audit_log(actor=actor, verb="reports.save", target=report, unit=report.unit)
    return report


@transaction.atomic
def report_submit(*, actor, report: Report) -> Report:
    """Send the report up: its consolidation (own rows plus accepted children) is kept as
    sent. Refused while something must still be filled or explained."""
    report = _locked(report)
    if report.status not in EDITABLE:
        raise Conflict(_("This report was already submitted."), code="not_editable")
    items = report.period.form.items()
    problems = rules.submit_problems(
        items,
        computed=report.computed,
        values=report.values,
        notes=report.notes,
        texts=report.texts,
        previous=selectors.previous_values(report),
    )
    if problems:
        raise ValidationFailed(
            _("%(n)d figure(s) still need a value or an explanation.") % {"n": len(problems)},
            code="report_incomplete",
            problems=problems,
        )
    if not report.signer.strip():
        raise ValidationFailed(_("Say who signs the report."), code="no_signer")
    kids = list(Report.objects.select_for_update().filter(parent=report).order_by("pk"))
    whole = selectors.consolidation(report)
    report.consolidated = whole["values"]
    report.included = [k.pk for k in kids if k.status == Report.ACCEPTED]
    report.status = Report.SUBMITTED
    report.revision += 1
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save()
    _event(report, "submitted", actor)
    audit_log(
        actor=actor,
        verb="reports.submit",
        target=report,
        unit=report.unit,
        data={"revision": report.revision, "children": len(report.included)},
    )
    if report.parent_id:
        parent = Report.objects.get(pk=report.parent_id)
        _notify_units(
            report.period,
            {parent.pk: parent.unit_id},
            Say(
                gettext_noop("%(unit)s submitted its report: %(title)s"),
                unit=report.unit.name,
                title=report.period.title,
            ),
            f"submitted:{report.pk}:{report.revision}",
        )
    return report


def _review(actor, child: Report) -> tuple[Report, Report]:
    parent = Report.objects.select_for_update().get(pk=child.parent_id)
    child = _locked(child)
    if parent.status not in EDITABLE:
        raise Conflict(
            _("Your own report has been sent; ask for it back before changing a child's."),
            code="parent_sent",
        )
    return parent, child


@transaction.atomic
def report_accept(*, actor, report: Report) -> Report:
    parent, report = _review(actor, report)
    if report.status != Report.SUBMITTED:
        raise Conflict(_("Only a submitted report can be accepted."), code="not_submitted")
    report.status, report.decided_at = Report.ACCEPTED, timezone.now()
    report.save(update_fields=["status", "decided_at"])
    _event(report, "accepted", actor)
    audit_log(actor=actor, verb="reports.accept", target=report, unit=parent.unit)
    _notify_units(
        report.period,
        {report.pk: report.unit_id},
        Say(gettext_noop("Your report was accepted: %(title)s"), title=report.period.title),
        f"accepted:{report.revision}",
    )
    return report


@transaction.atomic
def report_return(*, actor, report: Report, comment: str) -> Report:
    """Send a submitted (or accepted) report back with what to correct; it leaves the
    consolidation until it is accepted again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("Say what should be corrected."), code="no_comment")
    parent, report = _review(actor, report)
    if report.status not in (Report.SUBMITTED, Report.ACCEPTED):
        raise Conflict(_("Only a submitted report can be returned."), code="not_submitted")
    report.status, report.decided_at = Report.RETURNED, timezone.now()
    report.consolidated, report.included = None, []
    report.save(update_fields=["status", "decided_at", "consolidated", "included"])
    _event(report, "returned", actor, comment)
    audit_log(
        actor=actor,
        verb="reports.return",
        target=report,
        unit=parent.unit,
        data={"comment": comment[:300]},
    )
    _notify_units(
        report.period,
        {report.pk: report.unit_id},
        Say(gettext_noop("Your report was returned: %(comment)s"), comment=comment[:150]),
        f"returned:{report.revision}",
    )
    return report


@transaction.atomic
def report_reopen(*, actor, report: Report) -> Report:
    """Take back a submitted report that the level above has not accepted yet."""
    report = _locked(report)
    if report.status != Report.SUBMITTED:
        raise Conflict(
            _("Only a report waiting for review can be taken back."), code="not_submitted"
        )
    report.status, report.consolidated, report.included = Report.DRAFT, None, []
    report.save(update_fields=["status", "consolidated", "included"])
    _event(report, "reopened", actor)
    audit_log(actor=actor, verb="reports.reopen", target=report, unit=report.unit)
    return report


@transaction.atomic
def period_remind(*, actor, period: Period) -> int:
    """Remind the units whose report is not yet sent (once a day each)."""
    late = dict(
        Report.objects.filter(period=period, status__in=EDITABLE)
        .exclude(unit_id=period.unit_id)
        .values_list("pk", "unit_id")
    )
    _notify_units(
        period,
        late,
        Say(
            gettext_noop("Reminder: your report is due %(day)s: %(title)s"),
            day=Day(period.deadline),
            title=period.title,
        ),
        f"remind:{timezone.localdate().isoformat()}",
    )
    Period.objects.filter(pk=period.pk).update(reminded_at=timezone.now())
    audit_log(
        actor=actor,
        verb="reports.remind",
        target=period,
        unit=period.unit,
        data={"reports": len(late)},
    )
    return len(late)


def snapshot_year(*, root: Unit, year: int) -> int:
    """Recompute the yearly figures of every unit under `root` (each unit's own rows), one
    province-sized subtree at a time."""
    today = timezone.localdate()
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    units = list(Unit.objects.filter(path__startswith=root.path).values_list("pk", "path"))
    if len(units) > 20_000:
        n = snapshot_year_units(units=[(root.pk, root.path)], start=start, end=end)
        for child in Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1):
            n += snapshot_year(root=child, year=year)
        return n
    return snapshot_year_units(units=units, start=start, end=end)


def snapshot_year_units(*, units, start, end) -> int:
    figures = selectors.own_figures(owners={pk: pk for pk, _p in units}, start=start, end=end)
    now = timezone.now()
    rows = []
    for pk, path in units:
        f = figures[pk]
        rows.append(
            UnitYear(
                unit_id=pk,
                unit_path=path,
                year=start.year,
                computed_at=now,
                members=f["members"],
                learners=f["learners"],
                hours=f["hours"],
                verified_hours=f["verified_hours"],
                sessions=f["sessions"],
                attendances=f["attendances"],
                tasks=f["tasks"],
                tasks_done=f["tasks_done"],
                titles=f["titles_person"] + f["titles_family"] + f["titles_collective"],
                credits=f["credits"],
                fund_paid=f["fund_paid"],
                contestants=f["contestants"],
            )
        )
    fields = [f.name for f in UnitYear._meta.fields if f.name not in ("id", "unit", "year")]
    with transaction.atomic():
        UnitYear.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=fields,
        )
    return len(rows)

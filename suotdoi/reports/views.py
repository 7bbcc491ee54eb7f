"""Pages of periodic reports: a unit's periods and reports, opening a period, the report
itself (fill, refresh, submit; review the units below), its PDF and XLSX, the forms, and the
unit's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.dbrouting import replica_reads
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, charts, exporting, rules, selectors
from .access import access_child_report, access_period, access_report
from .forms import PeriodOpenForm, ReportEditForm, ReturnForm
from .models import Period, Report, ReportForm


@login_required
def unit(request, unit_id):
    u = access_unit_by_id(request.user, unit_id, Capability.REPORT)
    form = PeriodOpenForm(request.POST or None, unit=u)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with action_errors(request, form=form) as outcome:
            period = actions.period_open(
                actor=request.user,
                unit=u,
                form=d["form"],
                title=d["title"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                deadline=d["deadline"],
                type_codes=d["type_codes"],
            )
        if outcome.ok:
            messages.success(request, _("The period is open; the reports are being prepared."))
            return redirect("reports:period", period_id=period.pk)
    reports = (
        Report.objects.filter(unit=u).select_related("period").order_by("-period__ends_on")[:40]
    )
    return render(
        request,
        "reports/unit.html",
        {
            "unit": u,
            "reports": reports,
            "periods": Period.objects.filter(unit=u).select_related("form")[:40],
            "form": form if form.fields["type_codes"].choices else None,
        },
    )


@login_required
def period(request, period_id):
    p = access_period(request.user, period_id)
    if request.method == "POST" and "remind" in request.POST:
        n = actions.period_remind(actor=request.user, period=p)
        messages.success(request, _("%(n)d unit(s) reminded.") % {"n": n})
        return redirect("reports:period", period_id=p.pk)
    counts = {s: 0 for s, _label in Report.STATUSES}
    for status in Report.objects.filter(period=p).values_list("status", flat=True):
        counts[status] += 1
    late = (
        Report.objects.filter(period=p, status__in=actions.EDITABLE)
        .exclude(unit_id=p.unit_id)
        .select_related("unit", "parent__unit")
        .order_by("unit_path")[:200]
    )
    return render(
        request,
        "reports/period.html",
        {
            "p": p,
            "counts": [(label, counts[s]) for s, label in Report.STATUSES],
            "top": Report.objects.filter(period=p, unit_id=p.unit_id).first(),
            "late": late,
            "overdue": timezone.localdate() > p.deadline,
        },
    )


def _rows(report: Report, whole: dict) -> list[dict]:
    """The report's sections with, per item: own figure, system figure, consolidated."""
    out = []
    for section in report.period.form.sections:
        items = []
        for item in section["items"]:
            code, kind = item["code"], item["kind"]
            row = {
                "item": item,
                "note": report.notes.get(code, ""),
                "text": report.texts.get(code, ""),
            }
            if kind in ("computed", "typed"):
                row["own"] = (
                    rules.dec(report.values.get(code))
                    if report.values.get(code) not in (None, "")
                    else None
                )
                row["system"] = rules.dec(report.computed.get(code)) if kind == "computed" else None
                row["total"] = rules.dec(whole["values"].get(code))
            elif kind == "ratio":
                row["own"] = rules.ratio(item, report.values)
                row["total"] = rules.ratio(item, whole["values"])
            items.append(row)
        out.append({"number": section["number"], "title": section["title"], "items": items})
    return out


@login_required
@replica_reads
def report(request, report_id):
    r = access_report(request.user, report_id)
    may_edit = r.status in actions.EDITABLE and r.period.status == Period.OPEN
    edit = (
        ReportEditForm(
            request.POST if "save" in request.POST or "submit" in request.POST else None, report=r
        )
        if may_edit
        else None
    )
    problems = {}
    if request.method == "POST":
        if edit is not None and ("save" in request.POST or "submit" in request.POST):
            if edit.is_valid():
                with action_errors(request) as outcome:
                    r = actions.report_save(actor=request.user, report=r, **edit.parts())
                    if "submit" in request.POST:
                        actions.report_submit(actor=request.user, report=r)
                if outcome.ok:
                    messages.success(
                        request,
                        _("The report is sent to the level above.")
                        if "submit" in request.POST
                        else _("Saved."),
                    )
                    return redirect("reports:report", report_id=r.pk)
                problems = outcome.error.extra.get("problems", {})
                r = access_report(request.user, report_id)
                edit = ReportEditForm(request.POST, report=r)
                edit.is_valid()
        elif "refresh" in request.POST and may_edit:
            actions.report_refresh(actor=request.user, report=r)
            messages.success(request, _("The figures are computed again."))
            return redirect("reports:report", report_id=r.pk)
        elif "reopen" in request.POST:
            with action_errors(request) as outcome:
                actions.report_reopen(actor=request.user, report=r)
            return redirect("reports:report", report_id=r.pk)
    whole = selectors.consolidation(r)
    sections = _rows(r, whole)
    if edit is not None:
        for section in sections:
            for row in section["items"]:
                code = row["item"]["code"]
                row["problem"] = problems.get(code, "")
                for prefix, key in (("v_", "field"), ("n_", "note_field"), ("t_", "text_field")):
                    if f"{prefix}{code}" in edit.fields:
                        row[key] = edit[f"{prefix}{code}"]
    reviewer = r.parent_id is not None and can(request.user, r.parent.unit, Capability.REPORT)
    return render(
        request,
        "reports/report.html",
        {
            "r": r,
            "sections": sections,
            "whole": whole,
            "edit": edit,
            "problems": problems,
            "events": r.events.select_related("actor").order_by("-at")[:30],
            "reviewer": reviewer and r.status in (Report.SUBMITTED, Report.ACCEPTED),
            "parent_visible": reviewer,
            "return_form": ReturnForm(),
            "may_reopen": r.status == Report.SUBMITTED,
        },
    )


@login_required
@require_POST
def review(request, report_id):
    r = access_child_report(request.user, report_id)
    if "accept" in request.POST:
        with action_errors(request) as outcome:
            actions.report_accept(actor=request.user, report=r)
        if outcome.ok:
            messages.success(request, _("Accepted: it counts in your report."))
    else:
        form = ReturnForm(request.POST)
        if form.is_valid():
            with action_errors(request) as outcome:
                actions.report_return(
                    actor=request.user, report=r, comment=form.cleaned_data["comment"]
                )
            if outcome.ok:
                messages.success(request, _("Returned with your comment."))
        else:
            messages.error(request, _("Say what should be corrected."))
    return redirect("reports:report", report_id=r.pk)


@login_required
def report_pdf(request, report_id):
    r = access_report(request.user, report_id)
    pdf = exporting.report_pdf(report=r, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{r.period_id}-{r.unit.code}.pdf"'
    return response


@login_required
def report_xlsx(request, report_id):
    r = access_report(request.user, report_id)
    data = exporting.report_xlsx(report=r)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{r.period_id}-{r.unit.code}.xlsx"'
    )
    return response


@login_required
def forms_list(request):
    return render(request, "reports/forms.html", {"forms": ReportForm.objects.all()})


@login_required
def form_detail(request, form_id):
    """A form version; platform staff publish the next version from its sections as JSON."""
    import json

    from suotdoi.core.errors import NotFound

    f = ReportForm.objects.filter(pk=int_or(form_id)).first()
    if f is None:
        raise NotFound()
    editor = request.user.is_superuser
    text = json.dumps(f.sections, ensure_ascii=False, indent=1)
    if request.method == "POST":
        if not editor:
            raise NotFound()
        text = request.POST.get("sections", "")[:200_000]
        with action_errors(request) as outcome:
            new = actions.form_new_version(
                actor=request.user,
                form=f,
                sections=rules.parse_sections(text),
                title=request.POST.get("title", "").strip()[:300] or f.title,
                issuer_name=request.POST.get("issuer_name", "").strip()[:200] or f.issuer_name,
                document_number=request.POST.get("document_number", "").strip()[:100],
            )
        if outcome.ok:
            messages.success(request, _("Version %(v)s is published.") % {"v": new.version})
            return redirect("reports:form", form_id=new.pk)
    versions = ReportForm.objects.filter(code=f.code).order_by("-version")
    return render(
        request,
        "reports/form.html",
        {"f": f, "editor": editor, "text": text, "versions": versions},
    )


@login_required
@replica_reads
def dashboard(request, unit_id):
    u = access_unit_by_id(request.user, unit_id, Capability.VIEW)
    this_year = timezone.localdate().year
    year = int_or(request.GET.get("year"), this_year)
    year = year if 2000 <= year <= this_year else this_year
    if (
        request.method == "POST"
        and "recompute" in request.POST
        and can(request.user, u, Capability.REPORT)
    ):
        from .tasks import snapshot_task

        snapshot_task.enqueue(u.pk, year)
        messages.success(request, _("The figures are being computed again."))
        return redirect(f"{request.path}?year={year}")
    d = selectors.dashboard(unit=u, year=year)
    parent = None if u.is_root() else u.__class__.objects.get_parent(u)
    return render(
        request,
        "reports/dashboard.html",
        {
            "unit": u,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "d": d,
            "months_svg": charts.months_svg(d["months"], year=year),
            "rates_svg": charts.rates_svg(d["children"]),
            "may_recompute": can(request.user, u, Capability.REPORT),
            "parent": parent if parent and can(request.user, parent, Capability.VIEW) else None,
        },
    )

"""The learner's side: titles held, registration, the self-assessment and its review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, scope_q
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions, engine
from .. import selectors as recognition_selectors
from ..access import access_assessment
from ..models import (
    Assessment,
    CriteriaSet,
    Evidence,
    Holding,
    Indicator,
    Status,
)
from ._common import _year


@login_required
def mine(request):
    from ..selectors import person_sets_for_year

    year = _year(request)
    q = scope_q(request.user, Capability.EVALUATE, field="unit_path")
    queue = Assessment.objects.filter(status=Status.SUBMITTED).select_related(
        "criteria_set", "person", "subject_unit", "unit"
    )
    queue = queue if q is None else queue.filter(q)
    return render(
        request,
        "recognition/mine.html",
        {
            "year": year,
            "sets": person_sets_for_year(year),
            "mine": Assessment.objects.filter(person=request.user)
            .select_related("criteria_set")
            .order_by("-year"),
            "holdings": Holding.objects.filter(person=request.user)
            .select_related("decision__unit", "decision__criteria_set")
            .order_by("-year"),
            "queue": queue.exclude(person=request.user).order_by("submitted_at")[:100],
            "movements": _movements_for(request.user),
            "my_commendations": _my_commendations(request.user),
        },
    )


def _my_commendations(person):
    from ..models import Commendation

    return (
        Commendation.objects.filter(person=person, status=Commendation.APPROVED)
        .select_related("deciding_unit")
        .order_by("-decision_date")
    )


def _movements_for(person):

    from suotdoi.organisations.selectors import member_path_prefixes

    from ..models import Movement

    prefixes = member_path_prefixes(person)
    today = timezone.localdate()
    return (
        Movement.objects.filter(unit_path__in=prefixes, ends_on__gte=today)
        .select_related("unit")
        .order_by("ends_on")[:20]
    )


@login_required
@require_POST
def register(request):
    cs = CriteriaSet.objects.filter(pk=_int(request.POST.get("set"))).first()
    if cs is None:
        raise NotFound()
    unit = None
    if request.POST.get("unit"):
        unit = access_unit_by_id(request.user, request.POST["unit"], Capability.MANAGE_MEMBERS)
    with action_errors(request) as outcome:
        a = actions.assessment_register(
            actor=request.user, criteria_set=cs, year=_year(request), subject_unit=unit
        )
        return redirect("recognition:assessment", assessment_id=a.pk)
    if not outcome.ok:
        return redirect("recognition:mine")


@login_required
@require_POST
def register_for(request, membership_id):
    """An officer registers a member they may act for (assisted use) for a title."""
    from suotdoi.organisations.access import access_membership_by_id
    from suotdoi.records.assist import assisting_unit

    m = access_membership_by_id(request.user, membership_id)
    cs = CriteriaSet.objects.filter(pk=_int(request.POST.get("set"))).first()
    if cs is None or assisting_unit(request.user, m.person) is None:
        raise NotFound()
    with action_errors(request) as outcome:
        a = actions.assessment_register(
            actor=request.user, criteria_set=cs, year=_year(request), for_person=m.person
        )
        return redirect("recognition:assessment", assessment_id=a.pk)
    if not outcome.ok:
        return redirect("records:assist", membership_id=m.pk)


def _rows(a: Assessment):
    from suotdoi.records.models import LearningEntry

    indicators = list(
        Indicator.objects.filter(criteria_set=a.criteria_set_id).select_related("criterion")
    )
    source_ids = {
        i for ind in indicators for i in (a.values.get(ind.code) or {}).get("sources", [])
    }
    entries = LearningEntry.objects.in_bulk(list(source_ids))
    evidence = {}
    for e in a.evidence.all():
        evidence.setdefault(e.indicator_code, []).append(e)
    rule = a.criteria_set.rule()
    rows = []
    for ind in indicators:
        v = a.values.get(ind.code) or {}
        value = a.value_of(ind.code)
        rows.append(
            {
                "ind": ind,
                "v": v,
                "value": value,
                "points": engine.points_of(ind.rule(), value)
                if rule.kind == engine.RULE_POINTS
                else None,
                "met": engine.is_met(ind.rule(), value),
                "sources": [entries[i] for i in v.get("sources", []) if i in entries],
                "evidence": evidence.get(ind.code, []),
            }
        )
    return rows


@login_required
def assessment(request, assessment_id):
    a, subject, evaluator = access_assessment(request.user, assessment_id)
    if request.method == "POST":
        if not subject:
            raise NotFound()
        with action_errors(request):
            if "evidence" in request.POST:
                actions.evidence_add(
                    actor=request.user,
                    assessment=a,
                    indicator_code=request.POST.get("indicator", ""),
                    note=request.POST.get("note", "")[:500],
                    upload=request.FILES.get("file"),
                    url=request.POST.get("url", "")[:500]
                    if request.POST.get("url", "").startswith("https://")
                    else "",
                )
                messages.success(request, _("The evidence was added."))
            else:
                values = {k[2:]: v for k, v in request.POST.items() if k.startswith("v-")}
                for ind in Indicator.objects.filter(
                    criteria_set=a.criteria_set_id, measure=engine.YES_NO
                ):
                    values.setdefault(ind.code, "0")
                actions.assessment_self(actor=request.user, assessment=a, values=values)
                if "submit" in request.POST:
                    actions.assessment_submit(actor=request.user, assessment=a)
                    messages.success(request, _("Submitted to %(unit)s.") % {"unit": a.unit.name})
                else:
                    messages.success(request, _("Saved."))
        return redirect("recognition:assessment", assessment_id=a.pk)
    a.refresh_from_db()
    as_of = None
    if a.status in (Status.REGISTERED, Status.RETURNED, Status.SUBMITTED):
        # Figures from the record as they are now, for whoever opens the file (#16.10).
        actions.assessment_prefill(a, save=False)
        as_of = timezone.now()
    editable = subject and a.status in (Status.REGISTERED, Status.RETURNED)
    return render(
        request,
        "recognition/assessment.html",
        {
            "a": a,
            "rows": _rows(a),
            "subject": subject,
            "evaluator": evaluator and a.status == Status.SUBMITTED,
            "editable": editable,
            "round": recognition_selectors.round_for(a),
            "rule_kind": a.criteria_set.rule_kind,
            "as_of": as_of,
        },
    )


@login_required
@require_POST
def review(request, assessment_id):
    a, _subject, evaluator = access_assessment(request.user, assessment_id)
    if not evaluator:
        raise NotFound()
    with action_errors(request):
        if "adjust" in request.POST:
            actions.assessment_adjust(
                actor=request.user,
                assessment=a,
                code=request.POST.get("indicator", ""),
                value=request.POST.get("value", ""),
                reason=request.POST.get("reason", "")[:500],
            )
            messages.success(request, _("The score was changed; the reason is kept."))
        elif "approve" in request.POST:
            actions.assessment_approve(actor=request.user, assessment=a)
            messages.success(request, _("Approved; it goes to the deciding level."))
        elif "return" in request.POST:
            actions.assessment_return(
                actor=request.user, assessment=a, reason=request.POST.get("reason", "")[:500]
            )
            messages.success(request, _("Returned for correction."))
    return redirect("recognition:assessment", assessment_id=a.pk)


@login_required
def evidence_file(request, evidence_id):
    e = Evidence.objects.select_related("assessment").filter(pk=_int(evidence_id)).first()
    if e is None or not e.file:
        raise NotFound()
    access_assessment(request.user, e.assessment_id)
    return FileResponse(
        e.file.open("rb"), as_attachment=True, filename=e.file.name.rsplit("/", 1)[-1]
    )

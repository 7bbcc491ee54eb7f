"""A unit's recognition page, its decisions and its calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.models import Membership
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from .. import actions
from .. import selectors as recognition_selectors
from ..access import access_decision
from ..models import (
    Assessment,
    CriteriaSet,
    Decision,
    Indicator,
    Status,
    SubjectType,
    UnitYearFigure,
)
from ._common import _year


@login_required
def unit_page(request, unit_id):
    """A unit's titles: its members' shares per year, its own level, the assessments waiting
    for its decision, and its decisions."""
    unit = access_unit_by_id(request.user, unit_id, Capability.VIEW)
    year = _year(request)
    level, own, level_set = recognition_selectors.unit_level(unit=unit, year=year)
    may_decide = can(request.user, unit, Capability.MANAGE_UNITS)
    approved = (
        Assessment.objects.filter(
            status=Status.APPROVED, unit_path__startswith=unit.path, decision__isnull=True
        )
        .select_related("criteria_set", "person", "subject_unit")
        .order_by("criteria_set__code", "person__name_sort")
        if may_decide
        else []
    )
    unit_sets = CriteriaSet.objects.filter(subject_type=SubjectType.UNIT).order_by(
        "code", "-version"
    )
    texts = dict(Indicator.objects.filter(criteria_set=level_set).values_list("code", "text"))
    titles = dict(CriteriaSet.objects.order_by("code", "version").values_list("code", "title"))
    figures = list(UnitYearFigure.objects.filter(unit=unit, year=year).order_by("title_code"))
    for f in figures:
        f.title = titles.get(f.title_code, f.title_code)
    return render(
        request,
        "recognition/unit.html",
        {
            "unit": unit,
            "year": year,
            "figures": figures,
            "unmet": [texts.get(c, c) for c in level.unmet],
            "level": level,
            "own": own,
            "level_set": level_set,
            "approved": approved[:500] if may_decide else [],
            "may_decide": may_decide,
            "may_register": can(request.user, unit, Capability.MANAGE_MEMBERS),
            "unit_sets": {s.code: s for s in unit_sets}.values(),
            "rounds": _rounds(unit, year),
            **_commendation_context(request.user, unit, year),
            "all_sets": {
                c.code: c for c in CriteriaSet.objects.order_by("code", "-version")
            }.values(),
            "decisions": Decision.objects.filter(unit=unit)
            .select_related("criteria_set")
            .order_by("-date")[:50],
            "today": timezone.localdate(),
        },
    )


def _commendation_context(person, unit, year) -> dict:
    from suotdoi.organisations.models import Unit

    from ..models import Commendation

    commendations = list(
        Commendation.objects.filter(deciding_unit=unit, status=Commendation.APPROVED)
        .select_related("person", "subject_unit")
        .order_by("-decision_date")[:100]
    )
    if can(person, unit, Capability.MANAGE_MEMBERS):
        # A commended member can be nominated for a story from here (their membership here).
        ids = dict(
            Membership.objects.filter(
                person_id__in=[c.person_id for c in commendations if c.person_id],
                unit_path__startswith=unit.path,
                end_date__isnull=True,
            )
            .order_by("person_id", "-pk")
            .values_list("person_id", "pk")
        )
        for c in commendations:
            c.membership_id = ids.get(c.person_id)
    ctx = {
        "commendations": commendations,
        "kinds": Commendation._meta.get_field("kind").choices,
    }
    if can(person, unit, Capability.MANAGE_UNITS):
        ctx["proposals"] = Commendation.objects.filter(
            deciding_unit=unit, status=Commendation.PROPOSED
        ).select_related("person", "subject_unit", "proposed_by")[:500]
    if can(person, unit, Capability.MANAGE_MEMBERS):
        ctx["propose_members"] = (
            Membership.objects.filter(unit_path__startswith=unit.path, end_date__isnull=True)
            .select_related("person")
            .order_by("person_name_sort")[:500]
        )
        ctx["deciding_units"] = list(Unit.objects.get_ancestors(unit)) if unit.depth > 1 else []
    return ctx


def _rounds(unit, year):
    from suotdoi.organisations.selectors import path_prefixes

    from ..models import Round

    return Round.objects.filter(year=year, unit_path__in=path_prefixes([unit.path])).select_related(
        "unit"
    )


@login_required
@require_POST
def decision_new(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    ids = [_int(x) for x in request.POST.getlist("assessment")]
    try:
        date = dt.datetime.strptime(request.POST.get("date", ""), "%Y-%m-%d").date()
    except ValueError:
        messages.error(request, _("Give the decision's date."))
        return redirect("recognition:unit", unit_id=unit.pk)
    with action_errors(request) as outcome:
        d = actions.decision_issue(
            actor=request.user,
            unit=unit,
            assessments=list(Assessment.objects.filter(pk__in=ids)),
            number=request.POST.get("number", "")[:60],
            date=date,
            signer=request.POST.get("signer", "")[:200],
            signer_title=request.POST.get("signer_title", "")[:200],
        )
        return redirect("recognition:decision", decision_id=d.pk)
    if not outcome.ok:
        return redirect("recognition:unit", unit_id=unit.pk)


@login_required
def decision_detail(request, decision_id):
    d = access_decision(request.user, decision_id)
    may = can(request.user, d.unit, Capability.MANAGE_UNITS)
    if request.method == "POST":
        if not may:
            raise NotFound()
        with action_errors(request):
            if "publish" in request.POST:
                n = actions.decision_publish(actor=request.user, decision=d)
                messages.success(
                    request,
                    ngettext(
                        "Published: %(n)s certificate issued.",
                        "Published: %(n)s certificates issued.",
                        n,
                    )
                    % {"n": n},
                )
            elif "revoke" in request.POST:
                actions.decision_revoke(
                    actor=request.user, decision=d, reason=request.POST.get("reason", "")[:500]
                )
                messages.success(
                    request, _("The decision is revoked, and so are its certificates.")
                )
        return redirect("recognition:decision", decision_id=d.pk)
    subjects = list(
        d.assessments.select_related("person", "subject_unit").order_by("person__name_sort")
    )
    if may and d.published_at and not d.revoked_at:
        # A recognised person can be nominated for a story from here (their membership here).
        from suotdoi.organisations.models import Membership

        ids = dict(
            Membership.objects.filter(
                person_id__in=[a.person_id for a in subjects if a.person_id],
                unit_path__startswith=d.unit.path,
                end_date__isnull=True,
            )
            .order_by("person_id", "-pk")
            .values_list("person_id", "pk")
        )
        for a in subjects:
            a.membership_id = ids.get(a.person_id)
    return render(
        request,
        "recognition/decision.html",
        {"d": d, "subjects": subjects, "may": may},
    )


@login_required
@require_POST
def round_set(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    code = request.POST.get("title_code", "")
    if not CriteriaSet.objects.filter(code=code).exists():
        raise NotFound()
    try:
        dates = [
            dt.datetime.strptime(request.POST.get(k, ""), "%Y-%m-%d").date()
            for k in ("submit_by", "review_by", "decide_by")
        ]
    except ValueError:
        messages.error(request, _("Give the three dates."))
        return redirect("recognition:unit", unit_id=unit.pk)
    with action_errors(request):
        actions.round_set(
            actor=request.user,
            unit=unit,
            title_code=code,
            year=_year(request),
            submit_by=dates[0],
            review_by=dates[1],
            decide_by=dates[2],
        )
        messages.success(request, _("The calendar is set for the units below."))
    return redirect("recognition:unit", unit_id=unit.pk)

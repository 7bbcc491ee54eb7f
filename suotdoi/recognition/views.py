"""Recognition pages: my titles and assessments, the evaluator's review, a unit's figures,
level and decisions, and the criteria sets."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, can, scope_q
from suotdoi.organisations.models import Membership
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, engine, transfer
from . import selectors as recognition_selectors
from .access import access_assessment, access_decision, access_movement
from .models import (
    Assessment,
    CriteriaSet,
    Decision,
    Evidence,
    Holding,
    Indicator,
    Status,
    SubjectType,
    UnitYearFigure,
)


def _year(request) -> int:
    y = _int(request.GET.get("year") or request.POST.get("year"))
    today = timezone.localdate()
    return y if 2000 <= y <= today.year else today.year


@login_required
def mine(request):
    year = _year(request)
    person_sets = [
        s
        for s in CriteriaSet.objects.filter(subject_type=SubjectType.PERSON).order_by(
            "code", "-version"
        )
        if s.valid_from <= dt.date(year, 12, 31)
        and (s.valid_to is None or s.valid_to >= dt.date(year, 1, 1))
    ]
    latest = {}
    for s in person_sets:
        latest.setdefault(s.code, s)
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
            "sets": list(latest.values()),
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
    from .models import Commendation

    return (
        Commendation.objects.filter(person=person, status=Commendation.APPROVED)
        .select_related("deciding_unit")
        .order_by("-decision_date")
    )


def _movements_for(person):

    from suotdoi.organisations.selectors import member_path_prefixes

    from .models import Movement

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

    from .models import Commendation

    ctx = {
        "commendations": Commendation.objects.filter(
            deciding_unit=unit, status=Commendation.APPROVED
        )
        .select_related("person", "subject_unit")
        .order_by("-decision_date")[:100],
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

    from .models import Round

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
                messages.success(request, _("Published: %(n)s certificate(s) issued.") % {"n": n})
            elif "revoke" in request.POST:
                actions.decision_revoke(
                    actor=request.user, decision=d, reason=request.POST.get("reason", "")[:500]
                )
                messages.success(
                    request, _("The decision is revoked, and so are its certificates.")
                )
        return redirect("recognition:decision", decision_id=d.pk)
    return render(
        request,
        "recognition/decision.html",
        {
            "d": d,
            "subjects": d.assessments.select_related("person", "subject_unit").order_by(
                "person__name_sort"
            ),
            "may": may,
        },
    )


@login_required
def sets(request):
    return render(
        request,
        "recognition/sets.html",
        {
            "sets": CriteriaSet.objects.order_by("code", "-version"),
            "may_edit": request.user.is_superuser,
        },
    )


@login_required
def set_detail(request, set_id):
    cs = CriteriaSet.objects.filter(pk=_int(set_id)).first()
    if cs is None:
        raise NotFound()
    if request.method == "POST":
        if not request.user.is_superuser:
            raise NotFound()
        p = request.POST
        with action_errors(request):
            if "copy" in p:
                new = transfer.set_copy(
                    actor=request.user,
                    criteria_set=cs,
                    code=p.get("new_code", "")[:60],
                    title=p.get("new_title", "")[:200],
                )
            elif "add" in p:
                new = transfer.indicator_add(
                    actor=request.user,
                    criteria_set=cs,
                    criterion_title=p.get("criterion", "")[:300],
                    code=p.get("code", "")[:30],
                    text=p.get("text", "")[:500],
                    measure=p.get("measure", ""),
                    max_points=p.get("max_points", ""),
                    target=p.get("target", ""),
                    metric=p.get("metric", ""),
                    share_of=p.get("share_of", "")[:60],
                    level=_int(p.get("level")) if p.get("level") else 0,
                )
            elif "remove" in p:
                new = transfer.indicator_remove(
                    actor=request.user, criteria_set=cs, code=p.get("code", "")
                )
            else:
                new = transfer.indicator_edit(
                    actor=request.user,
                    criteria_set=cs,
                    code=p.get("code", ""),
                    text=p.get("text", "")[:500],
                    max_points=p.get("max_points", ""),
                    target=p.get("target", ""),
                )
            messages.success(request, _("Saved as version %(v)s.") % {"v": new.version})
            return redirect("recognition:set", set_id=new.pk)
    return render(
        request,
        "recognition/set.html",
        {
            "cs": cs,
            "criteria": cs.criteria.prefetch_related("indicators"),
            "may_edit": request.user.is_superuser,
            "in_use": Assessment.objects.filter(criteria_set=cs).exists(),
            "measures": Indicator._meta.get_field("measure").choices,
            "metrics": Indicator._meta.get_field("metric").choices,
            "titles": {
                c.code: c for c in CriteriaSet.objects.order_by("code", "-version")
            }.values(),
        },
    )


@login_required
def set_export(request, set_id):
    cs = CriteriaSet.objects.filter(pk=_int(set_id)).first()
    if cs is None:
        raise NotFound()
    response = HttpResponse(
        json.dumps(transfer.export_set(cs), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{cs.code}-v{cs.version}.json"'
    return response


@login_required
def set_import(request):
    if not request.user.is_superuser:
        raise NotFound()
    if request.method == "POST":
        upload = request.FILES.get("file")
        with action_errors(request):
            if upload is None or upload.size > 1024 * 1024:
                raise transfer.BadSet(_("Choose a JSON file of at most 1 MB."))
            with transaction.atomic():
                cs = transfer.import_set(actor=request.user, data=upload.read())
            messages.success(
                request, _("Imported: %(t)s, version %(v)s.") % {"t": cs.title, "v": cs.version}
            )
            return redirect("recognition:set", set_id=cs.pk)
    return redirect("recognition:sets")


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


# --- emulation ------------------------------------------------------------------------------


@login_required
def movement_new(request, unit_id):
    from . import emulation

    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    if request.method == "POST":
        p = request.POST
        try:
            m = emulation.movement_create(
                actor=request.user,
                unit=unit,
                title=p.get("title", "").strip()[:250],
                description=p.get("description", "")[:4000],
                subjects=p.get("subjects")
                if p.get("subjects") in ("persons", "units")
                else "units",
                metric=p.get("metric") if p.get("metric") in ("hours", "title_share") else "hours",
                title_code=p.get("title_code", "cong-dan-hoc-tap")
                if CriteriaSet.objects.filter(
                    code=p.get("title_code", ""), subject_type=SubjectType.PERSON
                ).exists()
                else "cong-dan-hoc-tap",
                starts_on=dt.date.fromisoformat(p.get("starts_on", "")),
                ends_on=dt.date.fromisoformat(p.get("ends_on", "")),
            )
            return redirect("recognition:movement", movement_id=m.pk)
        except ValueError:
            messages.error(request, _("Give the dates."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    titles = {
        c.code: c
        for c in CriteriaSet.objects.filter(subject_type=SubjectType.PERSON).order_by(
            "code", "-version"
        )
    }.values()
    return render(request, "recognition/movement_new.html", {"unit": unit, "titles": titles})


@login_required
def movement(request, movement_id):
    from suotdoi.organisations.models import Unit

    from . import emulation
    from .models import Movement, Participation

    m, member_below = access_movement(request.user, movement_id)
    organiser = can(request.user, m.unit, Capability.MANAGE_MEMBERS)
    q = scope_q(request.user, Capability.MANAGE_MEMBERS)
    my_units = (
        Unit.objects.filter(path__startswith=m.unit_path).exclude(pk=m.unit_id)
        if q is None
        else Unit.objects.filter(q, path__startswith=m.unit_path).exclude(pk=m.unit_id)
    )
    if request.method == "POST":
        if "compute" in request.POST and not organiser:
            raise NotFound()
        with action_errors(request):
            if "join" in request.POST:
                unit = None
                if m.subjects == Movement.UNITS:
                    unit = my_units.filter(pk=_int(request.POST.get("unit"))).first()
                    if unit is None:
                        raise NotFound()
                emulation.movement_join(actor=request.user, movement=m, unit=unit)
                messages.success(request, _("Registered."))
            elif "public" in request.POST:
                part = Participation.objects.filter(movement=m, person=request.user).first()
                if part is None:
                    raise NotFound()
                emulation.participation_public(
                    actor=request.user, participation=part, public=request.POST["public"] == "1"
                )
            elif "compute" in request.POST:
                from .tasks import movement_compute_task

                movement_compute_task.enqueue(m.pk)
                messages.success(
                    request, _("The standings are being computed; reload the page in a moment.")
                )
        return redirect("recognition:movement", movement_id=m.pk)
    mine = Participation.objects.filter(movement=m, person=request.user).first()
    from suotdoi.organisations.access import grants_for

    # "Your units": those the person holds a role in, not every unit under a provincial grant.
    own_ids = [g.unit_id for g in grants_for(request.user)]
    my_unit_parts = (
        Participation.objects.filter(movement=m, unit_id__in=own_ids).select_related("unit")[:50]
        if m.subjects == Movement.UNITS
        else []
    )
    return render(
        request,
        "recognition/movement.html",
        {
            "m": m,
            "standings": emulation.standings(m),
            "mine": mine,
            "my_unit_parts": my_unit_parts,
            "joinable_units": my_units.exclude(
                pk__in=Participation.objects.filter(movement=m, unit__isnull=False).values("unit")
            )[:200]
            if m.subjects == Movement.UNITS
            else [],
            "may_join": m.subjects == Movement.PERSONS and member_below and mine is None,
            "organiser": organiser,
            "count": Participation.objects.filter(movement=m).count(),
        },
    )


# --- commendations --------------------------------------------------------------------------


@login_required
@require_POST
def commendation_propose(request, unit_id):
    from suotdoi.organisations.models import Unit
    from suotdoi.people.models import Person

    from . import commendations

    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    p = request.POST
    deciding = Unit.objects.filter(pk=_int(p.get("deciding_unit"))).first()
    person = Person.objects.filter(pk=_int(p.get("person"))).first()
    if deciding is None or person is None:
        messages.error(request, _("Choose the member and the deciding level."))
        return redirect("recognition:unit", unit_id=unit.pk)
    with action_errors(request):
        commendations.commendation_propose(
            actor=request.user,
            proposed_by=unit,
            deciding_unit=deciding,
            kind=p.get("kind", ""),
            award_name=p.get("award_name", "")[:200],
            year=_year(request),
            justification=p.get("justification", "")[:4000],
            person=person,
        )
        messages.success(request, _("The proposal went to %(unit)s.") % {"unit": deciding.name})
    return redirect("recognition:unit", unit_id=unit.pk)


@login_required
@require_POST
def commendation_decide(request, unit_id):
    from . import commendations
    from .models import Commendation

    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    p = request.POST
    try:
        if "revoke" in p:
            c = Commendation.objects.filter(pk=_int(p.get("revoke")), deciding_unit=unit).first()
            if c is None:
                raise NotFound()
            commendations.commendation_revoke(
                actor=request.user, commendation=c, reason=p.get("reason", "")[:500]
            )
            messages.success(request, _("The commendation and its certificate are revoked."))
        elif "reject" in p:
            c = Commendation.objects.filter(pk=_int(p.get("reject")), deciding_unit=unit).first()
            if c is None:
                raise NotFound()
            commendations.commendation_reject(
                actor=request.user, commendation=c, reason=p.get("reason", "")[:500]
            )
            messages.success(request, _("The proposal was not accepted."))
        else:
            n = commendations.commendations_approve(
                actor=request.user,
                deciding_unit=unit,
                ids=[_int(x) for x in p.getlist("commendation")],
                number=p.get("number", "")[:60],
                date=dt.date.fromisoformat(p.get("date", "")),
                signer=p.get("signer", "")[:200],
                signer_title=p.get("signer_title", "")[:200],
            )
            messages.success(request, _("%(n)s commendation(s) decided.") % {"n": n})
    except ValueError:
        messages.error(request, _("Give the decision's date."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("recognition:unit", unit_id=unit.pk)

"""Emulation movements and their fair standings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id, can, scope_q
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from ..access import access_movement
from ..models import (
    CriteriaSet,
    SubjectType,
)

# --- emulation ------------------------------------------------------------------------------


@login_required
def movement_new(request, unit_id):
    from .. import emulation

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

    from .. import emulation
    from ..models import Movement, Participation

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
                from ..tasks import movement_compute_task

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

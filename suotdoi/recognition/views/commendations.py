"""Commendations proposed up the tree and decided in bulk."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError, NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import access_unit_by_id
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from ._common import _year

# --- commendations --------------------------------------------------------------------------


@login_required
@require_POST
def commendation_propose(request, unit_id):
    from suotdoi.organisations.models import Unit
    from suotdoi.people.models import Person

    from .. import commendations

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
    from .. import commendations
    from ..models import Commendation

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
            messages.success(
                request,
                ngettext("%(n)s commendation decided.", "%(n)s commendations decided.", n)
                % {"n": n},
            )
    except ValueError:
        messages.error(request, _("Give the decision's date."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("recognition:unit", unit_id=unit.pk)

"""Checking in a member for them (assisted use)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import NotFound
from suotdoi.organisations.access import access_membership_by_id
from suotdoi.records.assist import assisting_unit
from suotdoi.web.flows import action_errors

from .. import actions


@login_required
@require_POST
def check_in_for(request, membership_id, session_id):
    m = access_membership_by_id(request.user, membership_id)
    if assisting_unit(request.user, m.person) is None:
        raise NotFound()  # no consent: as if the page did not exist
    with action_errors(request) as outcome:
        session, _created = actions.check_in_for(
            actor=request.user, session_id=session_id, person=m.person
        )
    if outcome.ok:
        messages.success(
            request,
            _("%(name)s is checked in to “%(session)s”, marked as done by you.")
            % {"name": m.person.full_name, "session": session.title},
        )
    return redirect("records:assist", membership_id=m.pk)

"""The recognition part of the assisted-use page: the member's self-assessments, which an
officer they consented to be helped by may register, fill and submit for them (#18.3)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from suotdoi.records.assist import assisting_unit
from suotdoi.records.panels import register_assist_panel

from .models import Assessment
from .selectors import person_sets_for_year


def _panel(*, request, membership):
    actor = request.user
    person = membership.person
    if assisting_unit(actor, person) is None:
        return None
    year = timezone.localdate().year
    assessments = list(
        Assessment.objects.filter(person=person, year__gte=year - 1)
        .select_related("criteria_set")
        .order_by("-year", "criteria_set__title")
    )
    taken = {(a.criteria_set.code, a.year) for a in assessments}
    sets = [s for s in person_sets_for_year(year) if (s.code, year) not in taken]
    return render_to_string(
        "recognition/_assist_panel.html",
        {"m": membership, "assessments": assessments, "sets": sets, "year": year},
        request=request,
    )


register_assist_panel(_panel)

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, register_nav, register_todos


def _nav(person):
    return [NavItem(label=_("Titles"), url_name="recognition:mine", order=9)]


def _todos(person):
    """Self-assessments to fill in or correct, due when the round that applies says."""
    from django.urls import reverse

    from suotdoi.web.home import Todo

    from .models import Assessment, Status
    from .selectors import round_for

    items = []
    for a in (
        Assessment.objects.filter(person=person, status__in=[Status.REGISTERED, Status.RETURNED])
        .select_related("criteria_set")
        .order_by("-year")[:5]
    ):
        r = round_for(a)
        when = None if r is None else (r.review_by if a.status == Status.RETURNED else r.submit_by)
        items.append(
            Todo(
                kind=str(_("Self-assessment")),
                title=f"{a.criteria_set.title} {a.year}",
                url=reverse("recognition:assessment", args=[a.pk]),
                when=when,
                due=when is not None,
                detail=str(
                    _("Returned for correction: %(reason)s") % {"reason": a.return_reason}
                    if a.status == Status.RETURNED
                    else _("Fill it in and submit it")
                ),
            )
        )
    return items


register_nav(_nav)
register_todos(_todos)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.VIEW):
        return None
    return render_to_string("recognition/_unit_panel.html", {"unit": unit})


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)


def _record_panel(*, person):
    from django.template.loader import render_to_string

    from .models import Commendation, Holding

    holdings = list(
        Holding.objects.filter(person=person, decision__revoked_at__isnull=True)
        .select_related("decision__criteria_set", "decision__unit")
        .order_by("-year")[:20]
    )
    commendations = list(
        Commendation.objects.filter(person=person, status=Commendation.APPROVED)
        .select_related("deciding_unit")
        .order_by("-decision_date")[:20]
    )
    if not holdings and not commendations:
        return None
    return render_to_string(
        "recognition/_record_panel.html", {"holdings": holdings, "commendations": commendations}
    )


from suotdoi.records.panels import register_record_panel  # noqa: E402

register_record_panel(_record_panel)

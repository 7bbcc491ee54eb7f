from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.access import grants_for
from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps


def _steps(person):
    if person.is_superuser or any(g.role != "member" for g in grants_for(person)):
        return [
            NextStep(
                title=_("Study campaigns"),
                description=_("Tasks for your units, sessions, attendance and reports."),
                url_name="campaigns:list",
                order=12,
            )
        ]
    return []


def _nav(person):
    if person.is_superuser or any(g.role != "member" for g in grants_for(person)):
        return [NavItem(label=_("Campaigns"), url_name="campaigns:list", order=8)]
    return [NavItem(label=_("Campaigns"), url_name="campaigns:mine", order=8)]


register_next_steps(_steps)
register_nav(_nav)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    from .models import Task

    if not can(actor, unit, Capability.VIEW_MEMBERS):
        return None
    from .models import Campaign

    tasks = Task.objects.filter(unit=unit, campaign__status="launched").select_related("campaign")
    # The campaigns the unit itself launched come first: for a federation they are the point.
    issued = Campaign.objects.filter(issuer=unit).exclude(status="closed").order_by("-starts_on")
    return render_to_string(
        "campaigns/_unit_panel.html",
        {
            "unit": unit,
            "issued": issued[:10],
            "tasks": tasks[:10],
            "may_issue": can(actor, unit, Capability.MANAGE_MEMBERS),
        },
    )


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)

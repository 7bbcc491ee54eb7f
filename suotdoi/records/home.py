from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.access import grants_for
from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps
from suotdoi.web.panels import register_unit_panel


def _steps(person):
    steps = [
        NextStep(
            title=_("Log your learning"),
            description=_("A book, a course elsewhere, a museum visit — in a minute."),
            url_name="records:declare",
            order=5,
        ),
        NextStep(
            title=_("Your learning record"),
            description=_("Everything you learned, verified or not, and your goal."),
            url_name="records:mine",
            order=6,
        ),
    ]
    if person.is_superuser or any(g.role != "member" for g in grants_for(person)):
        steps.append(
            NextStep(
                title=_("Learning to verify"),
                description=_("Members' self-declared learning waiting for you."),
                url_name="records:verify_queue",
                order=15,
            )
        )
    return steps


def _nav(person):
    return [NavItem(label=_("My record"), url_name="records:mine", order=5)]


register_next_steps(_steps)
register_nav(_nav)


def _unit_panel(*, unit, actor, member_total):
    """This year's learning in the unit's subtree: sums of pre-aggregated unit rows."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from .selectors import unit_year_hours

    year = timezone.localdate().year
    fig = unit_year_hours(unit=unit, year=year)
    per_member = (fig["hours"] / member_total) if member_total else 0
    return render_to_string(
        "records/_unit_panel.html",
        {
            "fig": fig,
            "year": year,
            "per_member": per_member,
            "unit": unit,
        },
    )


register_unit_panel(_unit_panel)

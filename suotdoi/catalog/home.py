from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps


def _nav(person):
    return [NavItem(label=_("Courses"), url_name="catalog:home", order=3)]


def _steps(person):
    return [
        NextStep(
            title=_("Find a course"),
            description=_("Courses and open resources from unions, learning centres and more."),
            url_name="catalog:home",
            order=5,
        )
    ]


register_nav(_nav)
register_next_steps(_steps)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        return None
    from .models import Provider

    provider = Provider.objects.filter(unit=unit).first()
    return render_to_string("catalog/_unit_panel.html", {"unit": unit, "provider": provider})


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)

"""What the home page and the menu offer people with roles in units."""

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps

from .access import grants_for


def _steps(person):
    steps = []
    if person.is_superuser or grants_for(person):
        steps.append(
            NextStep(
                title=_("Your units"),
                description=_("See the units you manage, their members and the units below them."),
                url_name="organisations:my_units",
                order=10,
            )
        )
    steps.append(
        NextStep(
            title=_("Where you belong"),
            description=_("The unions, associations, communes and families you are a member of."),
            url_name="organisations:my_memberships",
            order=20,
        )
    )
    return steps


register_next_steps(_steps)


def _nav(person):
    if person.is_superuser or grants_for(person):
        return [NavItem(label=_("Units"), url_name="organisations:my_units", order=10)]
    return []


register_nav(_nav)

"""Where contests show: a next step for everyone, a panel for the units that organise them."""

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NextStep, register_next_steps


def _steps(person):
    return [
        NextStep(
            title=_("Online contests"),
            description=_("Knowledge contests of your union, agency or commune."),
            url_name="contests:list",
            order=8,
        )
    ]


register_next_steps(_steps)


def unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_UNITS):
        return None
    return render_to_string("contests/_unit_panel.html", {"unit": unit})

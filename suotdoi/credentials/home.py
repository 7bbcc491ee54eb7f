from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps
from suotdoi.web.panels import register_unit_panel


def _steps(person):
    return [
        NextStep(
            title=_("My credentials"),
            description=_("Certificates you earned: download, print or share them."),
            url_name="credentials:mine",
            order=7,
        )
    ]


def _nav(person):
    return [NavItem(label=_("Credentials"), url_name="credentials:mine", order=6)]


register_next_steps(_steps)
register_nav(_nav)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.ISSUE_CREDENTIALS):
        return None
    from .models import Credential, Issuer

    issuer = Issuer.objects.filter(unit=unit).first()
    issued = Credential.objects.filter(achievement__issuer=issuer).count() if issuer else 0
    return render_to_string(
        "credentials/_unit_panel.html", {"unit": unit, "issuer": issuer, "issued": issued}
    )


register_unit_panel(_unit_panel)

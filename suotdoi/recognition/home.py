from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, register_nav


def _nav(person):
    return [NavItem(label=_("Titles"), url_name="recognition:mine", order=9)]


register_nav(_nav)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.VIEW):
        return None
    return render_to_string("recognition/_unit_panel.html", {"unit": unit})


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)

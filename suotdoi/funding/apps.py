from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "suotdoi.funding"
    label = "funding"
    verbose_name = _("Learning accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.web.panels import register_unit_panel

        register_unit_panel(_unit_panel)
        from . import assist_panel  # noqa: F401 - registers the assisted-use section


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        return None
    return render_to_string("funding/_unit_panel.html", {"unit": unit})

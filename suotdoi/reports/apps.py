from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "suotdoi.reports"
    label = "reports"
    verbose_name = _("Periodic reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy
        from suotdoi.web.panels import register_unit_panel

        from . import home
        from .models import Period, Report, UnitYear

        register_path_copy(Period, "unit_path", meaning=CURRENT, note="periods a level opened")
        register_path_copy(Report, "unit_path", meaning=CURRENT, note="a unit's reports")
        register_path_copy(UnitYear, "unit_path", meaning=CURRENT, note="dashboards")
        register_unit_panel(home.unit_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "suotdoi.contests"
    label = "contests"
    verbose_name = _("Online contests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy
        from suotdoi.web.panels import register_unit_panel

        from . import home
        from .models import Contest, Sitting

        register_unit_panel(home.unit_panel)
        register_path_copy(
            Contest, "unit_path", meaning=CURRENT, unit_field="unit",
            note="the organising unit: who may take part",
        )  # fmt: skip
        register_path_copy(
            Sitting, "unit_path", meaning=CURRENT,
            note="the contestant's home unit when she started: units' participation rates",
        )  # fmt: skip

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "suotdoi.contests"
    label = "contests"
    verbose_name = _("Online contests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.web.panels import register_unit_panel

        from . import home

        register_unit_panel(home.unit_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "suotdoi.credits"
    label = "credits"
    verbose_name = _("Credits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.web.panels import register_unit_panel

        from . import home, receivers  # noqa: F401 - the home page; credit for completions

        register_unit_panel(home.unit_panel)

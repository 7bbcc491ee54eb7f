from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "suotdoi.stories"
    label = "stories"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy
        from suotdoi.web.panels import register_unit_panel

        from . import home
        from .models import Story

        register_path_copy(Story, "unit_path", meaning=CURRENT, note="a unit's stories")
        register_path_copy(Story, "featured_path", meaning=CURRENT, note="featured by a unit")
        register_unit_panel(home.unit_panel)

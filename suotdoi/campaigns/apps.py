from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "suotdoi.campaigns"
    label = "campaigns"
    verbose_name = _("Study campaigns")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Task

        register_path_copy(
            Task, "unit_path", meaning=CURRENT, note="dashboards, roll-ups", unit_field="unit"
        )
        from . import assist_panel, home, receivers  # noqa: F401 - panels; new units join

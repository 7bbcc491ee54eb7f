from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LrsConfig(AppConfig):
    name = "suotdoi.records.lrs"
    label = "lrs"
    verbose_name = _("Learning Record Store (xAPI)")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Statement

        register_path_copy(
            Statement,
            "unit_path",
            meaning=CURRENT,
            note="officers' LRS reads",
            unit_field="client__unit",
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "suotdoi.records"
    label = "records"
    verbose_name = _("Learning record")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import LearningEntry, UnitFigure

        register_path_copy(
            LearningEntry,
            "unit_path",
            meaning=CURRENT,
            note="verification queues, scopes",
            unit_field="unit",
        )
        register_path_copy(
            UnitFigure,
            "unit_path",
            meaning=CURRENT,
            note="roll-ups of a unit's monthly figures",
            unit_field="unit",
        )
        from suotdoi.organisations.paths import register_merge_hook

        from .actions import entries_follow_merge

        register_merge_hook(entries_follow_merge)
        from . import (
            consent_sources,
            home,  # noqa: F401 - registers next steps and navigation
        )

        consent_sources.register()

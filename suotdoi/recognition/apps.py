from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "suotdoi.recognition"
    label = "recognition"
    verbose_name = _("Recognition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Assessment, Commendation, Movement, Round

        for model, field, note, unit_field in [
            (Assessment, "unit_path", "review queues, shares", "unit"),
            (Round, "unit_path", "calendars for a subtree", "unit"),
            (Movement, "unit_path", "emulation movements of a subtree", "unit"),
            (Commendation, "deciding_path", "proposals for the deciding level", "deciding_unit"),
        ]:
            register_path_copy(model, field, meaning=CURRENT, note=note, unit_field=unit_field)
        from . import assist_panel, consent_sources, home  # noqa: F401 - navigation, unit and assist panels

        consent_sources.register()

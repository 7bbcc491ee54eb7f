from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "suotdoi.recognition"
    label = "recognition"
    verbose_name = _("Recognition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import home  # noqa: F401 - navigation and unit panel

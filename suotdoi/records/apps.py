from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "suotdoi.records"
    label = "records"
    verbose_name = _("Learning record")

    def ready(self) -> None:
        from . import home  # noqa: F401 - registers next steps and navigation

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "suotdoi.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import SearchDoc

        register_path_copy(
            SearchDoc, "audience_path", meaning=CURRENT, note="members-only courses' audience"
        )
        from . import home  # noqa: F401 - registers the navigation entry

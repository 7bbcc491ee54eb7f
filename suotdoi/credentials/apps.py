from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "suotdoi.credentials"
    label = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Credential

        register_path_copy(
            Credential,
            "unit_path",
            meaning=CURRENT,
            note="issuers' lists",
            unit_field="achievement__issuer__unit",
        )
        from . import home, receivers  # noqa: F401 - registers navigation and the record hooks

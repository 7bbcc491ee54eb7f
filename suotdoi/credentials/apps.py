from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "suotdoi.credentials"
    label = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from . import home, receivers  # noqa: F401 - registers navigation and the record hooks

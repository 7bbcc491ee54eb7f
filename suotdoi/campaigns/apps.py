from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "suotdoi.campaigns"
    label = "campaigns"
    verbose_name = _("Study campaigns")

    def ready(self) -> None:
        from . import home, receivers  # noqa: F401 - next steps; new units join campaigns

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "suotdoi.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from suotdoi.audit.models import AuditEvent

        from .models import Membership
        from .paths import CURRENT, register_path_copy

        register_path_copy(
            Membership, "unit_path", meaning=CURRENT, note="member lists, grants", unit_field="unit"
        )
        register_path_copy(
            AuditEvent, "unit_path", meaning=CURRENT, note="audit views of a subtree"
        )
        from . import home  # noqa: F401 - registers next steps and navigation

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
        from suotdoi.people.erasure import register_erasure_step

        from . import home  # noqa: F401 - registers next steps and navigation

        register_erasure_step(_erase_member_names)


def _erase_member_names(person, actor) -> None:
    """Member lists sort by a copy of the name: it takes the erased name too."""
    from suotdoi.core.text import name_sort_key
    from suotdoi.people.erasure import erased_name

    from .models import Membership

    Membership.objects.filter(person=person).update(
        person_name_sort=name_sort_key(erased_name(person))
    )

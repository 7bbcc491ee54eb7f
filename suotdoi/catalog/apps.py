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
        from suotdoi.records.lrs.records_bridge import register_trust_source

        from . import home  # noqa: F401 - registers the navigation entry

        register_trust_source(enrolled_below)


def enrolled_below(unit, person_ids: set[int]) -> set[int]:
    """Learners enrolled in (or done with) courses of providers in the unit's subtree: an LRS
    client of that unit reports on them as their teacher."""
    from .models import Enrolment

    return set(
        Enrolment.objects.filter(
            person_id__in=person_ids,
            course__provider__unit__path__startswith=unit.path,
            status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED],
        ).values_list("person_id", flat=True)
    )

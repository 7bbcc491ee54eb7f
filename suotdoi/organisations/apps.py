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
        from suotdoi.core.retention import register_retention

        register_retention("member list files (90 days)", _expire_import_files)


def _erase_member_names(person, actor) -> None:
    """Member lists sort by a copy of the name: it takes the erased name too."""
    from suotdoi.core.text import name_sort_key
    from suotdoi.people.erasure import erased_name

    from .models import Membership

    Membership.objects.filter(person=person).update(
        person_name_sort=name_sort_key(erased_name(person))
    )


IMPORT_FILE_DAYS = 90


def _expire_import_files() -> int:
    """Uploaded member lists and their row files go 90 days after the import; the import's
    counts stay, its row errors (which quote the rows) go with them."""
    import datetime as dt

    from django.utils import timezone

    from .models import MemberImport

    cutoff = timezone.now() - dt.timedelta(days=IMPORT_FILE_DAYS)
    n = 0
    for imp in MemberImport.objects.filter(updated_at__lt=cutoff).exclude(file="", rows_file=""):
        for f in (imp.file, imp.rows_file):
            if f:
                f.storage.delete(f.name)
        MemberImport.objects.filter(pk=imp.pk).update(file="", rows_file="", row_errors=[])
        n += 1
    return n

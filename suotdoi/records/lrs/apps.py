from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LrsConfig(AppConfig):
    name = "suotdoi.records.lrs"
    label = "lrs"
    verbose_name = _("Learning Record Store (xAPI)")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Statement

        register_path_copy(
            Statement,
            "unit_path",
            meaning=CURRENT,
            note="officers' LRS reads",
            unit_field="client__unit",
        )
        from django.db.models.signals import post_delete, post_save

        from suotdoi.records.panels import register_record_panel

        from .attempts import forget_unit_types
        from .models import LearningUnitType

        post_save.connect(forget_unit_types, sender=LearningUnitType)
        post_delete.connect(forget_unit_types, sender=LearningUnitType)

        register_record_panel(_tools_panel)


def _tools_panel(*, person):
    """On the learner's record: tools' reports waiting for them, and where links live."""
    from django.template.loader import render_to_string

    from suotdoi.records.models import EntryStatus, LearningEntry

    waiting = LearningEntry.objects.filter(person=person, status=EntryStatus.REPORTED).count()
    return render_to_string("lrs/_record_panel.html", {"waiting": waiting})

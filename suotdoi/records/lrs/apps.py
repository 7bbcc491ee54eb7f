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
        from suotdoi.people.mydata import register_personal_data

        register_personal_data("xapi_statements", _statements_about)
        from suotdoi.people.erasure import register_erasure_step

        register_erasure_step(_forget_statements)
        from suotdoi.core.retention import register_retention

        register_retention("spent or expired link codes", _expire_link_codes)


def _tools_panel(*, person):
    """On the learner's record: tools' reports waiting for them, and where links live."""
    from django.template.loader import render_to_string

    from suotdoi.records.models import EntryStatus, LearningEntry

    waiting = LearningEntry.objects.filter(person=person, status=EntryStatus.REPORTED).count()
    return render_to_string("lrs/_record_panel.html", {"waiting": waiting})


def _actor_keys(person) -> set[str]:
    """How statements name the person: email, its SHA-1, their learner id here, linked
    accounts of tools."""
    from django.conf import settings

    from .models import LearnerLink

    home = settings.PUBLIC_URL.rstrip("/")
    keys = {f"account:{home}|{person.public_id}", f"account:{home}/|{person.public_id}"}
    if person.email:
        keys.add("mbox:mailto:" + person.email.lower())
    if person.email_sha1:
        keys.add("sha1:" + person.email_sha1)
    for link in LearnerLink.objects.filter(person=person):
        keys.add(f"account:{link.home_page}|{link.account_name}")
    return keys


def _statements_about(person) -> list:
    """The xAPI statements whose actor is the person, exactly as stored."""
    from .models import Statement

    rows = Statement.objects.filter(actor_key__in=_actor_keys(person)).order_by("seq")[:20000]
    return [r.data for r in rows]


def _forget_statements(person, actor) -> None:
    """The LRS forgets the statements naming an erased person, and their tool links end."""
    from django.utils import timezone

    from .models import LearnerLink, Statement

    Statement.objects.filter(actor_key__in=_actor_keys(person)).delete()
    LearnerLink.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _expire_link_codes() -> int:
    from django.utils import timezone

    from .models import LinkRequest

    n, _ = LinkRequest.objects.filter(expires_at__lt=timezone.now()).delete()
    return n

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "suotdoi.packages"
    label = "packages"
    verbose_name = _("E-learning packages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suotdoi.people.erasure import register_erasure_step
        from suotdoi.people.mydata import register_personal_data
        from suotdoi.records.lrs.auth import register_token_resolver

        from . import hosts  # noqa: F401 - its deploy check
        from .cmi5 import TOKEN_PREFIX, client_for_token

        register_token_resolver(TOKEN_PREFIX, client_for_token)
        register_personal_data("elearning_packages", _attempts_of)
        register_erasure_step(_forget)
        from suotdoi.core.retention import register_retention

        register_retention("expired e-learning launches", _expired_launches)


def _expired_launches() -> int:
    """Launch tokens end after 12 hours; their rows go a day later (attempts stay)."""
    import datetime as dt

    from django.utils import timezone

    from .models import Launch

    return Launch.objects.filter(expires_at__lt=timezone.now() - dt.timedelta(days=1)).delete()[0]


def _attempts_of(person) -> list:
    from .models import Attempt

    return [
        {
            "package": a.package.title,
            "attempt": a.number,
            "status": a.status,
            "score": a.score,
            "seconds": a.seconds,
            "started_at": a.started_at.isoformat(),
            "ended_at": a.ended_at.isoformat() if a.ended_at else None,
            "items": [
                {
                    "item": s.ident,
                    "completion": s.completion,
                    "success": s.success,
                    "location": s.location,
                    "data": s.cmi,
                }
                for s in a.states.all()
            ],
        }
        for a in Attempt.objects.filter(person=person)
        .select_related("package")
        .prefetch_related("states")
    ]


def _forget(person, actor) -> None:
    """What the content tracked about the person (their answers, suspend data) goes; the
    attempts' figures stay for the provider's counts, without the person's data."""
    from .actions import forget_launches
    from .models import ItemState, Launch

    launches = Launch.objects.filter(attempt__person=person)
    forget_launches(list(launches.values_list("token_hash", flat=True)))
    launches.delete()
    ItemState.objects.filter(attempt__person=person).update(cmi={}, location="")

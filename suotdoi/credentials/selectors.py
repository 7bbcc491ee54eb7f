from __future__ import annotations

from django.db.models import Exists, OuterRef

from .models import Achievement, Credential


def credentials_of(*, person):
    return (
        Credential.objects.filter(person=person)
        .select_related("achievement__issuer")
        .only(
            "uid",
            "issued_at",
            "revoked_at",
            "share_token",
            "person_id",
            "achievement__name",
            "achievement__kind",
            "achievement__hours",
            "achievement__issuer__name",
        )
    )


def credentials_issued_by(*, unit):
    return (
        Credential.objects.filter(achievement__issuer__unit=unit)
        .select_related("achievement", "person")
        .only(
            "uid",
            "issued_at",
            "revoked_at",
            "revoke_reason",
            "achievement__name",
            "person__full_name",
            "person__phone",
        )
    )


def entries_awaiting_credential(*, unit, limit: int | None = 50):
    """Verified entries at the unit that have no credential yet (all of them: limit=None)."""
    from suotdoi.records.models import LearningEntry

    qs = (
        LearningEntry.objects.filter(unit=unit, status="verified")
        .exclude(Exists(Credential.objects.filter(entry=OuterRef("pk"))))
        .select_related("person")
        .order_by("-start_date", "-id")
    )
    return qs[:limit] if limit is not None else qs


def count_awaiting_credential(*, unit) -> int:
    return entries_awaiting_credential(unit=unit, limit=None).count()


def endorsable_achievements(*, unit, endorser):
    """Achievements of units strictly below `unit`, each with whether `endorser` endorsed it."""
    from .models import Endorsement

    return (
        Achievement.objects.filter(issuer__unit__path__startswith=unit.path)
        .exclude(issuer__unit=unit)
        .select_related("issuer")
        .annotate(
            endorsed=Exists(
                Endorsement.objects.filter(
                    achievement=OuterRef("pk"), endorser=endorser, withdrawn_at__isnull=True
                )
            )
        )
        .order_by("issuer__name", "name")
    )

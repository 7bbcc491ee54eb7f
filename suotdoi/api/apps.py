from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "suotdoi.api"
    label = "api"

    def ready(self) -> None:
        from suotdoi.audit.actions import register_audit_listener
        from suotdoi.core.retention import register_retention

        from .webhooks import on_audit

        register_audit_listener(on_audit)
        from suotdoi.people.erasure import register_erasure_step
        from suotdoi.web.panels import register_unit_panel

        register_unit_panel(_unit_panel)
        register_erasure_step(_revoke_on_erasure)
        register_retention("API idempotency records (24 hours)", _expire_idempotency)
        register_retention("expired API access tokens", _expire_access_tokens)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        return None
    return render_to_string("api/_unit_panel.html", {"unit": unit})


def _revoke_on_erasure(person, actor) -> None:
    """An erased person's tokens stop working."""
    from django.utils import timezone

    from .models import ApiAccessToken, ApiToken

    ApiAccessToken.objects.filter(client__owner=person).delete()
    ApiToken.objects.filter(owner=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _expire_idempotency() -> int:
    import datetime as dt

    from django.utils import timezone

    from .models import IdempotentRequest

    cutoff = timezone.now() - dt.timedelta(hours=24)
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]


def _expire_access_tokens() -> int:
    from django.utils import timezone

    from .models import ApiAccessToken

    return ApiAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()[0]

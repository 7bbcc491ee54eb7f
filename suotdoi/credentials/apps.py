from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "suotdoi.credentials"
    label = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from suotdoi.organisations.paths import CURRENT, register_path_copy

        from .models import Credential

        register_path_copy(
            Credential,
            "unit_path",
            meaning=CURRENT,
            note="issuers' lists",
            unit_field="achievement__issuer__unit",
        )
        from suotdoi.people.erasure import register_erasure_step

        from . import home, receivers  # noqa: F401 - registers navigation and the record hooks

        register_erasure_step(_revoke_on_erasure)
        from . import consent_sources

        consent_sources.register()


def _revoke_on_erasure(person, actor) -> None:
    """An erased person's credentials are revoked: they keep verifying, as revoked."""
    from .actions import credential_revoke
    from .models import Credential

    for c in Credential.objects.filter(person=person, revoked_at__isnull=True):
        credential_revoke(actor=actor, credential=c, reason="erased at the holder's request")

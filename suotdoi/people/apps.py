from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "suotdoi.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from allauth.socialaccount import signals

        from .oidc import audit_signin_added, audit_signin_removed

        signals.social_account_added.connect(audit_signin_added, dispatch_uid="people.link")
        signals.social_account_removed.connect(audit_signin_removed, dispatch_uid="people.unlink")

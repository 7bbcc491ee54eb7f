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
        from .consents import ConsentItem, register_consent_source

        def _signins(*, person):
            from allauth.socialaccount.models import SocialAccount
            from django.urls import reverse

            return [
                ConsentItem(
                    a.pk, a.get_provider().name, a.date_joined, reverse("socialaccount_connections")
                )
                for a in SocialAccount.objects.filter(user=person)
            ]

        register_consent_source(
            "signin_link",
            purpose=_("Signing in through VNeID or another identity service"),
            items=_signins,
            how_to_give=_("Link it from your profile, or sign in with it."),
        )

from django.shortcuts import redirect
from django.urls import reverse

from .access import grants_for
from .policies import ROLES_REQUIRING_MFA

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/media/")


def needs_two_factor(person) -> bool:
    if not person.is_authenticated:
        return False
    if person.is_superuser:
        return True
    return any(g.role in ROLES_REQUIRING_MFA for g in grants_for(person))


def has_two_factor(person) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()


class OfficerTwoFactorMiddleware:
    """Officers, unit admins and evaluators must turn on two-factor sign-in before working."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.session.get("suotdoi_mfa_ok")
        ) and needs_two_factor(user):
            if not has_two_factor(user):
                if request.path.startswith("/api/"):
                    from suotdoi.core.problems import problem

                    return problem(
                        403,
                        "two_factor_required",
                        "Two-factor authentication is required for officers.",
                    )
                return redirect(reverse("mfa_activate_totp") + "?required=1")
            request.session["suotdoi_mfa_ok"] = True
        return self.get_response(request)

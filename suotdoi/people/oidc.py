"""Sign-in through OpenID Connect providers (VNeID, a province's identity server…).

allauth's OpenID Connect provider does the protocol; what we add:
- a `nonce` in every authorisation request, kept with the request's state and checked against
  the ID token that comes back (allauth sends none), on top of allauth's state and PKCE;
- the rule for a first sign-in: it joins an existing person only through a CCCD claim or a phone
  number the provider says it verified, never through a name or an email;
- data minimisation: the claims kept with a linked sign-in are its subject and name only (the
  CCCD lives encrypted on the person, nowhere else).
"""

from __future__ import annotations

import secrets

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from suotdoi.audit.actions import audit_log
from suotdoi.core.vn import normalise_cccd, normalise_phone

from .models import Person


class NationalOIDCProvider(OpenIDConnectProvider):
    """allauth's provider with a nonce; URLs stay allauth's."""

    package = "allauth.socialaccount.providers.openid_connect"

    def get_default_scope(self):
        return ["openid", "profile", "phone"]

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(24)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        kwargs["auth_params"] = {**auth_params, "nonce": nonce}
        return super().redirect(request, process, next_url, data, nonce=nonce, **kwargs)

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        claims = _claims(data)
        fields["phone"] = claims.get("phone_number")
        fields["phone_verified"] = claims.get("phone_number_verified") is True
        return fields


def _claims(data: dict) -> dict:
    """Userinfo and ID token claims together (userinfo wins where both say something)."""
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def _claimed_cccd(provider, claims: dict) -> str | None:
    name = provider.app.settings.get("cccd_claim") or "cccd"
    raw = claims.get(name)
    if not raw:
        return None
    try:
        return normalise_cccd(str(raw))
    except ValidationError:
        return None


def _verified_phone(claims: dict) -> str | None:
    if claims.get("phone_number_verified") is not True or not claims.get("phone_number"):
        return None
    try:
        return normalise_phone(str(claims["phone_number"]))
    except ValidationError:
        return None


def match_person(provider, claims: dict) -> tuple[Person | None, str]:
    """The existing person a first sign-in belongs to: by CCCD, else by a verified phone.
    A person whose recorded CCCD differs from the claimed one is never matched by phone."""
    from .selectors import person_find_by_identity

    cccd = _claimed_cccd(provider, claims)
    if cccd:
        person = person_find_by_identity(national_id=cccd)
        if person is not None:
            return (person, "cccd") if person.is_active else (None, "")
    phone = _verified_phone(claims)
    if phone:
        person = Person.objects.filter(phone=phone, is_active=True).first()
        if person is not None and (not person.national_id or not cccd):
            return person, "phone"
    return None, ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        account = sociallogin.account
        data = account.extra_data or {}
        expected = (sociallogin.state or {}).get("nonce")
        got = (data.get("id_token") or {}).get("nonce")
        if not expected or not got or not secrets.compare_digest(str(expected), str(got)):
            # PermissionDenied makes allauth show its sign-in error page; nothing is stored.
            raise PermissionDenied("nonce")
        provider = sociallogin.provider
        claims = _claims(data)
        cccd = _claimed_cccd(provider, claims)
        account.extra_data = {
            "userinfo": {k: claims[k] for k in ("sub", "name") if k in claims},
        }
        if not _verified_phone(claims):
            # An unverified number is not taken over, nor used to sign anyone in.
            sociallogin.phone, sociallogin.phone_verified = None, False
        if sociallogin.is_existing:
            return
        user = request.user
        if sociallogin.state.get("process") == "connect" and user.is_authenticated:
            if cccd and user.national_id and user.national_id != cccd:
                raise PermissionDenied("cccd")
            sociallogin.phone = None  # connecting never changes the person's number
            return
        person, how = match_person(provider, claims)
        if person is None:
            sociallogin.user.national_id = cccd
            return
        with transaction.atomic():
            sociallogin.matched_by = how
            if sociallogin.phone and sociallogin.phone != person.phone:
                sociallogin.phone = None
            if cccd and not person.national_id:
                person.national_id = cccd
                person.save(update_fields=["national_id_cipher", "national_id_hash"])
            sociallogin.connect(request, person)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.full_name = (data.get("name") or "").strip()[:150]
        user.language = getattr(request, "LANGUAGE_CODE", "vi") or "vi"
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if form is None:
            audit_log(actor=user, verb="person.sign_up", target=user)
        return user


def audit_signin_added(sender, request, sociallogin, **kwargs):
    person = sociallogin.user
    data = {"provider": sociallogin.account.provider}
    if getattr(sociallogin, "matched_by", ""):
        data["by"] = sociallogin.matched_by
    audit_log(actor=person, verb="person.link_signin", target=person, data=data)


def audit_signin_removed(sender, request, socialaccount, **kwargs):
    person = socialaccount.user
    audit_log(
        actor=person,
        verb="person.unlink_signin",
        target=person,
        data={"provider": socialaccount.provider},
    )

"""Glue between django-allauth and our Person model: phone numbers live on the person."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from suotdoi.audit.actions import audit_log
from suotdoi.core.vn import normalise_phone

from .fields import VietnamPhoneField
from .models import Person


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self):
        return [
            "suotdoi.people.stages.SignupPhoneVerificationStage"
            if s == "allauth.account.stages.PhoneVerificationStage"
            else s
            for s in super().get_login_stages()
        ]

    def phone_form_field(self, **kwargs):
        return VietnamPhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        changed = user.phone != phone
        user.phone = phone
        user.phone_verified = bool(verified)
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])
            if changed:
                audit_log(actor=user, verb="person.change_phone", target=user)

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone):
        """A code sent to `phone` came back. For a change of number (allauth's phone change),
        this is the moment the new number replaces the old one, verified."""
        if user.phone != phone:
            if Person.objects.filter(phone=phone).exclude(pk=user.pk).exists():
                return  # taken meanwhile by someone else: the old number stays
            user.phone, user.phone_verified = phone, True
            user.save(update_fields=["phone", "phone_verified"])
            audit_log(actor=user, verb="person.change_phone", target=user)
        elif not user.phone_verified:
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])
            audit_log(actor=user, verb="person.verify_phone", target=user)

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        """The code goes by SMS in the person's language; it is never logged."""
        from django.utils import translation
        from django.utils.translation import gettext

        from suotdoi.core.sms import send_sms

        with translation.override(getattr(user, "language", "") or "vi"):
            text = gettext("Suốt Đời code: %(code)s. Do not give it to anyone.") % {"code": code}
        send_sms(phone, text)

    def send_unknown_account_sms(self, phone, **kwargs):
        """Nothing is sent to a number with no account: no SMS cost, and the page says the
        same thing whether the number is known or not."""

    def send_account_already_exists_sms(self, phone, **kwargs):
        """Sign-up says plainly that a number is taken; no SMS is needed for that."""

    def get_user_by_phone(self, phone):
        # The login form hands over what the person typed ("0912 345 678"); normalise first.
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            return None
        return Person.objects.filter(phone=phone, is_active=True).first()

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """One failed-sign-in bucket per account. allauth keys on the email or username only,
        so every phone sign-in shared one bucket: five wrong passwords for one phone locked out
        every phone. The phone is normalised first, so "0912 345 678" and "+84912345678" are
        one account."""
        phone = credentials.get("phone")
        if phone:
            try:
                return f"phone:{normalise_phone(phone)}"
            except ValidationError:
                return f"phone?:{str(phone).strip()[:40]}"
        email = credentials.get("email") or credentials.get("username") or ""
        return f"email:{str(email).strip().lower()[:254]}"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        extra = form.cleaned_data
        user.full_name = extra.get("full_name", user.full_name)
        user.date_of_birth = extra.get("date_of_birth")
        user.gender = extra.get("gender") or ""
        user.national_id = extra.get("national_id") or None
        user.language = getattr(request, "LANGUAGE_CODE", "vi") or "vi"
        if commit:
            try:
                user.save()
            except IntegrityError:
                raise
            audit_log(actor=user, verb="person.sign_up", target=user)
        return user

    def is_open_for_signup(self, request):
        return True

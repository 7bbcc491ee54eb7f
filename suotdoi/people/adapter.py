"""Glue between django-allauth and our Person model: phone numbers live on the person."""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from suotdoi.audit.actions import audit_log
from suotdoi.core.vn import normalise_phone

from .fields import VietnamPhoneField
from .models import Person

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs):
        return VietnamPhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        user.phone = phone
        if user.pk:
            user.save(update_fields=["phone"])

    def get_phone(self, user):
        return (user.phone, True) if user.phone else None

    def set_phone_verified(self, user, phone):
        """Phone verification by SMS is not switched on; numbers are checked by officers."""

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

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        # No SMS gateway is configured; log so an operator can see that one was asked for.
        log.warning("SMS verification requested for %s but no SMS gateway is configured", phone)

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

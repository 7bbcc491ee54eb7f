"""Form fields for Vietnamese identity data."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suotdoi.core.vn import normalise_cccd, normalise_phone


class VietnamPhoneField(forms.CharField):
    """Accepts 09x…, +84 9x…, with spaces or dots; cleans to E.164 (+849…)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": "0912 345 678",
                }
            ),
        )
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return normalise_phone(value)


class CCCDField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Citizen ID (CCCD)"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return normalise_cccd(value)


class BirthDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Date of birth"))
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "bday"},
                format="%d/%m/%Y",
            ),
        )
        kwargs.setdefault(
            "error_messages", {"invalid": _("Write the date as day/month/year, e.g. 25/12/1980.")}
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return value
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        if value < dt.date(today.year - 120, 1, 1):
            raise ValidationError(_("Please check the year of birth."), code="too_old")
        return value

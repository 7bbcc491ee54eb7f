from __future__ import annotations

from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suotdoi.core.text import clean_name

from .actions import PROFILE_FIELDS
from .fields import BirthDateField, CCCDField, VietnamPhoneField  # noqa: F401
from .models import Gender, Person, national_id_lookup


def clean_full_name(value: str) -> str:
    name = clean_name(value)
    if len(name) < 2 or any(ch in name for ch in "<>{}"):
        raise forms.ValidationError(_("Enter your full name."))
    return name


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds to phone, email and password."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "Nguyễn Văn An"}),
    )
    date_of_birth = BirthDateField(required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    national_id = CCCDField(
        required=False,
        help_text=_("Optional. 12 digits; lets units find you without creating a duplicate."),
    )
    field_order = ["full_name", "phone", "email", "date_of_birth", "gender", "national_id"]

    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])

    def clean_national_id(self):
        value = self.cleaned_data.get("national_id")
        if value and Person.objects.filter(national_id_lookup(value)).exists():
            raise forms.ValidationError(
                _("This citizen ID is already registered. Sign in, or ask your unit for help."),
                code="cccd_taken",
            )
        return value

    def signup(self, request, user):
        """Required by allauth; the adapter already copied our fields."""


class ProfileForm(forms.ModelForm):
    """The phone is not here: a new number is changed only once a code sent to it comes back
    (allauth's phone change, /accounts/phone/change/)."""

    date_of_birth = BirthDateField(required=False)
    national_id = CCCDField(required=False)

    class Meta:
        model = Person
        fields = [f for f in PROFILE_FIELDS if f != "phone"]

    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not a model field (it is stored encrypted): the form shows the decrypted number.
        self.initial.setdefault("national_id", self.instance.national_id)

    def _unique(self, field: str, value, message):
        q = national_id_lookup(value) if field == "national_id" else Q(**{field: value})
        if value and Person.objects.filter(q).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(message)
        return value

    def clean_email(self):
        value = (self.cleaned_data.get("email") or "").strip().lower() or None
        return self._unique(
            "email__iexact", value, _("This email is already used by another account.")
        )

    def clean_national_id(self):
        return self._unique(
            "national_id",
            self.cleaned_data.get("national_id"),
            _("This citizen ID is already registered to another person."),
        )

    def clean(self):
        data = super().clean()
        if not self.instance.phone and not data.get("email"):
            raise forms.ValidationError(_("Keep at least a phone number or an email to sign in."))
        return data


class TwoFactorCodeForm(AuthenticateForm):
    """The two-factor code: a phone opens its number pad and can fill the code from an SMS or
    an authenticator app (#16.15)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "8",
                "autofocus": True,
            }
        )

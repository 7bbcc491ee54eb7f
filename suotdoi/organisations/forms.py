from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suotdoi.core.text import clean_name
from suotdoi.people.fields import BirthDateField, CCCDField, VietnamPhoneField

from .models import IncomeGroup, OccupationGroup, Role, Unit, UnitType

DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y"
)
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class EffectiveDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Effective date"))
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("initial", timezone.localdate)
        kwargs.setdefault(
            "error_messages", {"invalid": _("Write the date as day/month/year, e.g. 01/07/2025.")}
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


def _clean_text(value: str) -> str:
    value = clean_name(value)
    if any(ch in value for ch in "<>{}"):
        raise forms.ValidationError(_("Remove the characters < > { }."))
    return value


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "code", "unit_type", "address", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_type"].queryset = UnitType.objects.all()
        self.fields["unit_type"].label_from_instance = lambda t: t.label

    def clean_name(self):
        return _clean_text(self.cleaned_data["name"])

    def clean_short_name(self):
        return _clean_text(self.cleaned_data.get("short_name", ""))

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise forms.ValidationError(_("Use letters, digits, dots and dashes only."))
        return code


class UnitMoveForm(forms.Form):
    new_parent_code = forms.CharField(label=_("Code of the new parent unit"), max_length=40)
    effective_date = EffectiveDateField()


class UnitMergeForm(forms.Form):
    target_code = forms.CharField(label=_("Code of the unit it merges into"), max_length=40)
    effective_date = EffectiveDateField()
    confirm = forms.BooleanField(
        label=_(
            "I understand: members and child units move to the other unit, and this unit "
            "closes on the effective date."
        ),
    )


class MemberAddForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = VietnamPhoneField(required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    national_id = CCCDField(required=False)
    date_of_birth = BirthDateField(required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[
            ("", "—"),
            ("female", _("Female")),
            ("male", _("Male")),
            ("other", _("Other / prefer not to say")),
        ],
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    position_title = forms.CharField(label=_("Position"), max_length=120, required=False)
    start_date = EffectiveDateField(label=_("Member since"))
    occupation_group = forms.ChoiceField(
        label=_("Occupation group"),
        required=False,
        choices=[("", "—"), *OccupationGroup.choices],
    )
    income_group = forms.ChoiceField(
        label=_("Household (from the commune's poverty review)"),
        required=False,
        choices=[("", "—"), *IncomeGroup.choices],
    )
    consent = forms.BooleanField(
        label=_("The person agreed that I register them and keep their learning record."),
    )

    def clean_full_name(self):
        return _clean_text(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("phone", "email", "national_id", "date_of_birth")):
            raise forms.ValidationError(
                _("Give at least one of phone, email, citizen ID or date of birth.")
            )
        return data


class MembershipEndForm(forms.Form):
    end_date = EffectiveDateField(label=_("Left on"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, phone or email"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    subtree = forms.BooleanField(label=_("Include units below"), required=False, initial=True)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    unit_type = forms.ChoiceField(label=_("Unit type"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Current members")),
            ("ended", _("Former members")),
            ("all", _("Everyone")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_type"].choices = [("", _("All types"))] + [
            (t.code, t.label) for t in UnitType.objects.all()
        ]

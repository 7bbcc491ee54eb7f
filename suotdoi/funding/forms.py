from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Fund


class FundForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Course categories it pays for (none ticked: every category)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    occupation_groups = forms.MultipleChoiceField(
        label=_("Only for these occupation groups (none ticked: every occupation)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    income_groups = forms.MultipleChoiceField(
        label=_("Only for these households (none ticked: every household)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    class Meta:
        model = Fund
        fields = [
            "name", "per_person", "per_course_max", "copay_pct", "credit_days", "min_age",
            "max_age", "occupation_groups", "income_groups", "list_only", "categories",
            "providers", "courses",
        ]  # fmt: skip
        widgets = {
            "providers": forms.CheckboxSelectMultiple,
            "courses": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from suotdoi.catalog.models import Category, Provider
        from suotdoi.organisations.models import IncomeGroup, OccupationGroup

        self.fields["categories"].choices = Category.choices
        self.fields["occupation_groups"].choices = OccupationGroup.choices
        self.fields["income_groups"].choices = IncomeGroup.choices
        self.fields["providers"].queryset = Provider.objects.select_related("unit").order_by(
            "unit__name"
        )
        self.fields["providers"].label = _("Vetted providers (the fund pays only these)")
        from suotdoi.catalog.models import Course, Status

        self.fields["courses"].queryset = (
            Course.objects.filter(status=Status.PUBLISHED, price__gt=0)
            .select_related("provider__unit")
            .order_by("title")
        )
        self.fields["courses"].label = _(
            "Only these courses (none ticked: any course of the vetted providers)"
        )
        for name in ("per_person", "per_course_max"):
            self.fields[name].max_value = 10**12
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "step": "1000"})

    def clean_copay_pct(self):
        v = self.cleaned_data["copay_pct"]
        if v > 90:
            raise forms.ValidationError(_("The learner's share is between 0 and 90%."))
        return v


class AmountForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount (đồng)"), min_value=1, max_value=10**12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1000"}),
    )  # fmt: skip
    memo = forms.CharField(label=_("What it is (budget line, decision number…)"), max_length=200)


class GrantForm(forms.Form):
    round_label = forms.SlugField(
        label=_("Round (each person receives the credit once per round, e.g. 2026)"),
        max_length=40,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code sent to your phone"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ListAddForm(forms.Form):
    people = forms.CharField(
        label=_("People to name on the list: one per line, a phone number, a citizen ID (CCCD) "
                "or your register's id of the membership"),
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
    )  # fmt: skip

    def refs(self) -> list[dict]:
        """Each line as a reference for `members_by_reference`: twelve digits are a CCCD, a
        phone-like line a phone, anything else a register's id."""
        import re

        out = []
        for line in self.cleaned_data["people"].splitlines():
            text = line.strip()
            if not text:
                continue
            digits = re.sub(r"[\s.()-]", "", text)
            if re.fullmatch(r"\d{12}", digits):
                out.append({"national_id": digits})
            elif re.fullmatch(r"\+?\d{9,12}", digits):
                out.append({"phone": text})
            else:
                out.append({"external_id": text[:64]})
        return out

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.models import UnitType

from . import rules
from .models import ReportForm


class PeriodOpenForm(forms.Form):
    form = forms.ModelChoiceField(label=_("Report form"), queryset=ReportForm.objects.none())
    title = forms.CharField(label=_("Title of the period"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(
        label=_("Reports due by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    type_codes = forms.MultipleChoiceField(
        label=_("Which units below report"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        kind = unit.unit_type.tree_kind
        latest: dict[str, int] = {}
        for f in ReportForm.objects.filter(tree_kind=kind).order_by("code", "-version"):
            latest.setdefault(f.code, f.pk)
        self.fields["form"].queryset = ReportForm.objects.filter(pk__in=latest.values())
        if len(latest) == 1:
            self.fields["form"].initial = next(iter(latest.values()))
            self.fields["form"].empty_label = None
        types = UnitType.objects.filter(tree_kind=kind, order__gt=unit.unit_type.order).order_by(
            "order"
        )
        self.fields["type_codes"].choices = [(t.code, t.label) for t in types]
        year = dt.date.today().year
        self.fields["title"].initial = f"Báo cáo 6 tháng đầu năm {year}"
        self.fields["starts_on"].initial = dt.date(year, 1, 1)
        self.fields["ends_on"].initial = dt.date(year, 6, 30)


class ReportEditForm(forms.Form):
    """The unit's figures, explanations and texts, one field per item of the form."""

    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's position"), max_length=200, required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = report.period.form.items()
        for item in self.items:
            code, kind = item["code"], item["kind"]
            if kind in ("computed", "typed"):
                self.fields[f"v_{code}"] = forms.CharField(
                    label=item["label"],
                    required=False,
                    max_length=30,
                    initial=report.values.get(code, ""),
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
                self.fields[f"n_{code}"] = forms.CharField(
                    label=_("Explanation"),
                    required=False,
                    max_length=1000,
                    initial=report.notes.get(code, ""),
                )
            elif kind == "text":
                self.fields[f"t_{code}"] = forms.CharField(
                    label=item["label"],
                    required=False,
                    max_length=8000,
                    initial=report.texts.get(code, ""),
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        self.fields["signer"].initial = report.signer
        self.fields["signer_title"].initial = report.signer_title

    def clean(self):
        data = super().clean()
        for item in self.items:
            key = f"v_{item['code']}"
            if key in data and (data[key] or "").strip():
                value = rules.parse_value(data[key])
                if value is None:
                    self.add_error(key, _("Enter a number of zero or more."))
                else:
                    data[key] = value
            elif key in data:
                data[key] = None
        return data

    def parts(self) -> dict:
        d = self.cleaned_data
        return {
            "values": {
                i["code"]: d.get(f"v_{i['code']}") for i in self.items if f"v_{i['code']}" in d
            },
            "notes": {
                i["code"]: d.get(f"n_{i['code']}", "") for i in self.items if f"n_{i['code']}" in d
            },
            "texts": {
                i["code"]: d.get(f"t_{i['code']}", "") for i in self.items if f"t_{i['code']}" in d
            },
            "signer": d.get("signer", ""),
            "signer_title": d.get("signer_title", ""),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be corrected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

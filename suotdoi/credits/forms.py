from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from .models import Programme, ProgrammeModule

MAX_DOCUMENT = 10 * 1024 * 1024


class AccreditationForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None)
    reference = forms.CharField(label=_("Decision or licence number"), max_length=120)
    issued_by = forms.CharField(label=_("Issued by"), max_length=200)
    valid_until = forms.DateField(
        label=_("Valid until (dd/mm/yyyy; empty: no end)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    document = forms.FileField(label=_("The document (PDF)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from suotdoi.catalog.models import Provider

        self.fields["provider"].queryset = Provider.objects.select_related("unit").order_by(
            "unit__name"
        )

    def clean_document(self):
        f = self.cleaned_data["document"]
        if f.size > MAX_DOCUMENT:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        head = f.read(5)
        f.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Upload the document as a PDF file."))
        return f


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "code", "title", "summary", "vqf_level", "min_credits", "transfer_cap_pct",
            "max_result_age_years", "yearly_cap",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        import re

        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9._-]{1,40}", code):
            raise forms.ValidationError(_("Letters, digits, dots and dashes only."))
        return code


class ModuleForm(forms.ModelForm):
    area = forms.ChoiceField(label=_("Area"), choices=())

    class Meta:
        model = ProgrammeModule
        fields = ["code", "title", "area", "credits", "mandatory", "courses"]
        widgets = {"courses": forms.CheckboxSelectMultiple}

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        from suotdoi.catalog.models import Category, Course

        self.fields["area"].choices = Category.choices
        self.fields["courses"].queryset = Course.objects.filter(provider=provider).order_by("title")
        self.fields["courses"].required = False

    def clean_code(self):
        return ProgrammeForm.clean_code(self)


class RplApplyForm(forms.Form):
    """A section per module still open: tick it, choose the evidence from the record."""

    statement = forms.CharField(
        label=_("What you learned and how (work, courses, practice)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, modules=(), entries=(), credentials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = list(modules)
        entry_choices = [
            (
                e.pk,
                _("%(title)s — %(where)s, %(date)s, %(hours)s hours")
                % {
                    "title": e.title,
                    "where": e.unit.name if e.unit_id else e.issued_by or _("declared by you"),
                    "date": e.start_date.strftime("%d/%m/%Y"),
                    "hours": floatformat(e.hours, "-1"),
                },
            )
            for e in entries
        ]
        cred_choices = [(c.pk, str(c.achievement.name)) for c in credentials]
        for m in self.modules:
            self.fields[f"claim_{m.pk}"] = forms.BooleanField(
                label=_("Ask to recognise %(code)s %(title)s (%(credits)s credits)")
                % {"code": m.code, "title": m.title, "credits": floatformat(m.credits, "-1")},
                required=False,
            )
            self.fields[f"entries_{m.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Entries of your record that show it"),
                choices=entry_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"credentials_{m.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Your credentials that show it"),
                choices=cred_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def sections(self):
        return [
            (m, self[f"claim_{m.pk}"], self[f"entries_{m.pk}"], self[f"credentials_{m.pk}"])
            for m in self.modules
        ]

    def claims(self) -> dict:
        d = self.cleaned_data
        return {
            m.code: {"entries": d[f"entries_{m.pk}"], "credentials": d[f"credentials_{m.pk}"]}
            for m in self.modules
            if d.get(f"claim_{m.pk}")
        }


class RplDecideForm(forms.Form):
    note = forms.CharField(
        label=_("Reasons for the decision (the learner reads them)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(claims)
        for c in self.claims:
            self.fields[f"credits_{c.pk}"] = forms.DecimalField(
                label=_("Credits granted for %(code)s (at most %(n)s)")
                % {"code": c.module.code, "n": floatformat(c.module.credits, "-1")},
                min_value=0,
                max_value=c.module.credits,
                decimal_places=1,
                initial=c.granted if c.granted is not None else 0,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Reason for %(code)s") % {"code": c.module.code},
                max_length=500,
                initial=c.reason,
            )

    def sections(self):
        return [(c, self[f"credits_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.claims]

    def grants(self) -> dict:
        d = self.cleaned_data
        return {c.pk: (d[f"credits_{c.pk}"], d[f"reason_{c.pk}"]) for c in self.claims}


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why you appeal (what the assessor should look at again)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suotdoi.core.errors import ApplicationError

from .models import CompetenceTag, EntryKind
from .rules import check_entry, check_evidence

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y"
        ),
        error_messages={"invalid": _("Write the date as day/month/year, e.g. 25/12/2025.")},
    )


class EntryForm(forms.Form):
    """What every entry form asks: a title, a date and hours, checked by the record's rules."""

    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = _date_field(_("Date"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0,
        max_value=10000,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )

    def clean(self):
        data = super().clean()
        if all(k in data for k in ("title", "start_date", "hours")):
            try:
                check_entry(
                    title=data["title"],
                    start_date=data["start_date"],
                    end_date=None,
                    hours=data["hours"],
                )
            except ApplicationError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return data


class DeclareForm(EntryForm):
    """Self-declared learning, short enough to fill in on a phone in under a minute."""

    key = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("What did you do?"), choices=EntryKind.choices, initial=EntryKind.READING
    )
    unit = forms.TypedChoiceField(
        label=_("Ask this unit to verify"), required=False, coerce=int, empty_value=None
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Competences"),
        required=False,
        queryset=CompetenceTag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_url = forms.URLField(
        label=_("Evidence link (optional)"), required=False, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file: PDF or photo (optional)"), required=False
    )

    field_order = [
        "key",
        "kind",
        "title",
        "start_date",
        "hours",
        "unit",
        "tags",
        "evidence_url",
        "evidence_file",
    ]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. the book's name")
        self.fields["hours"].initial = 1
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [("", _("Nobody (keep it self-declared)"))] + [
            (u.pk, u.name) for u in units
        ]
        self.fields["tags"].label_from_instance = lambda t: t.label
        if not self.is_bound:
            self.fields["start_date"].initial = timezone.localdate()

    def clean_evidence_file(self):
        f = self.cleaned_data.get("evidence_file")
        if f:
            head = f.read(8)
            f.seek(0)
            try:
                check_evidence(f.name, f.size, head)
            except ApplicationError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return f

    def clean(self):
        data = super().clean()
        unit_id = data.get("unit")
        data["unit"] = self.units.get(unit_id) if unit_id else None
        return data

    def entry_fields(self) -> dict:
        """The arguments of `entry_record` this form gives (its key makes a double submit
        count once; a key not made by us is replaced)."""
        from .actions import new_declaration_key

        d = self.cleaned_data
        key = d["key"] if str(d["key"]).startswith("self:") else new_declaration_key()
        fields = ("title", "kind", "start_date", "hours", "tags", "evidence_url", "evidence_file")
        return {"source_key": key, **{f: d[f] for f in fields}}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not accepted?"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class GoalForm(forms.Form):
    hours = forms.IntegerField(label=_("My goal this year (hours)"), min_value=1, max_value=2000)


class CorrectForm(EntryForm):
    """A learner's correction of their own entry."""

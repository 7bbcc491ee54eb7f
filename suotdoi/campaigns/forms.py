from django import forms
from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.models import UnitType

from .models import Campaign, Session


class CampaignForm(forms.ModelForm):
    target_type_codes = forms.MultipleChoiceField(
        label=_("Units that receive the task"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "purpose",
            "document_url",
            "starts_on",
            "ends_on",
            "report_due",
            "min_sessions",
            "min_attendance_pct",
            "reflection_required",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type_codes"].choices = [
            (t.code, t.label) for t in UnitType.objects.order_by("order")
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end comes before the start."))
        if data.get("min_attendance_pct") is not None and data["min_attendance_pct"] > 100:
            self.add_error("min_attendance_pct", _("At most 100%."))
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "title", "starts_at", "hours", "place"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours <= 0 or hours > 12:
            raise forms.ValidationError(_("Between 0.5 and 12 hours."))
        return hours


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("Notes for the level above"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ManualAttendanceForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Member"), coerce=int, choices=())
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[("present", _("Present")), ("excused", _("Excused absence"))],
    )


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflection"),
        min_length=50,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What you learned and what you will do differently (at least 50 characters)."),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

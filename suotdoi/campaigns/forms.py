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
            "starts_on",
            "ends_on",
            "report_due",
            "min_sessions",
            "min_attendance_pct",
            "quiz_pass_pct",
            "quiz_required",
            "quiz_draw",
            "reflection_required",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type_codes"].choices = _types_below(unit)
        for name in ("quiz_pass_pct", "quiz_draw"):
            self.fields[name].required = False

    def clean_quiz_pass_pct(self):
        value = self.cleaned_data.get("quiz_pass_pct")
        return 70 if value is None else value

    def clean_quiz_draw(self):
        return self.cleaned_data.get("quiz_draw") or 0

    def clean(self):
        data = super().clean()
        if (
            data.get("report_due")
            and data.get("starts_on")
            and data["report_due"] < data["starts_on"]
        ):
            self.add_error("report_due", _("The report is due before the campaign starts."))
        if data.get("quiz_pass_pct") is not None and data["quiz_pass_pct"] > 100:
            self.add_error("quiz_pass_pct", _("At most 100%."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end comes before the start."))
        if data.get("min_attendance_pct") is not None and data["min_attendance_pct"] > 100:
            self.add_error("min_attendance_pct", _("At most 100%."))
        return data


class DocumentForm(forms.Form):
    """Material to study: a file, a link, or both; a title already used makes a new version."""

    title = forms.CharField(label=_("Title of the document"), max_length=250)
    file = forms.FileField(
        label=_("File (PDF, Word, at most 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.odt"}),
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("What changed (for a new version)"), max_length=300, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Attach a file or give a link."))
        return data


class PartnerForm(forms.Form):
    code = forms.CharField(
        label=_("Code of the partner unit"),
        max_length=40,
        help_text=_("The partner's officers accept the invitation before their units take part."),
    )


def _types_below(unit) -> list[tuple[str, str]]:
    """The kinds of unit that exist below `unit`: the only sensible targets (a grassroots union
    was offered all 24 types, the national federation and museums included, #16.13)."""
    qs = UnitType.objects.order_by("order")
    if unit is not None:
        qs = qs.filter(units__path__startswith=unit.path, units__depth__gt=unit.depth).distinct()
    return [(t.code, t.label) for t in qs]


class SubCampaignForm(forms.Form):
    target_type_codes = forms.MultipleChoiceField(
        label=_("Units below yours that receive the task"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    report_due = forms.DateField(
        label=_("Report due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type_codes"].choices = _types_below(unit)


class ExtendForm(forms.Form):
    ends_on = forms.DateField(
        label=_("New end date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    report_due = forms.DateField(
        label=_("New report due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("report_due") and data["report_due"] < data["ends_on"]:
            self.add_error("report_due", _("Reports are due after the campaign ends."))
        return data


class SessionForm(forms.ModelForm):
    """A session and who is invited. Invitees are found by a search (name or phone) over the
    unit's subtree, not picked from a list of every member: a union of hundreds stays one
    screen tall. `finding` re-shows the form with the matches and without errors."""

    FOUND_MAX = 20

    choose_invitees = forms.BooleanField(
        label=_("Invite only the members I choose below"),
        required=False,
        help_text=_("Otherwise every member of the unit is invited."),
    )
    invitee_q = forms.CharField(
        label=_("Find members by name or phone"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "data-enter-clicks": "find-invitees"}
        ),
    )
    invitees = forms.MultipleChoiceField(
        label=_("Invited members"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args, unit=None, finding=False, **kwargs):
        if finding and args:  # a search ticks "only the members I choose" for the user
            data = args[0].copy()
            data[f"{kwargs.get('prefix')}-choose_invitees"] = "on"
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.finding = finding
        self.found_more = False
        self.found_none = False
        self._members = {}
        if unit is not None and self.is_bound:
            from suotdoi.organisations.selectors import membership_list

            chosen = [x for x in self.data.getlist(self.add_prefix("invitees")) if x.isdigit()]
            for m in membership_list(unit=unit).filter(person_id__in=chosen[:1000]):
                self._members.setdefault(str(m.person_id), m.person)
            self.initial_chosen = set(self._members)
            query = (self.data.get(self.add_prefix("invitee_q")) or "").strip()[:100]
            if finding and query:
                found = list(membership_list(unit=unit, query=query)[: self.FOUND_MAX * 3])
                fresh = [m for m in found if str(m.person_id) not in self._members]
                self.found_none = not fresh
                self.found_more = len({m.person_id for m in fresh}) > self.FOUND_MAX
                for m in fresh:
                    if len(self._members) - len(self.initial_chosen) >= self.FOUND_MAX:
                        break
                    self._members.setdefault(str(m.person_id), m.person)
        self.fields["invitees"].choices = [(k, p.full_name) for k, p in self._members.items()]

    def full_clean(self):
        if self.finding:  # a search is not a submission: no errors to show yet
            from django.forms.utils import ErrorDict

            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean(self):
        data = super().clean()
        data.pop("invitee_q", None)
        data["invitees"] = [self._members[k] for k in data.get("invitees") or []]
        data["invite_all"] = not data.pop("choose_invitees", False)
        if not data["invite_all"] and not data["invitees"]:
            self.add_error("invitees", _("Choose who is invited, or invite every member."))
        return data

    class Meta:
        model = Session
        fields = ["kind", "title", "starts_at", "hours", "place", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 3}),
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
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What you learned and what you will do differently (at least 50 characters)."),
    )
    file = forms.FileField(
        label=_("or a file (PDF or a photo of a handwritten page, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean(self):
        data = super().clean()
        text = (data.get("text") or "").strip()
        if not data.get("file") and len(text) < 50:
            raise forms.ValidationError(
                _("Write at least 50 characters, or attach your reflection as a file.")
            )
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

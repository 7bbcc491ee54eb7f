from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from suotdoi.catalog.models import Category


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Package (.zip exported as SCORM 1.2, SCORM 2004 or cmi5)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    title = forms.CharField(
        label=_("Lesson title"),
        max_length=250,
        required=False,
        help_text=_("Leave empty to use the title in the package."),
    )
    use_tracked_time = forms.BooleanField(
        label=_("Count the time the learner really spent instead of the course's hours"),
        required=False,
    )


class NewCourseForm(forms.Form):
    """A whole course from one package: the title comes from the package unless given."""

    file = UploadForm.base_fields["file"]
    title = forms.CharField(
        label=_("Course title"),
        max_length=250,
        required=False,
        help_text=_("Leave empty to use the title in the package."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    hours = forms.DecimalField(
        label=_("Hours of study"),
        min_value=Decimal("0.1"),
        max_value=Decimal("999"),
        max_digits=4,
        decimal_places=1,
    )
    use_tracked_time = UploadForm.base_fields["use_tracked_time"]

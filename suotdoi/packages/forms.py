from django import forms
from django.utils.translation import gettext_lazy as _


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

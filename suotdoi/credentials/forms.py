from django import forms
from django.utils.translation import gettext_lazy as _

from .verification import MAX_DOCUMENT_BYTES

ISSUE_KIND_CHOICES = [
    ("course", _("Course completions")),
    ("session", _("Attendance at study sessions")),
    ("workplace", _("Workplace training")),
    ("contest", _("Contests")),
]


class IssuerForm(forms.Form):
    name = forms.CharField(label=_("Name on credentials"), max_length=200)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Contact email"), required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=120,
        required=False,
        help_text=_("For example: Giám đốc"),
    )
    quality_assurance = forms.CharField(
        label=_("Quality assurance"),
        max_length=300,
        required=False,
        help_text=_("Who oversees the quality of this unit's teaching."),
    )
    auto_issue_kinds = forms.MultipleChoiceField(
        label=_("Issue a credential automatically when this unit verifies"),
        choices=ISSUE_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndorseForm(forms.Form):
    comment = forms.CharField(
        label=_("Endorsement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What your unit vouches for, e.g. the programme meets the province's standard."
        ),
    )


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("…or choose the file"), required=False)

    def clean(self):
        data = super().clean()
        f = data.get("file")
        if f is not None:
            if f.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("The credential is too large (more than 256 KB)."))
            data["text"] = f.read()
        if not data.get("text"):
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return data


class RecipientCheckForm(forms.Form):
    claim = forms.CharField(
        label=_("Phone number or email of the person who showed you this credential"),
        max_length=200,
    )

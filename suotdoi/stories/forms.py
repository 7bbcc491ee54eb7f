from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("The story is about"), choices=[])
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    short_text = forms.CharField(
        label=_("Short version for social networks (at most 280 characters)"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("The story"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paragraphs, bold, lists and links are kept; anything else is removed."),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Story

        allowed = kinds or [Story.PERSON, Story.FAMILY]
        self.fields["kind"].choices = [(k, v) for k, v in Story.SUBJECTS if k in allowed]
        if kinds is None and len(allowed) == 1:
            del self.fields["kind"]


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("Photo (JPEG, PNG or WebP, at most 10 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=200)
    alt_text = forms.CharField(
        label=_("Describe the photo for people who cannot see it"), max_length=300
    )


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("Why it is taken down"), max_length=300)


class CodeConsentForm(forms.Form):
    code = forms.CharField(label=_("The code they read to you"), max_length=12)

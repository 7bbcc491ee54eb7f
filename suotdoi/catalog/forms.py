from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Course, CourseRun, LessonKind, QuestionKind, Resource


class CourseForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("Competences (separated by commas)"), required=False, max_length=500
    )

    class Meta:
        model = Course
        fields = [
            "title", "summary", "category", "level", "format", "hours", "credits", "price",
            "audience_unit", "language", "licence", "external_url", "pass_pct",
            "attempts_limit", "quiz_draw",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        from suotdoi.organisations.models import Unit

        # Not sliced: a sliced queryset cannot validate the choice (every members-only course
        # was refused with "not a valid value").
        self.fields["audience_unit"].queryset = (
            Unit.objects.filter(path__startswith=provider.unit.path).order_by("path")
            if provider
            else Unit.objects.none()
        )
        # ... while the list shown stays short (a province has thousands of units).
        shown = self.fields["audience_unit"].queryset[:200]
        self.fields["audience_unit"].widget.choices = [("", "---------")] + [
            (u.pk, str(u)) for u in shown
        ]
        self.fields["audience_unit"].required = False
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(self.instance.tags or [])

    def clean_hours(self):
        h = self.cleaned_data["hours"]
        if h <= 0 or h > 2000:
            raise forms.ValidationError(_("Between 0.5 and 2,000 hours."))
        return h

    def clean_pass_pct(self):
        p = self.cleaned_data["pass_pct"]
        if p > 100:
            raise forms.ValidationError(_("At most 100%."))
        return p

    def clean(self):
        data = super().clean()
        data["tags"] = [
            t.strip() for t in (data.pop("tags_text", "") or "").split(",") if t.strip()
        ][:20]
        return data


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=250)


class LessonForm(forms.Form):
    module = forms.TypedChoiceField(label=_("Module"), coerce=int, choices=())
    title = forms.CharField(label=_("Lesson title"), max_length=250)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in LessonKind.choices if c[0] != LessonKind.PACKAGE]
    )
    body = forms.CharField(
        label=_("Text (simple formatting is kept; scripts are removed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=100_000,
    )
    url = forms.URLField(label=_("Link or video address"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File (video MP4/WebM ≤ 300 MB, PDF ≤ 20 MB, image ≤ 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".mp4,.webm,.pdf,.jpg,.jpeg,.png", "data-max-bytes": 300 * 1024 * 1024}
        ),
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=10)

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["module"].choices = [(m.pk, m.title) for m in course.modules.all()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    choice0 = forms.CharField(label=_("Answer 1"), required=False, max_length=300)
    choice1 = forms.CharField(label=_("Answer 2"), required=False, max_length=300)
    choice2 = forms.CharField(label=_("Answer 3"), required=False, max_length=300)
    choice3 = forms.CharField(label=_("Answer 4"), required=False, max_length=300)
    correct = forms.MultipleChoiceField(
        label=_("Right answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("0", "1"), ("1", "2"), ("2", "3"), ("3", "4")],
    )
    true_false = forms.ChoiceField(
        label=_("For true/false: the statement is"),
        required=False,
        choices=[("", "—"), ("true", _("True")), ("false", _("False"))],
    )
    accepted = forms.CharField(
        label=_("For a short answer: accepted answers (separated by commas)"),
        required=False,
        max_length=500,
    )
    feedback = forms.CharField(label=_("Explanation"), required=False, max_length=500)

    def as_action_kwargs(self) -> dict:
        d = self.cleaned_data
        kind = d["kind"]
        right = {int(i) for i in d.get("correct") or []}
        if kind == QuestionKind.TRUE_FALSE:
            choices = (
                [{"text": str(_("True")), "correct": d["true_false"] == "true"},
                 {"text": str(_("False")), "correct": d["true_false"] == "false"}]
                if d.get("true_false")
                else []
            )  # fmt: skip
        elif kind == QuestionKind.SHORT:
            choices = []
        else:
            choices = [
                {"text": d[f"choice{i}"], "correct": i in right}
                for i in range(4)
                if d.get(f"choice{i}", "").strip()
            ]
        return {
            "kind": kind,
            "text": d["text"],
            "choices": choices,
            "answers": [a for a in (d.get("accepted") or "").split(",") if a.strip()],
            "feedback": d.get("feedback") or "",
        }


class RunForm(forms.ModelForm):
    class Meta:
        model = CourseRun
        fields = ["starts_at", "ends_at", "place", "seats"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(label=_("File (PDF ≤ 20 MB, video ≤ 300 MB)"), required=False)

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "category",
            "url",
            "licence",
            "author",
            "source",
            "minutes",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ProviderForm(forms.Form):
    description = forms.CharField(
        label=_("About the provider"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

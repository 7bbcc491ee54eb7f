from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contest

DT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ContestForm(forms.ModelForm):
    rules_text = forms.CharField(
        label=_("Rules"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    class Meta:
        model = Contest
        fields = ["title", "prizes", "audience", "requires_cccd"]
        widgets = {"prizes": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.Form):
    category = forms.CharField(label=_("Category"), max_length=60, required=False)
    text = forms.CharField(label=_("Question"), max_length=600)
    choices = forms.CharField(
        label=_("Answers, one per line (two to six)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correct = forms.IntegerField(
        label=_("Which line is right (1, 2, 3…)"), min_value=1, max_value=6
    )

    def clean(self):
        data = super().clean()
        lines = [x.strip() for x in (data.get("choices") or "").splitlines() if x.strip()]
        data["choice_list"] = lines
        if data.get("correct") and data["correct"] > len(lines):
            self.add_error("correct", _("There is no answer on that line."))
        return data


class RoundForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("Opens (dd/mm/yyyy hh:mm)"), input_formats=DT_FORMATS)
    closes_at = forms.DateTimeField(label=_("Closes (dd/mm/yyyy hh:mm)"), input_formats=DT_FORMATS)
    minutes = forms.IntegerField(label=_("Minutes for a sitting"), min_value=1, max_value=180,
                                 initial=15)  # fmt: skip
    attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=20,
                                  initial=2)  # fmt: skip
    draw = forms.CharField(
        label=_("Questions drawn: “category: number”, one per line (a number alone draws from "
                "the whole bank)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    tiebreak = forms.CharField(
        label=_("Tie-break question"),
        max_length=300,
        initial=_("How many people will take part in this round?"),
    )
    show_result = forms.ChoiceField(
        label=_("The contestant sees the score"),
        choices=[("end", _("when the sitting ends")), ("close", _("when the round closes"))],
    )
    prizes = forms.CharField(label=_("Prizes of the round"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean_draw(self):
        out = {}
        for line in self.cleaned_data["draw"].splitlines():
            line = line.strip()
            if not line:
                continue
            cat, _sep, n = line.rpartition(":")
            try:
                count = int(n.strip())
            except ValueError:
                raise forms.ValidationError(_("Write each line as “category: number”.")) from None
            out[cat.strip()] = count
        if not out:
            raise forms.ValidationError(_("Say how many questions each sitting draws."))
        return out

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A round closes after it opens."))
        return data

"""Forms for the log, the district's rules and integrations. Services do the real checks."""

from __future__ import annotations

from django import forms

from trellis.informal.models import EntryFormat

QUICK_MINUTES = (
    ("15", "15 min"),
    ("30", "30 min"),
    ("45", "45 min"),
    ("60", "1 h"),
    ("custom", "Other"),
)


class EntryForm(forms.Form):
    title = forms.CharField(label="What did you learn from?", max_length=200)
    url = forms.CharField(label="Link", max_length=1000, required=False, widget=forms.URLInput)
    format = forms.ChoiceField(
        label="Kind", choices=EntryFormat.choices, widget=forms.RadioSelect, initial="video"
    )
    quick_minutes = forms.ChoiceField(
        label="Time spent",
        choices=QUICK_MINUTES,
        widget=forms.RadioSelect,
        initial="30",
        required=False,
    )
    minutes = forms.IntegerField(
        label="Minutes (for “Other”)", required=False, min_value=1, max_value=1440
    )
    learned_on = forms.DateField(label="When", widget=forms.DateInput(attrs={"type": "date"}))
    competency = forms.ChoiceField(label="Competency", required=False)
    reflection = forms.CharField(
        label="What will you try in class?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, competencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "— none —")] + [
            (str(item.public_id), str(item)) for item in competencies
        ]

    def clean(self) -> dict:
        data = super().clean()
        quick = data.get("quick_minutes") or "custom"
        if quick != "custom":
            data["minutes"] = int(quick)
        elif not data.get("minutes"):
            self.add_error(
                "minutes", "Enter the minutes you spent (1 to 1440), or pick a quick time."
            )
        return data


class RulesForm(forms.Form):
    counts_toward_credit = forms.BooleanField(
        label="Count informal learning toward credit", required=False
    )
    yearly_cap_hours = forms.DecimalField(
        label="Most hours counted per school year",
        required=False,
        help_text="Leave empty for no cap. Texas, for example, limits independent study to 20% of renewal hours.",
    )
    entry_cap_hours = forms.DecimalField(label="Most hours counted for one entry", required=False)
    requires_reflection = forms.BooleanField(
        label="Count only entries with a reflection", required=False
    )
    counted_formats = forms.MultipleChoiceField(
        label="Kinds of learning that count",
        choices=EntryFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every kind counts.",
    )


class IntegrationForm(forms.Form):
    name = forms.CharField(label="Name of the learning tool", max_length=120)

"""HTML input shaping for the quality pages. Services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.growth.forms import competency_choices
from trellis.growth.models import LearningFormat
from trellis.growth.queries import CompetencyMap
from trellis.quality.models import MAX_ITEM_POINTS, ProposalKind, RubricItem


class RubricItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="What the reviewer checks")
    help = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Guidance for reviewers",
    )
    essential = forms.BooleanField(
        required=False,
        label="Essential",
        help_text="An offering is vetted only when every essential item earns at least 2 of 3.",
    )
    max_points = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, MAX_ITEM_POINTS + 1)],
        coerce=int,
        initial=MAX_ITEM_POINTS,
        label="Maximum points",
    )


class VettingForm(forms.Form):
    """One 0..max choice and an optional comment per active rubric item."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Overall comment",
    )

    def __init__(
        self, *args: Any, items: list[RubricItem], can_publish: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            key = str(item.public_id)
            self.fields[f"points_{key}"] = forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(item.max_points + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                label=item.text,
                help_text=item.help,
                error_messages={"required": f"Score “{item.text}”."},
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                max_length=2000, required=False, label=f"Comment on “{item.text}”"
            )
        if can_publish:
            self.fields["publish"] = forms.BooleanField(
                required=False,
                label="Publish it as vetted",
                help_text="Refused unless every essential item is met.",
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": item,
                "points": self[f"points_{item.public_id}"],
                "comment": self[f"comment_{item.public_id}"],
            }
            for item in self.items
        ]

    def scores(self) -> dict[str, tuple[Any, Any]]:
        data = self.cleaned_data
        return {
            str(item.public_id): (
                data.get(f"points_{item.public_id}"),
                data.get(f"comment_{item.public_id}", ""),
            )
            for item in self.items
        }


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ProposalKind.choices, widget=forms.RadioSelect, label="What are you proposing?"
    )
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What participants do and what they take back to their classrooms.",
    )
    link = forms.URLField(
        max_length=500,
        required=False,
        label="Web address",
        help_text="Needed for a course you found online.",
        assume_scheme="https",
    )
    provider = forms.CharField(
        max_length=200,
        required=False,
        help_text="Who offers it (needed for a course found online).",
    )
    format = forms.ChoiceField(choices=LearningFormat.choices)
    hours = forms.DecimalField(min_value=0.25, max_value=999, decimal_places=2, label="Hours")
    cost = forms.DecimalField(
        min_value=0, max_value=100000, decimal_places=2, initial=0, label="Cost per person (USD)"
    )
    competencies = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Competencies it builds",
    )
    sessions_count = forms.IntegerField(
        min_value=1,
        max_value=50,
        required=False,
        label="Number of sessions you would run",
        help_text="Only when you'll facilitate.",
    )
    audience = forms.CharField(
        max_length=300,
        required=False,
        label="Who it is for",
        help_text="Only when you'll facilitate, e.g. “middle-school science teachers”.",
    )

    def __init__(
        self, *args: Any, cmap: CompetencyMap | None, can_facilitate: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competency_choices(cmap)
        if not can_facilitate:
            self.fields["kind"].choices = [
                (ProposalKind.FOUND_ONLINE.value, ProposalKind.FOUND_ONLINE.label)
            ]
            self.fields["kind"].initial = ProposalKind.FOUND_ONLINE.value
            del self.fields["sessions_count"]
            del self.fields["audience"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Reason"
    )


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        label="Your rating",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        label="Your review",
        help_text="What worked, what did not, who it suits.",
    )

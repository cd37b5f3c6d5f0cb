"""Forms of the recommendation pages; the services validate again and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.recommend.core.weights import DEFAULT_WEIGHTS, WEIGHT_BOUNDS, WEIGHT_HELP, weight_names
from trellis.recommend.models import (
    MAX_LIST_SIZE,
    MAX_NOTE_LENGTH,
    MAX_RESERVED_SLOTS,
    MIN_LIST_SIZE,
)


class FeedbackForm(forms.Form):
    offering = forms.UUIDField()
    action = forms.ChoiceField(
        choices=[("not_for_me", "Not for me"), ("save", "Save"), ("clear", "Undo")]
    )


class SuggestForm(forms.Form):
    offering = forms.ChoiceField(label="Offering", choices=[])
    note = forms.CharField(
        label="Note for the educator",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you suggest it; shown with the suggestion.",
    )

    def __init__(self, *args: Any, offerings: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = [("", "Choose an offering")] + [
            (str(o.public_id), o.title) for o in offerings
        ]


def _size_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=MIN_LIST_SIZE,
        max_value=MAX_LIST_SIZE,
        help_text=f"{MIN_LIST_SIZE} to {MAX_LIST_SIZE} picks.",
    )


class SettingsForm(forms.Form):
    novice_size = _size_field("List size for novice educators")
    developing_size = _size_field("List size for developing educators")
    experienced_size = _size_field("List size for experienced educators")
    veteran_size = _size_field("List size for veteran educators")
    reserved_slots = forms.IntegerField(
        label="Slots reserved for priority offerings",
        min_value=0,
        max_value=MAX_RESERVED_SLOTS,
        help_text=f"0 to {MAX_RESERVED_SLOTS}; the rest of each list stays the educator's choice.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in weight_names():
            low, high = WEIGHT_BOUNDS[name]
            default = getattr(DEFAULT_WEIGHTS, name)
            self.fields[f"w_{name}"] = forms.FloatField(
                label=name.replace("_", " ").capitalize(),
                min_value=low,
                max_value=high,
                required=False,
                help_text=f"{WEIGHT_HELP[name]} Between {low:g} and {high:g}; default {default:g}.",
            )

    def weight_fields(self) -> list[Any]:
        return [self[f"w_{name}"] for name in weight_names()]

    def size_fields(self) -> list[Any]:
        return [
            self[name]
            for name in ("novice_size", "developing_size", "experienced_size", "veteran_size")
        ]

    def overrides(self) -> dict[str, float]:
        """Weights that differ from their defaults (empty fields keep the default)."""
        found = {}
        for name in weight_names():
            value = self.cleaned_data.get(f"w_{name}")
            if value is not None and value != getattr(DEFAULT_WEIGHTS, name):
                found[name] = value
        return found


class PriorityForm(forms.Form):
    competency = forms.ChoiceField(label="Competency", choices=[])
    school = forms.ChoiceField(
        label="Where",
        choices=[],
        required=False,
        help_text="The whole district, or one school's improvement plan.",
    )

    def __init__(self, *args: Any, competencies: Any = (), schools: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "Choose a competency")] + [
            (str(item.public_id), str(item)) for item in competencies
        ]
        self.fields["school"].choices = [("", "District priority")] + [
            (str(school.public_id), f"Plan of {school.name}") for school in schools
        ]


class PriorityOfferingForm(forms.Form):
    offering = forms.ChoiceField(label="Priority offering", choices=[])

    def __init__(self, *args: Any, offerings: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = [("", "Choose an offering")] + [
            (str(o.public_id), o.title) for o in offerings
        ]


class WhoFilterForm(forms.Form):
    q = forms.CharField(label="Find an educator", required=False, max_length=100)

"""HTML input shaping for the growth pages. Services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from trellis.growth.models import (
    MAX_NOTE_LENGTH,
    MAX_WEEKLY_MINUTES,
    GradeBand,
    LearningFormat,
    LearningTime,
    PlanItem,
    Position,
    StudentGroup,
)
from trellis.growth.queries import CompetencyMap
from trellis.growth.services.assessments import RatingInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checkboxes(choices: Any, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


class ProfileForm(forms.Form):
    position = forms.ChoiceField(choices=Position.choices, label="Role / position")
    years_experience = forms.IntegerField(
        min_value=0, max_value=60, label="Years of experience in education"
    )
    subjects = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate subjects with commas, e.g. Mathematics, Science.",
    )
    grade_bands = _checkboxes(GradeBand.choices, "Grade bands")
    students_served = _checkboxes(StudentGroup.choices, "Students you serve")
    preferred_formats = _checkboxes(LearningFormat.choices, "Formats you prefer")
    learning_times = _checkboxes(LearningTime.choices, "When you can learn")
    weekly_minutes = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_WEEKLY_MINUTES,
        label="Time for learning each week (minutes)",
        help_text="A realistic estimate; 60 means one hour a week.",
    )
    interests = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What you want to learn",
        help_text="In your own words: topics, questions, goals.",
    )

    CHECKBOX_GROUPS = ("grade_bands", "students_served", "preferred_formats", "learning_times")

    def clean_subjects(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["subjects"].split(",") if part.strip()]

    @classmethod
    def initial_for(cls, profile: Any) -> dict[str, Any]:
        if profile is None:
            return {"position": Position.TEACHER, "years_experience": 0}
        return {
            "position": profile.position,
            "years_experience": profile.years_experience,
            "subjects": ", ".join(profile.subjects),
            "grade_bands": profile.grade_bands,
            "students_served": profile.students_served,
            "preferred_formats": profile.preferred_formats,
            "learning_times": profile.learning_times,
            "weekly_minutes": profile.weekly_minutes,
            "interests": profile.interests,
        }

    def checkbox_groups(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CHECKBOX_GROUPS]


class GrowthSettingsForm(forms.Form):
    developing_from = forms.IntegerField(
        min_value=1, max_value=60, label="Developing starts at year"
    )
    experienced_from = forms.IntegerField(
        min_value=1, max_value=60, label="Experienced starts at year"
    )
    veteran_from = forms.IntegerField(min_value=1, max_value=60, label="Veteran starts at year")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = [
            data.get(name) for name in ("developing_from", "experienced_from", "veteran_from")
        ]
        if None not in values and not values[0] < values[1] < values[2]:
            raise forms.ValidationError(
                "Each stage must start later than the one before: developing < experienced < veteran."
            )
        return data


class SelfAssessmentForm(forms.Form):
    """One radio group (levels) and one note per competency, grouped by domain in the template."""

    def __init__(self, *args: Any, cmap: CompetencyMap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cmap = cmap
        choices = [(str(level.value), level.label) for level in cmap.levels]
        for item in cmap.competencies:
            key = item.public_id.hex
            self.fields[f"level_{key}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                label=str(item),
            )
            self.fields[f"note_{key}"] = forms.CharField(
                required=False,
                max_length=MAX_NOTE_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Note on {item.human_code or item.title}",
            )

    @staticmethod
    def initial_from(assessment: Any, cmap: CompetencyMap) -> dict[str, Any]:
        """Answers of a draft or a snapshot, for the competencies still in the framework."""
        if assessment is None:
            return {}
        keys = {item.pk: item.public_id.hex for item in cmap.competencies}
        initial: dict[str, Any] = {}
        for rating in assessment.ratings.all():
            key = keys.get(rating.item_id)
            if key is None:
                continue
            if rating.value is not None:
                initial[f"level_{key}"] = str(rating.value)
            initial[f"note_{key}"] = rating.note
        return initial

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "title": group.title,
                "domain": group.domain,
                "rows": [
                    {
                        "item": item,
                        "level": self[f"level_{item.public_id.hex}"],
                        "note": self[f"note_{item.public_id.hex}"],
                    }
                    for item in group.competencies
                ],
            }
            for group in self.cmap.groups
        ]

    def ratings(self) -> list[RatingInput]:
        result = []
        for item in self.cmap.competencies:
            key = item.public_id.hex
            level = self.cleaned_data.get(f"level_{key}") or None
            result.append(
                RatingInput(
                    competency=str(item.public_id),
                    level=int(level) if level else None,
                    note=self.cleaned_data.get(f"note_{key}", ""),
                )
            )
        return result


class CompetencyChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def competency_choices(cmap: CompetencyMap | None) -> list[tuple[str, Any]]:
    """Choices grouped by domain (rendered as one labelled group per domain)."""
    if cmap is None:
        return []
    return [
        (group.title, [(str(item.public_id), str(item)) for item in group.competencies])
        for group in cmap.groups
    ]


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A short name for the goal.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        label="Specific: what will change in your practice?",
    )
    measure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        label="Measurable: how will you know you got there?",
    )
    target_date = forms.DateField(widget=DATE_INPUT, label="Time-bound: target date")
    competencies = CompetencyChoiceField(
        label="Competencies this goal builds", help_text="Choose one or more."
    )
    status = forms.ChoiceField(choices=[])

    def __init__(
        self,
        *args: Any,
        cmap: CompetencyMap | None,
        status_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competency_choices(cmap)
        self.fields["status"].choices = status_choices

    def clean_target_date(self) -> Any:
        value = self.cleaned_data["target_date"]
        initial = self.initial.get("target_date")
        if value != initial and value <= timezone.localdate():
            raise forms.ValidationError("The target date must be in the future.")
        return value


class EntryForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[], label="Change status")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class PlanItemForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. the course, book, video or PLC.")
    kind = forms.ChoiceField(choices=PlanItem.Kind.choices)
    link = forms.URLField(
        required=False, max_length=500, assume_scheme="https", help_text="Where to find it."
    )
    goal = forms.ChoiceField(required=False, label="Goal it serves")
    status = forms.ChoiceField(choices=PlanItem.Status.choices)
    target_date = forms.DateField(required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "No particular goal")] + [
            (str(goal.public_id), goal.title) for goal in goals
        ]


class ObservationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: educator_email, competency_code, rating, observed_on (YYYY-MM-DD), "
        "observer_role (principal, coach, peer, other), observer_name (optional).",
    )


class CoachAssignmentForm(forms.Form):
    coach = forms.ChoiceField(label="Add a coach")

    def __init__(self, *args: Any, coaches: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [("", "Choose a coach")] + [
            (str(coach.public_id), coach.full_name or coach.email) for coach in coaches
        ]

"""Forms of the assessment admin pages (the scoring form is built per rubric in the view)."""

from __future__ import annotations

from django import forms

from trellis.microcredentials.services.settings import NUMBERS


class SettingsForm(forms.Form):
    turnaround_days = forms.IntegerField(
        label=NUMBERS["turnaround_days"][0],
        min_value=NUMBERS["turnaround_days"][1],
        max_value=NUMBERS["turnaround_days"][2],
        help_text="Days an assessor has to score; overdue work is reassigned.",
    )
    max_attempts = forms.IntegerField(
        label=NUMBERS["max_attempts"][0],
        min_value=NUMBERS["max_attempts"][1],
        max_value=NUMBERS["max_attempts"][2],
        help_text="Submissions per micro-credential: the first plus resubmissions.",
    )
    coaching_after_attempts = forms.IntegerField(
        label=NUMBERS["coaching_after_attempts"][0],
        min_value=NUMBERS["coaching_after_attempts"][1],
        max_value=NUMBERS["coaching_after_attempts"][2],
        help_text="Offer coaching after this many “not yet” outcomes (0: never).",
    )
    double_score_percent = forms.IntegerField(
        label=NUMBERS["double_score_percent"][0],
        min_value=NUMBERS["double_score_percent"][1],
        max_value=NUMBERS["double_score_percent"][2],
        help_text="Share of submissions scored by two assessors, for calibration.",
    )
    blind_assessment = forms.BooleanField(
        required=False, label="Blind assessment: assessors do not see the educator's name"
    )
    exclude_same_school = forms.BooleanField(
        required=False, label="Never assign an assessor from the educator's own school"
    )
    exclude_own_coach = forms.BooleanField(
        required=False, label="Never assign the educator's own coach"
    )


class QualificationForm(forms.Form):
    assessor = forms.ChoiceField(label="Assessor")
    competency = forms.ChoiceField(
        label="Competency",
        required=False,
        help_text="Leave empty to qualify them for any competency.",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=300, help_text="Training or certification"
    )

    def __init__(self, *args, assessors=(), competencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].choices = [("", "Choose an assessor")] + [
            (str(u.public_id), f"{u.full_name} ({u.email})") for u in assessors
        ]
        self.fields["competency"].choices = [("", "Any competency")] + [
            (str(c.public_id), f"{c.human_code} {c.title}".strip()) for c in competencies
        ]


class ExerciseForm(forms.Form):
    submission = forms.ChoiceField(label="Anchor submission")
    assessors = forms.MultipleChoiceField(
        label="Assessors to calibrate", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, anchors=(), assessors=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [("", "Choose a decided submission")] + [
            (
                str(s.public_id),
                f"{s.version.title} — {s.get_status_display()} (#{s.public_id.hex[:6]})",
            )
            for s in anchors
        ]
        self.fields["assessors"].choices = [
            (str(u.public_id), u.full_name or u.email) for u in assessors
        ]

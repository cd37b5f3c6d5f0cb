"""HTML input shaping for attendance, completion and the feedback survey. The services check
everything again (the API and the demo call them directly)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from trellis.catalog.models import SurveyPhase, SurveyQuestion
from trellis.catalog.queries.attendance import WHEN_CHOICES
from trellis.catalog.services.completion import MAX_FOLLOW_UP_WEEKS, MAX_REFLECTION
from trellis.catalog.services.surveys import MAX_QUESTION_TEXT, MAX_TEXT_ANSWER

Kind = SurveyQuestion.Kind
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]


class CheckInForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Session code",
        help_text="The code on the facilitator's screen; capitals do not matter.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class SessionFilterForm(forms.Form):
    when = forms.ChoiceField(choices=WHEN_CHOICES, required=False, label="Show")
    q = forms.CharField(required=False, max_length=100, label="Offering title contains")
    mine = forms.BooleanField(required=False, label="Only sessions I facilitate")

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "when": data.get("when") or "upcoming",
            "text": (data.get("q") or "").strip(),
            "mine_only": bool(data.get("mine")),
        }


class CompletionPolicyForm(forms.Form):
    min_attendance_percent = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Attendance needed (%)",
        help_text="Share of an offering's scheduled session hours a person must attend, e.g. 80. "
        "Cancelled sessions do not count. Offerings without sessions are finished on the "
        "educator's word instead.",
    )
    require_survey = forms.BooleanField(
        required=False,
        label="The feedback survey must be answered",
        help_text="The short survey after the activity (relevance, quality, likely use).",
    )
    require_reflection = forms.BooleanField(
        required=False,
        label="A written reflection is required for every offering",
        help_text="When off, only offerings marked “requires a reflection” ask for one.",
    )
    follow_up_weeks = forms.IntegerField(
        min_value=0,
        max_value=MAX_FOLLOW_UP_WEEKS,
        label="Weeks before the follow-up survey",
        help_text="When to ask “Have you used it in your classroom?” after completion; "
        "0 turns the follow-up off.",
    )


class QuestionAddForm(forms.Form):
    text = forms.CharField(max_length=MAX_QUESTION_TEXT, label="Question")
    phase = forms.ChoiceField(choices=SurveyPhase.choices, label="When to ask it")
    kind = forms.ChoiceField(choices=Kind.choices, label="Kind of answer")
    required = forms.BooleanField(required=False, label="An answer is required", initial=True)


class QuestionEditForm(forms.Form):
    text = forms.CharField(max_length=MAX_QUESTION_TEXT, label="Question")
    required = forms.BooleanField(required=False, label="An answer is required")
    is_active = forms.BooleanField(required=False, label="Ask this question")

    def __init__(self, *args: Any, question: SurveyQuestion, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"text": question.text, "required": question.required, "is_active": question.is_active},
        )
        super().__init__(*args, **kwargs)
        if question.is_standard:
            self.fields["text"].disabled = True
            self.fields[
                "text"
            ].help_text = (
                "Standard questions keep their wording so results compare across offerings."
            )


def survey_form(questions: Sequence[SurveyQuestion], data: Any = None) -> forms.Form:
    """One field per question, named by its key."""
    form = forms.Form(data)
    for question in questions:
        if question.kind == Kind.SCALE:
            field: forms.Field = forms.ChoiceField(
                choices=SCALE_CHOICES, widget=forms.RadioSelect, help_text="1 is low, 5 is high."
            )
        elif question.kind == Kind.YES_NO:
            field = forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect)
        else:
            field = forms.CharField(
                max_length=MAX_TEXT_ANSWER,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=f"At most {MAX_TEXT_ANSWER} characters.",
            )
        field.label = question.text
        field.required = question.required
        form.fields[question.key] = field
    return form


class CompletionForm(forms.Form):
    reflection = forms.CharField(
        required=False,
        max_length=MAX_REFLECTION,
        label="Your reflection",
        help_text="What did you learn, and what will you try with your students?",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    finished = forms.BooleanField(required=False, label="I have finished this activity")

    def __init__(
        self, *args: Any, sessionless: bool, reflection_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not sessionless:
            del self.fields["finished"]
        else:
            self.fields["finished"].required = True
            self.fields["finished"].error_messages["required"] = (
                "Tick the box to confirm you have finished it."
            )
        self.fields["reflection"].required = reflection_required
        self.fields["reflection"].error_messages["required"] = (
            "Write your reflection: what you learned and what you will try with your students."
        )

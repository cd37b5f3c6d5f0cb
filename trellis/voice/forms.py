"""HTML input shaping for the voice pages. Services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.growth.forms import competency_choices
from trellis.growth.models import LearningFormat
from trellis.growth.queries import CompetencyMap
from trellis.voice.models import RequestStatus, VolunteerKind, VolunteerStatus
from trellis.voice.queries import NO_COMPETENCY

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class TopicRequestForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Topic",
        help_text="A short name, e.g. “Co-teaching with special education colleagues”.",
    )
    details = forms.CharField(widget=TEXTAREA, max_length=4000, label="What do you need, and why?")
    competency = forms.ChoiceField(
        required=False, label="Competency", help_text="From your district's framework."
    )
    preferred_format = forms.ChoiceField(
        required=False,
        label="Preferred format",
        choices=[("", "Any format"), *list(LearningFormat.choices)],
    )
    allow_similar = forms.BooleanField(
        required=False, label="My request asks for something different: post it anyway"
    )

    def __init__(self, *args: Any, cmap: CompetencyMap | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [
            ("", "No particular competency"),
            *competency_choices(cmap),
        ]


class RequestFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    competency = forms.ChoiceField(required=False, label="Competency")
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[
            ("", "Open or planned"),
            ("open", "Open"),
            ("planned", "Planned"),
            ("delivered", "Delivered"),
            ("declined", "Declined"),
            ("all", "All"),
        ],
    )
    school = forms.ChoiceField(required=False, label="School")
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[("votes", "Most votes"), ("newest", "Newest")],
    )

    def __init__(
        self, *args: Any, cmap: CompetencyMap | None, schools: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [
            ("", "Any competency"),
            *competency_choices(cmap),
            (NO_COMPETENCY, "No competency named"),
        ]
        self.fields["school"].choices = [("", "Any school")] + [
            (str(s.public_id), s.name) for s in schools
        ]


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    offering = forms.ChoiceField(
        required=False,
        label="Offering that answers it",
        help_text="Optional: link the offering planned or delivered.",
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        label="Reason or note",
        help_text="Required when declining; the requester and voters read it.",
    )

    def __init__(
        self, *args: Any, statuses: list[str], offerings: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(RequestStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]
        self.fields["offering"].choices = [("", "None")] + [
            (str(o.public_id), o.title) for o in offerings
        ]


class VolunteerForm(forms.Form):
    kind = forms.ChoiceField(
        choices=VolunteerKind.choices, widget=forms.RadioSelect, label="I offer to"
    )
    competencies = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Competencies you could share",
        help_text="Optional; choose up to 10.",
    )
    note = forms.CharField(
        required=False,
        widget=TEXTAREA,
        max_length=4000,
        label="Note",
        help_text="What you would lead, your experience with it.",
    )
    availability = forms.CharField(
        required=False,
        max_length=300,
        label="Availability",
        help_text="e.g. “Tuesdays after school, from January”.",
    )

    def __init__(self, *args: Any, cmap: CompetencyMap | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competency_choices(cmap)


class OfferStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    note = forms.CharField(
        required=False,
        max_length=4000,
        label="Note to the volunteer",
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(VolunteerStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]


class OfferFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, label="Kind", choices=[("", "Any kind"), *list(VolunteerKind.choices)]
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Waiting or contacted"), *list(VolunteerStatus.choices)],
    )

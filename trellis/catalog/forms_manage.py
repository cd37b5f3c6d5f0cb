"""HTML input shaping for managing the catalog: offerings, sessions, status, import. The
services check everything again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from trellis.catalog.models import EvidenceTier, Offering, OfferingSession, OfferingStatus
from trellis.catalog.offering_choices import (
    CAREER_STAGE_CHOICES,
    CATEGORY_CHOICES,
    DESIGN_FEATURE_CHOICES,
    EVIDENCE_CHOICES,
    FORMAT_CHOICES,
    GRADE_BAND_CHOICES,
    KIND_CHOICES,
    POSITION_CHOICES,
    REGISTRATION_CHOICES,
    STUDENT_GROUP_CHOICES,
    UNIT_CHOICES,
)
from trellis.catalog.queries.offerings import district_zone
from trellis.catalog.services.offering_fields import OFFERING_FIELDS
from trellis.growth.forms import competency_choices
from trellis.growth.queries import CompetencyMap

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _checkboxes(choices: Any, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class OfferingForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=300, required=False, help_text="One sentence, shown in the catalog list."
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
        help_text="What participants do and take away. Needed to publish.",
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    format = forms.ChoiceField(choices=FORMAT_CHOICES)
    provider = forms.CharField(
        max_length=200, required=False, help_text="Who runs it. Needed to publish."
    )
    provider_approved = forms.BooleanField(
        required=False,
        label="The provider is approved by the state for renewal credit",
        help_text="For example a NYSED-approved CTLE sponsor.",
    )
    location = forms.CharField(max_length=300, required=False, help_text="Where it meets.")
    link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Where to join or read more.",
    )
    hours = forms.DecimalField(
        min_value=Decimal("0.25"),
        max_digits=6,
        decimal_places=2,
        help_text="Expected time in hours, sessions and work between them.",
    )
    cost = forms.DecimalField(
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        initial=Decimal(0),
        label="Cost per participant ($)",
        help_text="0 for free.",
    )
    during_school_hours = forms.BooleanField(
        required=False,
        label="Takes place during school hours",
        help_text="Participants miss class time and may need a substitute.",
    )
    competencies = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Competencies addressed",
    )
    grade_bands = _checkboxes(GRADE_BAND_CHOICES, "Grade bands")
    subjects = forms.CharField(
        required=False, max_length=1000, help_text="Separate subjects with commas."
    )
    positions = _checkboxes(POSITION_CHOICES, "Roles")
    career_stages = _checkboxes(CAREER_STAGE_CHOICES, "Career stages")
    students_served = _checkboxes(STUDENT_GROUP_CHOICES, "Students served")
    leadership = forms.BooleanField(
        required=False,
        label="A leadership path",
        help_text="Becoming an assessor, leading a PLC, presenting a session, mentoring: "
        "recommendations keep a slot for it for experienced and veteran educators.",
    )
    evidence_tier = forms.ChoiceField(
        choices=EVIDENCE_CHOICES, initial=EvidenceTier.NONE, label="ESSA evidence tier"
    )
    evidence_citation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="The study behind the tier. Required unless “No evidence tier”.",
    )
    design_features = _checkboxes(
        DESIGN_FEATURE_CHOICES,
        "Research-based design features",
        "Features of professional learning that research links to changed practice.",
    )
    credit_amount = forms.DecimalField(
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        initial=Decimal(0),
        label="Credit on completion",
    )
    credit_unit = forms.ChoiceField(choices=UNIT_CHOICES, label="Credit unit")
    credit_category = forms.ChoiceField(
        choices=CATEGORY_CHOICES,
        label="Credit category",
        help_text="How renewal rules count it (caps and quotas apply per category).",
    )
    topics = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Topic tags that renewal quotas count, separated by commas, e.g. ell.",
    )
    registration = forms.ChoiceField(choices=REGISTRATION_CHOICES)
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100000,
        help_text="Seats for a whole-offering registration; empty for no limit. (Per-session "
        "seats are set on each session.)",
    )
    waitlist_enabled = forms.BooleanField(required=False, label="Keep a waitlist when full")
    enrolment_opens = forms.BooleanField(
        required=False,
        label="Educators may request to enrol",
        help_text="Off: listed for information only.",
    )
    requires_reflection = forms.BooleanField(
        required=False, label="Completion needs a written reflection or artifact"
    )

    CHECKBOX_GROUPS = ("grade_bands", "positions", "career_stages", "students_served")
    SECTIONS = (
        (
            "About",
            ("title", "summary", "description", "kind", "format", "provider", "provider_approved"),
        ),
        ("Where and how long", ("location", "link", "hours", "cost", "during_school_hours")),
        ("Leadership", ("leadership",)),
        (
            "Credit",
            ("credit_amount", "credit_unit", "credit_category", "topics", "requires_reflection"),
        ),
        ("Registration", ("registration", "capacity", "waitlist_enabled", "enrolment_opens")),
    )

    def __init__(
        self,
        *args: Any,
        cmap: CompetencyMap | None,
        current: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cmap = cmap
        choices = competency_choices(cmap)
        offered = {value for _group, options in choices for value, _label in options}
        earlier = [item for item in current or [] if str(item.public_id) not in offered]
        if earlier:  # aligned to a framework the district no longer uses: keep them choosable
            choices.append(
                ("From an earlier framework", [(str(i.public_id), str(i)) for i in earlier])
            )
        self.fields["competencies"].choices = choices
        self.competency_groups = choices

    def clean_subjects(self) -> list[str]:
        return _split(self.cleaned_data["subjects"])

    def clean_topics(self) -> list[str]:
        return [t.lower() for t in _split(self.cleaned_data["topics"])]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        tier = data.get("evidence_tier")
        if tier and tier != EvidenceTier.NONE and not (data.get("evidence_citation") or "").strip():
            self.add_error(
                "evidence_citation",
                "Give the citation of the study behind the evidence tier (or choose “No evidence "
                "tier”).",
            )
        return data

    @classmethod
    def initial_for(cls, offering: Offering | None) -> dict[str, Any]:
        if offering is None:
            return {
                "cost": Decimal(0),
                "credit_amount": Decimal(0),
                "credit_unit": "clock_hour",
                "credit_category": "workshop",
                "evidence_tier": EvidenceTier.NONE,
                "waitlist_enabled": True,
                "enrolment_opens": True,
            }
        initial = {name: getattr(offering, name) for name in OFFERING_FIELDS}
        initial["competencies"] = [str(item.public_id) for item in offering.competencies.all()]
        initial["subjects"] = ", ".join(offering.subjects)
        initial["topics"] = ", ".join(offering.topics)
        return initial

    def section_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def checkbox_groups(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CHECKBOX_GROUPS]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[], label="Move to")

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, OfferingStatus(s).label) for s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = (
            "That status cannot be reached from the current one."
        )


class SessionForm(forms.Form):
    date = forms.DateField(widget=DATE_INPUT)
    start_time = forms.TimeField(widget=TIME_INPUT, label="Starts at")
    end_time = forms.TimeField(widget=TIME_INPUT, label="Ends at")
    location = forms.CharField(
        max_length=300, required=False, help_text="Empty: the offering's location."
    )
    link = forms.URLField(
        max_length=500, required=False, assume_scheme="https", help_text="For online sessions."
    )
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100000,
        help_text="Seats when educators choose a session; empty for no limit.",
    )
    facilitator = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, district: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.members = {str(person.public_id): person for person in members}
        self.fields["facilitator"].choices = [("", "No facilitator yet")] + [
            (key, person.full_name or person.email) for key, person in self.members.items()
        ]
        self.fields[
            "date"
        ].help_text = f"Times are in the district's time zone ({district.timezone})."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "The session must end after it starts.")
            else:
                zone = district_zone(self.district)
                data["starts_at"] = dt.datetime.combine(day, start, tzinfo=zone)
                data["ends_at"] = dt.datetime.combine(day, end, tzinfo=zone)
        return data

    def session_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location": data.get("location") or "",
            "link": data.get("link") or "",
            "capacity": data.get("capacity"),
            "facilitator": self.members.get(data.get("facilitator") or ""),
        }

    @staticmethod
    def initial_for(session: OfferingSession, district: Any) -> dict[str, Any]:
        zone = district_zone(district)
        start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        return {
            "date": start.date(),
            "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0),
            "location": session.location,
            "link": session.link,
            "capacity": session.capacity,
            "facilitator": str(session.facilitator.public_id) if session.facilitator else "",
        }


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to the people enrolled.",
    )


class CatalogImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One offering per row, columns as in the table below. Every row is checked "
        "first; nothing is saved unless every row is valid. At most 5 MB.",
    )

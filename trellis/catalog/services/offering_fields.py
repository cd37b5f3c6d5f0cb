"""Checking an offering's fields, shared by the form, the API and the CSV import.

`check_offering_fields` collects every problem (the import reports them all, row by row);
the services raise the first one as a DomainError naming its field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from trellis.catalog.models import EvidenceTier, OfferingStatus
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
    UNSCHEDULED_KINDS,
    Choices,
)
from trellis.core.errors import DomainError
from trellis.frameworks.models import FrameworkItem

# Every field an offering's editor sets (status, dates and the source id are managed apart).
OFFERING_FIELDS = (
    "title",
    "summary",
    "description",
    "kind",
    "format",
    "provider",
    "provider_approved",
    "location",
    "link",
    "hours",
    "cost",
    "during_school_hours",
    "competencies",
    "grade_bands",
    "subjects",
    "positions",
    "career_stages",
    "students_served",
    "leadership",
    "evidence_tier",
    "evidence_citation",
    "design_features",
    "credit_amount",
    "credit_unit",
    "credit_category",
    "topics",
    "registration",
    "capacity",
    "waitlist_enabled",
    "enrolment_opens",
    "requires_reflection",
)
DEFAULTS: dict[str, Any] = {
    "summary": "",
    "description": "",
    "provider": "",
    "provider_approved": False,
    "location": "",
    "link": "",
    "cost": Decimal(0),
    "during_school_hours": False,
    "competencies": [],
    "grade_bands": [],
    "subjects": [],
    "positions": [],
    "career_stages": [],
    "students_served": [],
    "leadership": False,
    "evidence_tier": EvidenceTier.NONE.value,
    "evidence_citation": "",
    "design_features": [],
    "credit_amount": Decimal(0),
    "credit_unit": "clock_hour",
    "credit_category": "workshop",
    "topics": [],
    "registration": "whole",
    "capacity": None,
    "waitlist_enabled": True,
    "enrolment_opens": True,
    "requires_reflection": False,
}
LIST_CHOICES: dict[str, tuple[str, Choices]] = {
    "grade_bands": ("grade band", GRADE_BAND_CHOICES),
    "positions": ("role", POSITION_CHOICES),
    "career_stages": ("career stage", CAREER_STAGE_CHOICES),
    "students_served": ("student group", STUDENT_GROUP_CHOICES),
    "design_features": ("design feature", DESIGN_FEATURE_CHOICES),
}
ONE_CHOICE: dict[str, tuple[str, Choices]] = {
    "kind": ("kind", KIND_CHOICES),
    "format": ("format", FORMAT_CHOICES),
    "evidence_tier": ("evidence tier", EVIDENCE_CHOICES),
    "credit_unit": ("credit unit", UNIT_CHOICES),
    "credit_category": ("credit category", CATEGORY_CHOICES),
    "registration": ("registration", REGISTRATION_CHOICES),
}
TEXT_LIMITS = {  # field: (label, max length, required)
    "title": ("title", 200, True),
    "summary": ("summary", 300, False),
    "description": ("description", 20000, False),
    "provider": ("provider", 200, False),
    "location": ("location", 300, False),
    "link": ("link", 500, False),
    "evidence_citation": ("evidence citation", 2000, False),
}
NUMBER_LIMITS = {  # field: (label, smallest, largest)
    "hours": ("number of hours", Decimal("0.25"), Decimal("9999.99")),
    "cost": ("cost", Decimal(0), Decimal("9999999.99")),
    "credit_amount": ("credit amount", Decimal(0), Decimal("9999.99")),
}
MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_CAPACITY = 100000
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str

    def error(self) -> DomainError:
        return DomainError(self.code, self.message, details={"field": self.field})


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _tags(values: Any, *, lower: bool) -> list[str]:
    found: list[str] = []
    for raw in values or []:
        text = " ".join(str(raw).split())
        text = text.lower() if lower else text
        if text and text.lower() not in {t.lower() for t in found}:
            found.append(text)
    return found


def resolve_competencies(district: Any, values: Any) -> tuple[list[FrameworkItem], list[str]]:
    """Items of the district's own frameworks, given as objects or public ids (text), in the
    order given; also returns the values that are not such items. One query."""
    wanted: list[tuple[str, Any]] = []  # (how it was given, lookup key)
    unknown: list[str] = []
    for value in values or []:
        if isinstance(value, FrameworkItem):
            wanted.append((str(value), ("pk", value.pk)))
            continue
        try:
            wanted.append((str(value), ("public_id", uuid.UUID(str(value)))))
        except ValueError:
            unknown.append(str(value))
    if not wanted:
        return [], unknown
    pks = [key for _text, (kind, key) in wanted if kind == "pk"]
    public_ids = [key for _text, (kind, key) in wanted if kind == "public_id"]
    found = FrameworkItem.objects.filter(framework__district=district).filter(
        Q(pk__in=pks) | Q(public_id__in=public_ids)
    )
    by_key = {}
    for item in found:
        by_key[("pk", item.pk)] = item
        by_key[("public_id", item.public_id)] = item
    items: dict[int, FrameworkItem] = {}
    for text, key in wanted:
        item = by_key.get(key)
        if item is None:
            unknown.append(text)
        else:
            items.setdefault(item.pk, item)
    return list(items.values()), unknown


def check_offering_fields(
    district: Any, fields: dict[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Normalise every field (defaults for the missing ones) and list what is wrong."""
    unknown_fields = sorted(set(fields) - set(OFFERING_FIELDS))
    if unknown_fields:
        raise TypeError(f"Unknown offering fields: {', '.join(unknown_fields)}")
    data = {**DEFAULTS, **fields}
    clean: dict[str, Any] = {}
    problems: list[FieldProblem] = []

    def problem(field: str, code: str, message: str) -> None:
        problems.append(FieldProblem(field, code, message))

    for field, (label, limit, required) in TEXT_LIMITS.items():
        text = str(data.get(field) or "").strip()
        if required and not text:
            problem(field, f"{field}_required", f"Enter the {label}.")
        elif len(text) > limit:
            problem(
                field,
                f"{field}_too_long",
                f"The {label} is too long: at most {limit} characters ({len(text)} given).",
            )
        clean[field] = text
    if clean["link"]:
        try:
            _url(clean["link"])
        except ValidationError:
            problem("link", "bad_link", f"The link “{clean['link']}” is not a web address.")

    for field, (label, choices) in ONE_CHOICE.items():
        value = str(data.get(field) or "").strip()
        if value not in dict(choices):
            allowed = ", ".join(v for v, _ in choices)
            problem(
                field,
                f"bad_{field}",
                f"Unknown {label} “{value}”. Choose one of: {allowed}."
                if value
                else f"Choose the {label}.",
            )
        clean[field] = value

    for field, (label, smallest, largest) in NUMBER_LIMITS.items():
        number = _decimal(data.get(field))
        if number is None:
            problem(field, f"bad_{field}", f"The {label} must be a number.")
        elif not smallest <= number <= largest:
            problem(
                field,
                f"bad_{field}",
                f"The {label} must be between {smallest} and {largest} ({number} given).",
            )
        elif number != number.quantize(Decimal("0.01")):
            problem(field, f"bad_{field}", f"The {label} has at most 2 decimal places.")
        clean[field] = number

    for field, (label, choices) in LIST_CHOICES.items():
        values = _tags(data.get(field), lower=True)
        known = dict(choices)
        bad = [v for v in values if v not in known]
        if bad:
            allowed = ", ".join(known)
            problem(
                field,
                f"bad_{field}",
                f"Unknown {label}{'s' if len(bad) > 1 else ''} "
                f"{', '.join(f'“{v}”' for v in bad)}. Choose from: {allowed}.",
            )
        clean[field] = [v for v in values if v in known]

    for field, label in (("subjects", "subjects"), ("topics", "topics")):
        values = _tags(data.get(field), lower=(field == "topics"))
        if len(values) > MAX_TAGS:
            problem(
                field, f"too_many_{field}", f"At most {MAX_TAGS} {label} ({len(values)} given)."
            )
        too_long = [v for v in values if len(v) > MAX_TAG_LENGTH]
        if too_long:
            problem(
                field,
                f"{field}_too_long",
                f"Each of the {label} has at most {MAX_TAG_LENGTH} characters: “{too_long[0]}”.",
            )
        clean[field] = values

    for field in ("provider_approved", "during_school_hours", "waitlist_enabled", "leadership"):
        clean[field] = bool(data.get(field))
    clean["enrolment_opens"] = bool(data.get("enrolment_opens"))
    clean["requires_reflection"] = bool(data.get("requires_reflection"))

    capacity = data.get("capacity")
    if capacity in (None, ""):
        clean["capacity"] = None
    else:
        try:
            clean["capacity"] = int(str(capacity))
        except ValueError:
            clean["capacity"] = None
            problem("capacity", "bad_capacity", "The capacity must be a whole number of seats.")
        else:
            if not 1 <= clean["capacity"] <= MAX_CAPACITY:
                problem(
                    "capacity",
                    "bad_capacity",
                    f"The capacity must be between 1 and {MAX_CAPACITY} seats, or empty for no "
                    "limit.",
                )

    if clean["evidence_tier"] not in ("", EvidenceTier.NONE) and not clean["evidence_citation"]:
        problem(
            "evidence_citation",
            "citation_required",
            "Give the citation of the study behind the evidence tier (or choose “No evidence "
            "tier”).",
        )

    items, unknown = resolve_competencies(district, data.get("competencies"))
    if unknown:
        problem(
            "competencies",
            "unknown_competency",
            f"Unknown competenc{'ies' if len(unknown) > 1 else 'y'} "
            f"{', '.join(unknown)}: choose competencies of {district.name}'s framework.",
        )
    clean["competencies"] = items
    return clean, problems


def clean_offering_fields(district: Any, fields: dict[str, Any]) -> dict[str, Any]:
    clean, problems = check_offering_fields(district, fields)
    if problems:
        raise problems[0].error()
    return clean


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------

# A PD leader publishes their own draft directly; proposals (from educators) and the vetting
# queue go through review first.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OfferingStatus.DRAFT: (OfferingStatus.PUBLISHED, OfferingStatus.UNDER_REVIEW),
    OfferingStatus.PROPOSED: (OfferingStatus.UNDER_REVIEW, OfferingStatus.DRAFT),
    OfferingStatus.UNDER_REVIEW: (OfferingStatus.PUBLISHED, OfferingStatus.DRAFT),
    OfferingStatus.PUBLISHED: (OfferingStatus.RETIRED,),
    OfferingStatus.RETIRED: (),
}


def publish_problems(
    *, kind: str, hours: Any, provider: str, description: str, scheduled_sessions: int
) -> list[str]:
    """What stops an offering from being published ([] when nothing does)."""
    problems = []
    if not hours:
        problems.append("Give the number of hours.")
    if not provider.strip():
        problems.append("Name the provider.")
    if not description.strip():
        problems.append("Write a description.")
    if kind not in UNSCHEDULED_KINDS and scheduled_sessions == 0:
        problems.append("Add at least one session (a date when it meets).")
    return problems

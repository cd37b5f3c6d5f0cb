"""The dashboard's filters: parsed from GET parameters, checked against the caller's district and
report scope, and turned back into parameters for links and exports.

GET parameters: from, to (YYYY-MM-DD), school (public id), role (a position value), stage (a
career stage), competency (public id of a competency of the adopted framework).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trellis.core.errors import DomainError
from trellis.districts.models import School
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries
from trellis.growth.career import CareerStage
from trellis.growth.models import Position
from trellis.reports.permissions import report_scope

PARAMS = ("from", "to", "school", "role", "stage", "competency")
EARLIEST = dt.date(2000, 1, 1)


class FilterError(DomainError):
    """One or more filter values are not usable; `field_errors` says which and why."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        message = " ".join(field_errors.values())
        super().__init__("invalid_filters", message, details={"fields": field_errors})
        self.field_errors = field_errors


@dataclass(frozen=True)
class ReportFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: School | None = None
    role: str | None = None
    career_stage: str | None = None
    competency: FrameworkItem | None = None

    def as_query(self) -> dict[str, str]:
        """Back to GET parameters (public ids), omitting the empty ones."""
        query = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "school": str(self.school.public_id) if self.school else "",
            "role": self.role or "",
            "stage": self.career_stage or "",
            "competency": str(self.competency.public_id) if self.competency else "",
        }
        return {key: value for key, value in query.items() if value}

    def describe(self) -> list[tuple[str, str]]:
        """("School", "Lincoln Elementary") pairs for display; empty when nothing is filtered."""
        shown: list[tuple[str, str]] = []
        if self.date_from:
            shown.append(("From", self.date_from.isoformat()))
        if self.date_to:
            shown.append(("To", self.date_to.isoformat()))
        if self.school:
            shown.append(("School", self.school.name))
        if self.role:
            shown.append(("Role", Position(self.role).label))
        if self.career_stage:
            shown.append(("Career stage", CareerStage(self.career_stage).label))
        if self.competency:
            shown.append(("Competency", str(self.competency)))
        return shown

    @property
    def month_from(self) -> dt.date | None:
        return self.date_from.replace(day=1) if self.date_from else None

    @property
    def month_to(self) -> dt.date | None:
        return self.date_to.replace(day=1) if self.date_to else None


def _date(raw: str, label: str, errors: dict[str, str], key: str) -> dt.date | None:
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors[key] = f"{label} must be a date written YYYY-MM-DD, e.g. 2026-09-01."
        return None
    if value < EARLIEST or value.year > 2200:
        errors[key] = f"{label} must be between {EARLIEST.isoformat()} and 2200-12-31."
        return None
    return value


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def competencies(access: DistrictAccess) -> list[FrameworkItem]:
    """The adopted framework's competencies, in tree order (empty without a framework)."""
    framework = growth_queries.adopted_framework(access.district)
    return growth_queries.competency_map(framework).competencies if framework else []


def parse_filters(access: DistrictAccess, data: Mapping[str, Any]) -> ReportFilters:
    """Check every parameter; FilterError lists each bad one and nothing is returned.

    A principal (school-scoped access) is always restricted to their school(s): no school given
    picks their only school, another school is refused.
    """
    scope = report_scope(access)
    raw = {key: str(data.get(key) or "").strip() for key in PARAMS}
    errors: dict[str, str] = {}
    date_from = _date(raw["from"], "The start date", errors, "from") if raw["from"] else None
    date_to = _date(raw["to"], "The end date", errors, "to") if raw["to"] else None
    if date_from and date_to and date_from > date_to:
        errors["to"] = "The end date must be on or after the start date."

    school = None
    if raw["school"]:
        public_id = _uuid(raw["school"])
        if public_id is not None:
            school = School.objects.filter(district=access.district, public_id=public_id).first()
        if school is None:
            errors["school"] = "No such school in this district."
        elif not scope.allows_school(school.pk):
            errors["school"] = "You can only see reports for your own school."
    elif not scope.whole_district and len(scope.school_ids or ()) == 1:
        school = School.objects.filter(pk=next(iter(scope.school_ids or ()))).first()

    role = raw["role"] or None
    if role and role not in Position.values:
        errors["role"] = "Unknown role: choose one of " + ", ".join(Position.values) + "."
    stage = raw["stage"] or None
    if stage and stage not in {s.value for s in CareerStage}:
        errors["stage"] = (
            "Unknown career stage: choose one of " + ", ".join(s.value for s in CareerStage) + "."
        )

    competency = None
    if raw["competency"]:
        public_id = _uuid(raw["competency"])
        if public_id is not None:
            competency = FrameworkItem.objects.filter(
                framework__district=access.district,
                framework__is_adopted=True,
                kind=FrameworkItem.Kind.COMPETENCY,
                public_id=public_id,
            ).first()
        if competency is None:
            errors["competency"] = "No such competency in this district's framework."

    if errors:
        raise FilterError(errors)
    return ReportFilters(
        date_from=date_from,
        date_to=date_to,
        school=school,
        role=role,
        career_stage=stage,
        competency=competency,
    )


def filter_choices(access: DistrictAccess) -> dict[str, list[tuple[str, str]]]:
    """(value, label) options for the filter form's selects, limited to the caller's scope."""
    scope = report_scope(access)
    schools = School.objects.filter(district=access.district).order_by("name", "pk")
    if not scope.whole_district:
        schools = schools.filter(pk__in=scope.school_ids or ())
    return {
        "school": [(str(s.public_id), s.name) for s in schools],
        "role": [(value, label) for value, label in Position.choices],
        "stage": [(stage.value, stage.label) for stage in CareerStage],
        "competency": [(str(item.public_id), str(item)) for item in competencies(access)],
    }

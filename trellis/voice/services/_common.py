"""Checks shared by the voice services: competencies of the adopted framework."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis.core.errors import DomainError
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries

MAX_TEXT = 4000
MAX_VOLUNTEER_COMPETENCIES = 10


def resolve_competency(access: DistrictAccess, value: Any, *, field: str) -> FrameworkItem | None:
    if value in (None, ""):
        return None
    framework = growth_queries.adopted_framework(access.district)
    key = str(getattr(value, "public_id", value)).strip().lower()
    item = growth_queries.competency_map(framework).by_public_id().get(key) if framework else None
    if item is None:
        raise DomainError(
            "unknown_competency",
            f"“{value}” is not a competency of the district's adopted framework.",
            details={"field": field},
        )
    return item


def resolve_competencies(access: DistrictAccess, values: Sequence[Any]) -> list[FrameworkItem]:
    if len(values) > MAX_VOLUNTEER_COMPETENCIES:
        raise DomainError(
            "too_many_competencies",
            f"Choose at most {MAX_VOLUNTEER_COMPETENCIES} competencies.",
            details={"field": "competencies"},
        )
    chosen: list[FrameworkItem] = []
    for value in values:
        item = resolve_competency(access, value, field="competencies")
        if item is not None and item not in chosen:
            chosen.append(item)
    return chosen

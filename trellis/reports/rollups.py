"""The rollup summary tables, summed in memory from the per-educator rows a refresh has just
built (`summaries.refresh_district`), so they always agree with them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from trellis.reports.models import (
    ReportEducator,
    ReportMonthRollup,
    ReportParticipation,
    ReportPeopleRollup,
)


def people_rollup(district: Any, people: list[ReportEducator]) -> list[ReportPeopleRollup]:
    """The educators' rows summed per dimension cell and renewal standing."""
    cells: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for person in people:
        cell = cells[(person.school_id, person.role, person.career_stage, person.renewal_status)]
        cell[0] += 1
        cell[1] += 1 if person.learning_months else 0
        cell[2] += person.completions
        cell[3] += person.hours
    return [
        ReportPeopleRollup(
            district=district,
            school_id=school_id,
            role=role,
            career_stage=stage,
            renewal_status=status,
            educators=educators,
            participants=participants,
            completions=completions,
            hours=hours,
        )
        for (school_id, role, stage, status), (educators, participants, completions, hours) in (
            cells.items()
        )
    ]


def month_rollup(district: Any, learning: list[ReportParticipation]) -> list[ReportMonthRollup]:
    """The monthly participation rows summed per dimension cell and month."""
    cells: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for row in learning:
        cell = cells[(row.school_id, row.role, row.career_stage, row.month)]
        cell[0] += 1  # one participation row per educator and month
        cell[1] += row.enrolments
        cell[2] += row.completions
        cell[3] += row.hours
    return [
        ReportMonthRollup(
            district=district,
            school_id=school_id,
            role=role,
            career_stage=stage,
            month=month,
            participants=participants,
            enrolments=enrolments,
            completions=completions,
            hours=hours,
        )
        for (school_id, role, stage, month), (participants, enrolments, completions, hours) in (
            cells.items()
        )
    ]

"""Dashboard tables about people: participation, micro-credentials, renewal, competency need.

Every builder reads only the summary tables (reports.models) and returns a ReportTable whose
numbers carry drill keys (see drill.py) to the list behind them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from trellis.districts.models import School
from trellis.growth.career import CareerStage
from trellis.growth.models import Position
from trellis.reports.drill import ASSESSMENT_DAYS_TARGET, drill_key
from trellis.reports.filters import ReportFilters
from trellis.reports.models import (
    ReportEducator,
    ReportFunnel,
    ReportMonthRollup,
    ReportNeed,
    ReportParticipation,
    ReportPeopleRollup,
)
from trellis.reports.permissions import ReportScope
from trellis.reports.scoping import NO_SCHOOL, per, ratio, scoped
from trellis.reports.tables import Cell, Column, ColumnKind, ReportTable

ZERO = Decimal(0)
AT_RISK = ("behind_pace", "past_deadline")
RENEWAL_STATES = ("on_track", "behind_pace", "past_deadline", "complete")

PARTICIPATION_COLUMNS = [
    Column("educators", "Educators", ColumnKind.INTEGER, "Active educators at refresh time"),
    Column("participants", "Participants", ColumnKind.INTEGER, "Educators with any learning"),
    Column("rate", "Participation rate", ColumnKind.PERCENT, "Participants / educators"),
    Column("completions", "Completions", ColumnKind.INTEGER, "Catalog offerings completed"),
    Column("hours", "Hours", ColumnKind.DECIMAL, "Credit hours earned, every source"),
    Column("hours_per_educator", "Hours per educator", ColumnKind.DECIMAL),
]


def school_names(access: Any, scope: ReportScope) -> list[tuple[int | None, str, str]]:
    """(pk, drill value, name) of the schools in scope, by name, then "No school" for a district."""
    schools = School.objects.filter(district=access.district).order_by("name", "pk")
    if not scope.whole_district:
        schools = schools.filter(pk__in=scope.school_ids or ())
    found = [(s.pk, str(s.public_id), s.name) for s in schools]
    if scope.whole_district:
        found.append((None, NO_SCHOOL, "No school on record"))
    return found


def _dimension_rows(
    access: Any, scope: ReportScope, filters: ReportFilters, dimension: str
) -> list[tuple[Any, str, str]]:
    """(stored value, drill value, label) for each row of a by-dimension table."""
    if dimension == "school_id":
        rows = school_names(access, scope)
        if filters.school is not None:
            rows = [row for row in rows if row[0] == filters.school.pk]
        return rows
    if dimension == "role":
        values = [(v, v, label) for v, label in Position.choices]
        chosen = filters.role
    else:
        values = [(s.value, s.value, s.label) for s in CareerStage]
        chosen = filters.career_stage
    values.append(("", NO_SCHOOL, "Not recorded"))
    return [row for row in values if not chosen or row[0] == chosen]


def participation_by(
    access: Any, scope: ReportScope, filters: ReportFilters, *, key: str, title: str, dimension: str
) -> ReportTable:
    param = {"school_id": "school", "role": "role", "career_stage": "stage"}[dimension]
    educators, learning = _headcount_and_learning(access, scope, filters, dimension)
    rows = []
    for stored, drill_value, label in _dimension_rows(access, scope, filters, dimension):
        headcount = educators.get(stored, 0)
        found = learning.get(stored, {})
        if not headcount and not found and stored in (None, ""):
            continue  # no "no school" / "not recorded" row when nobody is in it
        participants = found.get("participants", 0)
        hours = Decimal(found.get("hours") or 0)
        rows.append(
            [
                Cell(label),
                Cell(headcount, drill_key("educators", **{param: drill_value})),
                Cell(participants, drill_key("participants", **{param: drill_value})),
                Cell(ratio(participants, headcount)),
                Cell(found.get("completions") or 0),
                Cell(hours),
                Cell(per(hours, headcount)),
            ]
        )
    first = Column(param, {"school": "School", "role": "Role", "stage": "Career stage"}[param])
    return ReportTable(key=key, title=title, columns=[first, *PARTICIPATION_COLUMNS], rows=rows)


def _headcount_and_learning(
    access: Any, scope: ReportScope, filters: ReportFilters, dimension: str
) -> tuple[dict[Any, int], dict[Any, dict[str, Any]]]:
    """Educators per dimension value, and their learning (participants, completions, hours)."""
    people = scoped(ReportEducator.objects, access, scope, filters, dated=False)
    if undated(filters):
        # The rollup holds both, already summed per dimension cell (one row per educator would
        # be a scan of the whole district for each table).
        rows = list(
            scoped(ReportPeopleRollup.objects, access, scope, filters, dated=False)
            .values(dimension)
            .annotate(
                n=Sum("educators"),
                participants=Sum("participants"),
                completions=Sum("completions"),
                hours=Sum("hours"),
            )
            .order_by()
        )
        return {row[dimension]: row["n"] for row in rows}, {row[dimension]: row for row in rows}
    educators = dict(
        people.values_list(dimension).annotate(n=Count("id")).values_list(dimension, "n").order_by()
    )
    learning = {
        row[dimension]: row
        for row in learning_rows(access, scope, filters)
        .values(dimension)
        .annotate(**learning_aggregates(filters))
        .order_by()
    }
    return educators, learning


def participation_over_time(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    months = (
        scoped(ReportMonthRollup.objects, access, scope, filters)
        .values("month")
        .annotate(
            # The rollup's participants are rows of ReportParticipation, one per educator and
            # month, so their sum counts people.
            participants=Sum("participants"),
            enrolments=Sum("enrolments"),
            completions=Sum("completions"),
            hours=Sum("hours"),
        )
        .order_by("month")
    )
    rows = [
        [
            Cell(row["month"].strftime("%Y-%m")),
            Cell(
                row["participants"], drill_key("participants", month=row["month"].strftime("%Y-%m"))
            ),
            Cell(row["enrolments"] or 0),
            Cell(row["completions"] or 0),
            Cell(Decimal(row["hours"] or 0)),
        ]
        for row in months
    ]
    return ReportTable(
        key="participation_over_time",
        title="Participation over time",
        columns=[
            Column("month", "Month"),
            Column("participants", "Participants", ColumnKind.INTEGER),
            Column("enrolments", "Enrolment requests", ColumnKind.INTEGER),
            Column("completions", "Completions", ColumnKind.INTEGER),
            Column("hours", "Hours", ColumnKind.DECIMAL),
        ],
        rows=rows,
    )


def funnel_totals(access: Any, scope: ReportScope, filters: ReportFilters) -> dict[str, Any]:
    totals = scoped(ReportFunnel.objects, access, scope, filters).aggregate(
        started=Sum("started"),
        submitted=Sum("submitted"),
        earned=Sum("earned"),
        assessed=Sum("assessed"),
        days=Sum("assessment_days"),
        within=Sum("assessed_within_target"),
    )
    return {key: value or 0 for key, value in totals.items()}


def microcredential_funnel(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    totals = funnel_totals(access, scope, filters)
    stages = [
        ("started", "Started"),
        ("submitted", "Submitted for assessment"),
        ("earned", "Earned"),
    ]
    rows = [
        [
            Cell(label),
            Cell(totals[stage], drill_key("mc", step=stage)),
            Cell(ratio(totals[stage], totals["started"])),
        ]
        for stage, label in stages
    ]
    return ReportTable(
        key="microcredential_funnel",
        title="Micro-credentials: started, submitted, earned",
        columns=[
            Column("stage", "Stage"),
            Column("count", "Submissions", ColumnKind.INTEGER, "Counted in the month it happened"),
            Column("share", "Share of started", ColumnKind.PERCENT),
        ],
        rows=rows if totals["started"] or totals["submitted"] or totals["earned"] else [],
    )


def time_to_assessment(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    by_school = {
        row["school_id"]: row
        for row in scoped(ReportFunnel.objects, access, scope, filters)
        .values("school_id")
        .annotate(
            assessed=Sum("assessed"),
            days=Sum("assessment_days"),
            within=Sum("assessed_within_target"),
        )
        .order_by()
    }
    rows = []
    for pk, drill_value, name in school_names(access, scope):
        found = by_school.get(pk)
        if not found or not found["assessed"]:
            continue
        rows.append(
            [
                Cell(name),
                Cell(found["assessed"], drill_key("mc", step="assessed", school=drill_value)),
                Cell(per(found["days"], found["assessed"])),
                Cell(ratio(found["within"], found["assessed"])),
            ]
        )
    return ReportTable(
        key="time_to_assessment",
        title="Time to assessment",
        columns=[
            Column("school", "School"),
            Column("assessed", "Assessed", ColumnKind.INTEGER, "First decisions in the period"),
            Column(
                "average_days", "Average days", ColumnKind.DECIMAL, "Submitted to first decision"
            ),
            Column(
                "within_target",
                f"Within {ASSESSMENT_DAYS_TARGET} days",
                ColumnKind.PERCENT,
            ),
        ],
        rows=rows,
    )


def renewal_at_risk(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    counts: dict[Any, dict[str, int]] = defaultdict(dict)
    for school_id, status, n in (
        scoped(ReportPeopleRollup.objects, access, scope, filters, dated=False)
        .exclude(renewal_status__in=("", "no_rule_set"))
        .values_list("school_id", "renewal_status")
        .annotate(n=Sum("educators"))
        .values_list("school_id", "renewal_status", "n")
        .order_by()
    ):
        counts[school_id][status] = n
    rows = []
    for pk, drill_value, name in school_names(access, scope):
        found = counts.get(pk)
        if not found:
            continue
        total = sum(found.values())
        at_risk = sum(found.get(status, 0) for status in AT_RISK)
        rows.append(
            [
                Cell(name),
                Cell(total, drill_key("renewal", school=drill_value)),
                *[
                    Cell(
                        found.get(status, 0),
                        drill_key("renewal", status=status, school=drill_value),
                    )
                    for status in RENEWAL_STATES
                ],
                Cell(at_risk, drill_key("renewal", status="at_risk", school=drill_value)),
                Cell(ratio(at_risk, total)),
            ]
        )
    return ReportTable(
        key="renewal_at_risk",
        title="Licence renewal: who is at risk",
        columns=[
            Column("school", "School"),
            Column("with_requirement", "With a renewal requirement", ColumnKind.INTEGER),
            Column("on_track", "On track", ColumnKind.INTEGER),
            Column("behind_pace", "Behind pace", ColumnKind.INTEGER),
            Column("past_deadline", "Past deadline", ColumnKind.INTEGER),
            Column("complete", "Complete", ColumnKind.INTEGER),
            Column("at_risk", "At risk", ColumnKind.INTEGER, "Behind pace or past the deadline"),
            Column("at_risk_share", "Share at risk", ColumnKind.PERCENT),
        ],
        rows=rows,
        note="Renewal standing on the day of the last refresh; the date filter does not apply.",
    )


def need_rows(access: Any, scope: ReportScope, filters: ReportFilters) -> Any:
    rows = scoped(ReportNeed.objects, access, scope, filters, dated=False)
    if filters.competency is not None:
        rows = rows.filter(competency=filters.competency)
    return rows


def need_by_school(
    access: Any, scope: ReportScope, filters: ReportFilters, competencies: list[Any]
) -> ReportTable:
    """Heatmap: a row per competency, a column per school; value = share of raters with a gap."""
    cells = {
        (row["competency_id"], row["school_id"]): row
        for row in need_rows(access, scope, filters)
        .values("competency_id", "school_id")
        .annotate(rated=Sum("rated"), gaps=Sum("with_gap"))
        .order_by()
    }
    schools = [s for s in school_names(access, scope) if s[0] is not None]
    if filters.school is not None:
        schools = [s for s in schools if s[0] == filters.school.pk]
    shown = [c for c in competencies if filters.competency is None or c.pk == filters.competency.pk]
    rows = []
    for item in shown:
        row = [Cell(str(item))]
        for pk, drill_value, _ in schools:
            found = cells.get((item.pk, pk))
            row.append(
                Cell(
                    ratio(found["gaps"], found["rated"]) if found else None,
                    drill_key("gaps", competency=str(item.public_id), school=drill_value)
                    if found and found["gaps"]
                    else None,
                )
            )
        rows.append(row)
    columns = [Column("competency", "Competency")] + [
        Column(drill_value, name, ColumnKind.PERCENT) for _, drill_value, name in schools
    ]
    return ReportTable(
        key="need_by_school",
        title="Competency gaps by school",
        columns=columns,
        rows=rows if cells else [],
        note="Share of educators who rated the competency in their latest self-assessment "
        "below the framework's target level. Empty: nobody rated it.",
    )


def undated(filters: ReportFilters) -> bool:
    return filters.date_from is None and filters.date_to is None


def learning_rows(access: Any, scope: ReportScope, filters: ReportFilters) -> Any:
    """Without dates, each educator's all-time totals (one row per educator); with dates, the
    monthly rows, whose participants must then be counted distinct."""
    if undated(filters):
        return scoped(ReportEducator.objects, access, scope, filters, dated=False).filter(
            learning_months__gt=0
        )
    return scoped(ReportParticipation.objects, access, scope, filters)


def learning_aggregates(filters: ReportFilters) -> dict[str, Any]:
    participants = Count("id") if undated(filters) else Count("educator_id", distinct=True)
    return {"participants": participants, "completions": Sum("completions"), "hours": Sum("hours")}


def _took_part(totals: dict[str, Any]) -> dict[str, Any]:
    return {
        "participants": totals["participants"] or 0,
        "completions": totals["completions"] or 0,
        "hours": Decimal(totals["hours"] or 0),
    }


def people_and_participation(
    access: Any, scope: ReportScope, filters: ReportFilters
) -> tuple[dict[str, int], dict[str, Any]]:
    """The headline counts of people (educators, at risk on renewal) and of their learning
    (participants, completions, hours): one pass over the educators when undated."""
    people = scoped(ReportPeopleRollup.objects, access, scope, filters, dated=False)
    # (An aggregate may not take the name of the field it sums, hence headcount/risk.)
    headcounts = {
        "headcount": Coalesce(Sum("educators"), 0),
        "risk": Coalesce(Sum("educators", filter=Q(renewal_status__in=AT_RISK)), 0),
    }
    if undated(filters):
        totals = people.aggregate(
            **headcounts,
            participants=Sum("participants"),
            completions=Sum("completions"),
            hours=Sum("hours"),
        )
    else:
        totals = people.aggregate(**headcounts)
        totals |= learning_rows(access, scope, filters).aggregate(**learning_aggregates(filters))
    return {"educators": totals["headcount"], "at_risk": totals["risk"]}, _took_part(totals)


def month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")

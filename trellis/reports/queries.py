"""The dashboard's reads: headline figures, one table per key, drill-down lists.

Everything here reads the summary tables (reports.models), scoped to the caller's district and
report scope (a principal: their school only) and narrowed by the filters. Build new figures
in builders_*.py; this module is the interface the views, exports and API use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.http import Http404

from trellis.districts.queries import DistrictAccess
from trellis.reports import builders_catalog as catalog
from trellis.reports import builders_learning as learning
from trellis.reports.drill import DrillList, drill_down, drill_key
from trellis.reports.filters import ReportFilters, competencies
from trellis.reports.models import SummaryRefresh
from trellis.reports.permissions import report_scope
from trellis.reports.scoping import money, per, ratio
from trellis.reports.tables import ColumnKind, Figure, ReportTable, Summary

__all__ = [
    "SECTIONS",
    "TABLE_KEYS",
    "DrillList",
    "drill_down",
    "refreshed_at",
    "summary",
    "table",
]

SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "participation",
        "Participation and hours",
        (
            "participation_by_school",
            "participation_by_role",
            "participation_by_stage",
            "participation_over_time",
        ),
    ),
    ("microcredentials", "Micro-credentials", ("microcredential_funnel", "time_to_assessment")),
    ("renewal", "Licence renewal", ("renewal_at_risk",)),
    ("need", "Competency need and supply", ("need_vs_supply", "need_by_school")),
    (
        "spending",
        "Spending",
        (
            "spending_by_offering",
            "spending_by_school",
            "spending_by_competency",
            "impact_per_dollar",
        ),
    ),
    (
        "quality",
        "Quality",
        ("quality_scorecards", "quality_lowest_rated", "quality_unvetted_in_use"),
    ),
]
TABLE_KEYS: tuple[str, ...] = tuple(key for _, _, keys in SECTIONS for key in keys)


def refreshed_at(access: DistrictAccess) -> dt.datetime | None:
    return (
        SummaryRefresh.objects.filter(district=access.district)
        .values_list("refreshed_at", flat=True)
        .first()
    )


def _note(when: dt.datetime | None) -> str:
    if when is None:
        return "Figures have not been computed yet."
    return f"Figures refreshed {when:%Y-%m-%d %H:%M} UTC."


_LOOK_UP: Any = object()  # "read the refresh time yourself"


def table(
    access: DistrictAccess,
    filters: ReportFilters,
    key: str,
    *,
    refreshed: dt.datetime | None = _LOOK_UP,
) -> ReportTable:
    """One dashboard table; an unknown key is a 404. Pages that show many tables pass the
    refresh time they already read, so it costs one query per page, not one per table."""
    if key not in TABLE_KEYS:
        raise Http404("No such report table.")
    scope = report_scope(access)
    needs_items = key in {"need_vs_supply", "need_by_school", "spending_by_competency"}
    items = competencies(access) if needs_items else []
    by = {
        "participation_by_school": ("school_id", "Participation by school"),
        "participation_by_role": ("role", "Participation by role"),
        "participation_by_stage": ("career_stage", "Participation by career stage"),
    }
    if key in by:
        dimension, title = by[key]
        built = learning.participation_by(
            access, scope, filters, key=key, title=title, dimension=dimension
        )
    elif key == "participation_over_time":
        built = learning.participation_over_time(access, scope, filters)
    elif key == "microcredential_funnel":
        built = learning.microcredential_funnel(access, scope, filters)
    elif key == "time_to_assessment":
        built = learning.time_to_assessment(access, scope, filters)
    elif key == "renewal_at_risk":
        built = learning.renewal_at_risk(access, scope, filters)
    elif key == "need_by_school":
        built = learning.need_by_school(access, scope, filters, items)
    elif key == "need_vs_supply":
        built = catalog.need_vs_supply(access, scope, filters, items)
    elif key == "spending_by_offering":
        built = catalog.spending_by_offering(access, scope, filters)
    elif key == "spending_by_school":
        built = catalog.spending_by_school(access, scope, filters)
    elif key == "spending_by_competency":
        built = catalog.spending_by_competency(access, scope, filters, items)
    elif key == "impact_per_dollar":
        built = catalog.impact_per_dollar(access, filters)
    elif key == "quality_scorecards":
        built = catalog.quality_scorecards(access, filters)
    elif key == "quality_lowest_rated":
        built = catalog.quality_lowest_rated(access, filters)
    else:
        built = catalog.quality_unvetted_in_use(access, filters)
    if refreshed is _LOOK_UP:
        refreshed = refreshed_at(access)
    note = " ".join(part for part in (built.note, _note(refreshed)) if part)
    return ReportTable(
        key=built.key,
        title=built.title,
        columns=built.columns,
        rows=built.rows,
        note=note,
        empty_message=built.empty_message,
    )


def summary(access: DistrictAccess, filters: ReportFilters) -> Summary:
    """The headline strip: a fixed handful of aggregate queries over the summary tables."""
    scope = report_scope(access)
    people, took_part = learning.people_and_participation(access, scope, filters)
    funnel = learning.funnel_totals(access, scope, filters)
    spent = catalog.spending_rows(access, scope, filters).aggregate(
        cost=Sum("cost"), hours=Sum("hours")
    )
    cost = money(spent["cost"])
    unvetted = catalog.unvetted_in_use(access, filters).count()
    figures = [
        Figure("educators", "Educators", people["educators"], drill=drill_key("educators")),
        Figure(
            "participants",
            "Educators who took part",
            took_part["participants"],
            drill=drill_key("participants"),
        ),
        Figure(
            "participation_rate",
            "Participation rate",
            ratio(took_part["participants"], people["educators"]),
            ColumnKind.PERCENT,
        ),
        Figure("hours", "Hours of learning", took_part["hours"], ColumnKind.DECIMAL),
        Figure("completions", "Offerings completed", took_part["completions"]),
        Figure(
            "mc_started",
            "Micro-credentials started",
            funnel["started"],
            drill=drill_key("mc", step="started"),
        ),
        Figure(
            "mc_submitted",
            "Micro-credentials submitted",
            funnel["submitted"],
            drill=drill_key("mc", step="submitted"),
        ),
        Figure(
            "mc_earned",
            "Micro-credentials earned",
            funnel["earned"],
            drill=drill_key("mc", step="earned"),
        ),
        Figure(
            "days_to_assessment",
            "Average days to assessment",
            per(funnel["days"], funnel["assessed"]),
            ColumnKind.DECIMAL,
            drill=drill_key("mc", step="assessed"),
        ),
        Figure(
            "renewal_at_risk",
            "Educators at risk on renewal",
            people["at_risk"],
            drill=drill_key("renewal", status="at_risk"),
            help="Behind pace or past the deadline, on the day of the last refresh",
        ),
        Figure("spend", "Spending", cost, ColumnKind.MONEY, drill=drill_key("seats")),
        Figure("cost_per_hour", "Cost per hour", per(cost, spent["hours"]), ColumnKind.MONEY),
        Figure(
            "cost_per_credential",
            "Cost per micro-credential earned",
            per(cost, funnel["earned"]),
            ColumnKind.MONEY,
        ),
        Figure(
            "unvetted_in_use",
            "Unvetted offerings in use",
            unvetted,
            help="District-wide: published, not vetted, with active enrolments",
        ),
    ]
    shown: dict[str, Any] = dict(filters.describe())
    return Summary(figures=figures, refreshed_at=refreshed_at(access), filters=shown)

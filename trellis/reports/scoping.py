"""Narrowing summary rows to the caller's district, report scope and filters; small number helpers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from trellis.reports.filters import ReportFilters
from trellis.reports.permissions import ReportScope

CENT = Decimal("0.01")
NO_SCHOOL = "none"  # drill-key value for educators with no school on record


def scoped(
    rows: QuerySet, access: Any, scope: ReportScope, filters: ReportFilters, *, dated: bool = True
) -> QuerySet:
    """Rows of a summary table (with the shared dimensions) that the caller may see and asked for."""
    rows = rows.filter(district=access.district)
    if not scope.whole_district:
        rows = rows.filter(school_id__in=scope.school_ids or ())
    if filters.school is not None:
        rows = rows.filter(school=filters.school)
    if filters.role:
        rows = rows.filter(role=filters.role)
    if filters.career_stage:
        rows = rows.filter(career_stage=filters.career_stage)
    if dated:
        if filters.month_from:
            rows = rows.filter(month__gte=filters.month_from)
        if filters.month_to:
            rows = rows.filter(month__lte=filters.month_to)
    return rows


def ratio(part: Any, whole: Any, places: int = 4) -> float | None:
    """part / whole rounded, or None when the whole is zero (shown as "—")."""
    if not whole:
        return None
    return round(float(part) / float(whole), places)


def money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def per(amount: Any, count: Any) -> Decimal | None:
    """A money or hours amount per unit, to the cent; None when there are no units."""
    if not count:
        return None
    return (Decimal(amount or 0) / Decimal(count)).quantize(CENT, rounding=ROUND_HALF_UP)

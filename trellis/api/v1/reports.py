"""Reports API: the dashboard's headline figures, one route per dashboard table, the list behind
a number, and a refresh request. Mounted at "/" with full paths.

Every read takes the dashboard's filters as query parameters: from, to (YYYY-MM-DD), school
(public id), role (position), stage (career stage), competency (public id). District PD leaders
see the whole district, principals their own school; other roles get 403.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from trellis.api.v1.common import ErrorOut, access_of
from trellis.core.errors import PermissionDenied
from trellis.reports import queries, services
from trellis.reports.filters import ReportFilters, parse_filters
from trellis.reports.permissions import can_view_reports
from trellis.reports.tables import Column, ReportTable

router = Router(tags=["reports"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
SECTION_OF = {key: section for section, _, keys in queries.SECTIONS for key in keys}


class FiltersIn(Schema):
    date_from: str = Field("", alias="from", description="First day, YYYY-MM-DD (by month)")
    to: str = Field("", description="Last day, YYYY-MM-DD (by month)")
    school: str = Field("", description="Public id of a school")
    role: str = Field("", description="A position value, e.g. teacher")
    stage: str = Field("", description="A career stage: novice, developing, experienced, veteran")
    competency: str = Field("", description="Public id of a competency of the adopted framework")


class FilterShown(Schema):
    label: str
    value: str


class FigureOut(Schema):
    key: str
    label: str
    value: Any = Field(..., description="A number, or null when it cannot be computed")
    kind: str
    drill: str | None = Field(None, description="Pass to /reports/drill for the list behind it")
    help: str


class SummaryOut(Schema):
    refreshed_at: dt.datetime | None
    filters: list[FilterShown]
    figures: list[FigureOut]


class ColumnOut(Schema):
    key: str
    label: str
    kind: str
    help: str


class TableOut(Schema):
    key: str
    title: str
    section: str
    note: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(..., description="One object per row, keyed by column")
    drills: list[dict[str, str]] = Field(
        ..., description="Per row: column key → drill key of the list behind that number"
    )


class TableRef(Schema):
    key: str
    title: str
    section: str
    path: str


class DrillOut(Schema):
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    num_pages: int
    back_table: str | None


class RefreshOut(Schema):
    status: str
    refreshed_at: dt.datetime | None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _columns(columns: list[Column]) -> list[ColumnOut]:
    return [ColumnOut(key=c.key, label=c.label, kind=str(c.kind), help=c.help) for c in columns]


def _filters(request: HttpRequest, given: FiltersIn) -> tuple[Any, ReportFilters]:
    access = access_of(request)
    if not can_view_reports(access):
        raise PermissionDenied("Reports are for district PD leaders and principals.")
    data = {
        "from": given.date_from,
        "to": given.to,
        "school": given.school,
        "role": given.role,
        "stage": given.stage,
        "competency": given.competency,
    }
    return access, parse_filters(access, data)


def _table_out(table: ReportTable) -> TableOut:
    keys = [column.key for column in table.columns]
    return TableOut(
        key=table.key,
        title=table.title,
        section=SECTION_OF[table.key],
        note=table.note,
        columns=_columns(table.columns),
        rows=[
            {k: _plain(cell.value) for k, cell in zip(keys, row, strict=True)} for row in table.rows
        ],
        drills=[
            {k: cell.drill for k, cell in zip(keys, row, strict=True) if cell.drill}
            for row in table.rows
        ],
    )


@router.get("/reports/summary", response={200: SummaryOut, **ERRORS})
def report_summary(request: HttpRequest, filters: Query[FiltersIn]) -> SummaryOut:
    """The headline figures for the filters."""
    access, parsed = _filters(request, filters)
    found = queries.summary(access, parsed)
    return SummaryOut(
        refreshed_at=found.refreshed_at,
        filters=[FilterShown(label=label, value=value) for label, value in parsed.describe()],
        figures=[
            FigureOut(
                key=f.key,
                label=f.label,
                value=_plain(f.value),
                kind=str(f.kind),
                drill=f.drill,
                help=f.help,
            )
            for f in found.figures
        ],
    )


@router.get("/reports/tables", response={200: list[TableRef], **ERRORS})
def report_tables(request: HttpRequest) -> list[TableRef]:
    """Every dashboard table, in page order, with its route."""
    if not can_view_reports(access_of(request)):
        raise PermissionDenied("Reports are for district PD leaders and principals.")
    return [
        TableRef(key=key, title=title, section=section, path=f"/api/v1/reports/tables/{key}")
        for section, title, keys in queries.SECTIONS
        for key in keys
    ]


def _table_route(key: str) -> Any:
    def report_table(request: HttpRequest, filters: Query[FiltersIn]) -> TableOut:
        access, parsed = _filters(request, filters)
        return _table_out(queries.table(access, parsed, key))

    report_table.__doc__ = f"The `{key}` dashboard table for the filters."
    return report_table


# One fixed route per table (not /tables/{key}): each table is a stable, documented resource.
for _key in queries.TABLE_KEYS:
    router.get(
        f"/reports/tables/{_key}",
        response={200: TableOut, **ERRORS},
        operation_id=f"report_table_{_key}",
        url_name=f"report_table_{_key}",
    )(_table_route(_key))


@router.get("/reports/drill", response={200: DrillOut, **ERRORS})
def report_drill(
    request: HttpRequest,
    filters: Query[FiltersIn],
    key: str = Query(..., description="A drill key from a figure or table cell"),
    page: int = Query(1, ge=1),
    per_page: int = Query(50, ge=1, le=200),
) -> DrillOut:
    """The people or records behind a number (a figure's or cell's `drill`), paginated."""
    access, parsed = _filters(request, filters)
    found = queries.drill_down(access, parsed, key, page=page, per_page=per_page)
    keys = [column.key for column in found.columns]
    return DrillOut(
        title=found.title,
        columns=_columns(found.columns),
        rows=[{k: _plain(v) for k, v in zip(keys, row, strict=True)} for row in found.rows],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        num_pages=found.num_pages,
        back_table=found.back_table,
    )


@router.post("/reports/refresh", response={202: RefreshOut, **ERRORS})
def report_refresh(request: HttpRequest) -> tuple[int, RefreshOut]:
    """Queue a recompute of the district's summary tables (district PD leaders)."""
    access = access_of(request)
    record = services.request_refresh(access=access, actor=request.user)
    return 202, RefreshOut(status=record.status, refreshed_at=record.refreshed_at)

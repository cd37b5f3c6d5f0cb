"""The reports pages: the dashboard, drill-down lists, exports and the refresh button.

Thin: filters are parsed by `filters.parse_filters`, every figure comes from `queries`, the
rendering from `presenting`/`exports`. Every link and export carries the page's filters.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.reports import exports, presenting, queries, services
from trellis.reports.filters import (
    PARAMS,
    FilterError,
    ReportFilters,
    filter_choices,
    parse_filters,
)
from trellis.reports.formatting import display, is_numeric
from trellis.reports.permissions import can_refresh, report_scope
from trellis.reports.tables import Cell, ReportTable

DRILL_PAGE_SIZE = 50
EXPORT_PAGE_SIZE = 200  # drill lists are exported page by page, at the largest page size


def _query(filters: ReportFilters) -> str:
    params = filters.as_query()
    return "?" + urlencode(params) if params else ""


def _drill_url(filters: ReportFilters):
    suffix = _query(filters)
    return lambda drill: reverse("reports:drill", args=[drill]) + suffix


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Content-Disposition with a plain ASCII name: letters, digits, dot, hyphen, underscore."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.") or "report"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _filter_form(request: HttpRequest, access: Any, errors: dict[str, str]) -> dict[str, Any]:
    """What the filter form shows: the raw values typed, the choices, an error per field."""
    return {
        "values": {key: str(request.GET.get(key, "")).strip() for key in PARAMS},
        "choices": filter_choices(access),
        "errors": errors,
        "school_scoped": not report_scope(access).whole_district,
    }


def _invalid(request: HttpRequest, template: str, exc: FilterError, **extra: Any) -> HttpResponse:
    context = {"form": _filter_form(request, request.access, exc.field_errors), **extra}
    return render(request, template, context, status=400)


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    access = request.access
    try:
        filters = parse_filters(access, request.GET)
    except FilterError as exc:
        return _invalid(request, "reports/dashboard.html", exc, invalid=True)
    drill_url = _drill_url(filters)
    summary = queries.summary(access, filters)
    sections = [
        {
            "key": key,
            "heading": heading,
            "panels": [
                presenting.panel(
                    queries.table(access, filters, table_key, refreshed=summary.refreshed_at),
                    drill_url,
                )
                for table_key in table_keys
            ],
        }
        for key, heading, table_keys in queries.SECTIONS
    ]
    context = {
        "form": _filter_form(request, access, {}),
        "filters": filters,
        "filters_desc": filters.describe(),
        "query": _query(filters),
        "summary": summary,
        "figures": presenting.figures(summary.figures, drill_url),
        "sections": sections,
        "can_refresh": can_refresh(access),
        "refreshed_at": summary.refreshed_at,
    }
    return render(request, "reports/dashboard.html", context)


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def drill(request: HttpRequest, drill: str) -> HttpResponse:
    access = request.access
    try:
        filters = parse_filters(access, request.GET)
    except FilterError as exc:
        return _invalid(request, "reports/drill.html", exc, invalid=True, drill=drill)
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    found = queries.drill_down(access, filters, drill, page=page, per_page=DRILL_PAGE_SIZE)
    query = _query(filters)
    context = {
        "drill": drill,
        "listing": found,
        "rows": [
            [
                (display(value, column.kind), is_numeric(column.kind))
                for column, value in zip(found.columns, row, strict=True)
            ]
            for row in found.rows
        ],
        "filters_desc": filters.describe(),
        "query": query,
        "page_query": urlencode(filters.as_query()) + "&" if filters.as_query() else "",
        "back_url": reverse("reports:dashboard")
        + query
        + (f"#table-{found.back_table}" if found.back_table else ""),
    }
    return render(request, "reports/drill.html", context)


def _drill_table(access: Any, filters: ReportFilters, drill: str) -> ReportTable:
    """Every row of a drill-down list, fetched page by page, as a table for the CSV."""
    first = queries.drill_down(access, filters, drill, page=1, per_page=EXPORT_PAGE_SIZE)
    rows = list(first.rows)
    for number in range(2, first.num_pages + 1):
        rows += queries.drill_down(
            access, filters, drill, page=number, per_page=EXPORT_PAGE_SIZE
        ).rows
    return ReportTable(
        key="list",
        title=first.title,
        columns=first.columns,
        rows=[[Cell(value) for value in row] for row in rows],
    )


def _filters_or_error(request: HttpRequest) -> ReportFilters | HttpResponse:
    try:
        return parse_filters(request.access, request.GET)
    except FilterError as exc:
        return HttpResponse(
            "Invalid filters: " + " ".join(exc.field_errors.values()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def drill_csv(request: HttpRequest, drill: str) -> HttpResponse:
    filters = _filters_or_error(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = _drill_table(request.access, filters, drill)
    response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    kind = drill.partition(":")[0]
    return attachment(response, f"trellis-list-{kind}-{_stamp()}.csv")


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    filters = _filters_or_error(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = queries.table(request.access, filters, key)  # unknown key: 404
    response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    return attachment(response, f"trellis-{table.key}-{_stamp()}.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def table_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    filters = _filters_or_error(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = queries.table(request.access, filters, key)
    data = exports.to_xlsx([table], None, filters_desc=filters.describe())
    return attachment(HttpResponse(data, content_type=XLSX), f"trellis-{table.key}-{_stamp()}.xlsx")


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def all_xlsx(request: HttpRequest) -> HttpResponse:
    filters = _filters_or_error(request)
    if isinstance(filters, HttpResponse):
        return filters
    access = request.access
    summary = queries.summary(access, filters)
    tables = [
        queries.table(access, filters, key, refreshed=summary.refreshed_at)
        for key in queries.TABLE_KEYS
    ]
    data = exports.to_xlsx(tables, summary, filters_desc=filters.describe())
    return attachment(HttpResponse(data, content_type=XLSX), f"trellis-reports-{_stamp()}.xlsx")


@require_GET
@district_view(Perm.VIEW_SCHOOL_REPORTS)
def board_report(request: HttpRequest) -> HttpResponse:
    filters = _filters_or_error(request)
    if isinstance(filters, HttpResponse):
        return filters
    access = request.access
    summary = queries.summary(access, filters)
    tables = [
        queries.table(access, filters, key, refreshed=summary.refreshed_at)
        for key in queries.TABLE_KEYS
    ]
    data = exports.board_report_pdf(
        summary,
        tables,
        filters.describe(),
        access.district.name,
        generated=timezone.localdate(),
    )
    response = HttpResponse(data, content_type="application/pdf")
    return attachment(response, f"trellis-board-report-{_stamp()}.pdf")


@require_POST
@district_view(Perm.VIEW_REPORTS)
def refresh(request: HttpRequest) -> HttpResponse:
    try:
        services.request_refresh(access=request.access, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Refresh queued: the figures will be recomputed in the background."
        )
    # Back to the same filtered view; values are re-checked when the page loads.
    params = {key: str(request.POST.get(key, "")) for key in PARAMS if request.POST.get(key)}
    return redirect(reverse("reports:dashboard") + ("?" + urlencode(params) if params else ""))

"""The demand report for PD leaders: tables by competency and by school, and their CSV."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.voice import demand

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    # A name starting like a formula would run in a spreadsheet; quote it as text.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@district_view(Perm.VIEW_DEMAND)
def demand_page(request: HttpRequest) -> HttpResponse:
    competency_sort = request.GET.get("csort", "demand")
    school_sort = request.GET.get("ssort", "demand")
    report = demand.demand_report(
        request.access.district, competency_sort=competency_sort, school_sort=school_sort
    )
    context = {
        "report": report,
        "csort": competency_sort if competency_sort in demand.COMPETENCY_SORTS else "demand",
        "ssort": school_sort if school_sort in demand.SCHOOL_SORTS else "demand",
        "competency_sorts": [
            ("demand", "Demand"),
            ("requests", "Requests"),
            ("votes", "Votes"),
            ("volunteers", "Volunteers"),
            ("offerings", "Published offerings"),
            ("name", "Framework order"),
        ],
        "school_sorts": [
            ("demand", "Demand"),
            ("requests", "Requests"),
            ("votes", "Votes"),
            ("name", "Name"),
        ],
    }
    return render(request, "voice/demand.html", context)


@district_view(Perm.VIEW_DEMAND)
def demand_csv(request: HttpRequest, table: str) -> HttpResponse:
    report = demand.demand_report(request.access.district)
    if table == "competencies":
        header, rows = demand.COMPETENCY_CSV_HEADER, demand.competency_csv_rows(report)
        name = "competency"
    elif table == "schools":
        header, rows = demand.SCHOOL_CSV_HEADER, demand.school_csv_rows(report)
        name = "school"
    else:
        raise Http404("No such table.")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="demand-by-{name}-{stamp}.csv"'
    return response

"""The educator's credit pages: renewal progress, transcript (page, PDF, CSV), salary lanes; and
the same renewal page for staff who may see the educator."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.core.charts import BarChart, horizontal_bars
from trellis.credit import queries
from trellis.credit.exports import transcript_csv
from trellis.credit.queries.renewal import Renewal
from trellis.credit.queries.rows import category_label
from trellis.credit.rules.model import UNIT_NAMES
from trellis.credit.rules.wording import number
from trellis.credit.transcript_pdf import transcript_pdf
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


def value_chart(items: list[tuple[str, Decimal]]) -> BarChart:
    """Bars for exact amounts: geometry from floats, labels from the exact Decimals."""
    # A wide drawing, so that in a half-width card the text is drawn near its own size.
    chart = horizontal_bars(
        [(label, float(value)) for label, value in items],  # type: ignore[misc]
        bar_space=400.0,
    )
    bars = [
        dataclasses.replace(bar, value=number(value))  # type: ignore[arg-type]
        for bar, (_label, value) in zip(chart.bars, items, strict=True)
    ]
    return dataclasses.replace(chart, bars=bars)


def days_text(days: int) -> str:
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    if days == 0:
        return "the deadline is today"
    return f"the deadline passed {-days} day{'s' if days != -1 else ''} ago"


def renewal_context(renewal: Renewal) -> dict[str, Any]:
    progress = renewal.progress
    context: dict[str, Any] = {"r": renewal, "progress": progress, "rule_set": renewal.rule_set}
    if progress is None:
        return context
    context.update(
        unit_plural=UNIT_NAMES[progress.unit][1],
        bar_value=min(progress.total, progress.required),
        days_text=days_text(renewal.days_left or 0),
        category_rows=[(category_label(c), value) for c, value in progress.by_category],
        topic_rows=list(progress.by_topic),
        caps_applied=[cap for cap in progress.caps if cap.excluded],
    )
    context["category_chart"] = value_chart(context["category_rows"])
    context["topic_chart"] = value_chart(context["topic_rows"])
    return context


@district_view(Perm.VIEW_OWN_LEARNING)
def renewal(request: HttpRequest) -> HttpResponse:
    found = queries.renewal_progress_for(request.access, request.user)
    return render(request, "credit/renewal.html", {**renewal_context(found), "own": True})


@district_view(Perm.VIEW_SCHOOL_STAFF)
def person_renewal(request: HttpRequest, public_id: str) -> HttpResponse:
    person = queries.get_visible_person(request.access, public_id)
    found = queries.renewal_progress_for(request.access, person)
    context = {**renewal_context(found), "own": False, "person": person}
    return render(request, "credit/renewal.html", context)


@district_view(Perm.VIEW_OWN_LEARNING)
def transcript(request: HttpRequest) -> HttpResponse:
    found = queries.transcript_for(request.access, request.user)
    context = {
        "t": found,
        **renewal_context(found.renewal),
        "generated": queries.district_today(request.access.district),
        "imports": queries.imports_of(request.access, request.user),
    }
    if context["imports"]:
        context["imported_credit_on"] = queries.imported_credit_on(request.access)
    return render(request, "credit/transcript.html", context)


def _filename(request: HttpRequest, extension: str) -> str:
    today = queries.district_today(request.access.district)
    return f"trellis-transcript-{today.isoformat()}.{extension}"


@district_view(Perm.VIEW_OWN_LEARNING)
def transcript_pdf_download(request: HttpRequest) -> HttpResponse:
    found = queries.transcript_for(request.access, request.user)
    district = request.access.district
    data = transcript_pdf(
        found, district_name=district.name, generated=queries.district_today(district)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "pdf")}"'
    return response


@district_view(Perm.VIEW_OWN_LEARNING)
def transcript_csv_download(request: HttpRequest) -> HttpResponse:
    found = queries.transcript_for(request.access, request.user)
    response = HttpResponse(transcript_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "csv")}"'
    return response


@district_view(Perm.VIEW_OWN_LEARNING)
def lanes(request: HttpRequest) -> HttpResponse:
    standing = queries.lane_standing(request.access, request.user)
    return render(request, "credit/lanes.html", {"s": standing})

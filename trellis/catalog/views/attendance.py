"""Attendance pages: sessions I facilitate, a session's roster, the check-in code on screen, and
self check-in."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.forms_attendance import CheckInForm, SessionFilterForm
from trellis.catalog.models import AttendanceRecord, OfferingSession
from trellis.catalog.queries import attendance as queries
from trellis.catalog.services import attendance as services
from trellis.catalog.services.completion import mark_no_shows
from trellis.core.errors import DomainError, TooManyAttempts
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm

Status = AttendanceRecord.Status


@district_view(Perm.VIEW_CATALOG)
def facilitate(request: HttpRequest) -> HttpResponse:
    access = request.access
    manager = access.can(Perm.MANAGE_CATALOG)
    filters = SessionFilterForm(request.GET or None)
    values = filters.values()
    sessions = queries.facilitated_sessions(access, request.user, **values)
    page = paginate(sessions, request.GET.get("page"))
    context = {
        "filters": filters,
        "when": values["when"],
        "manager": manager,
        "page": page,
        "rows": queries.session_rows(page.object_list),
        "query": query_without_page(request),
    }
    return render(request, "catalog/attendance/facilitate.html", context)


def _marks_from(post: Any) -> list[services.Mark]:
    # "Everyone not marked is present / absent": one click after a roll call or check-ins.
    fill = post.get("fill") if post.get("fill") in (Status.PRESENT, Status.ABSENT) else ""
    ids = {key.removeprefix("status-") for key in post if key.startswith("status-")}
    ids |= {key.removeprefix("row-") for key in post if key.startswith("row-")}
    marks = []
    for pid in sorted(ids):
        status = (post.get(f"status-{pid}") or "").strip()
        status = status or fill
        if status:
            marks.append(
                services.Mark(enrollment=pid, status=status, hours=post.get(f"hours-{pid}"))
            )
    return marks


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    session = queries.get_session_to_facilitate(access, request.user, public_id)
    row_errors: dict[str, str] = {}
    error = ""
    posted: dict[str, tuple[str, str]] = {}
    if request.method == "POST":
        marks = _marks_from(request.POST)
        posted = {m.enrollment: (m.status, str(m.hours or "")) for m in marks}
        if not marks:
            error = "Choose Present, Part or Absent for at least one person."
        else:
            try:
                result = services.record_roster(
                    access=access, actor=request.user, session=session, marks=marks
                )
            except DomainError as exc:
                error = exc.message
                row_errors = exc.details.get("rows", {})
            else:
                messages.success(request, _saved_message(result))
                return redirect("catalog:roster", public_id=session.public_id)
    return _roster_page(request, session, error=error, row_errors=row_errors, posted=posted)


def _saved_message(result: services.RosterResult) -> str:
    parts = []
    if result.recorded:
        parts.append(f"{result.recorded} recorded")
    if result.corrected:
        parts.append(f"{result.corrected} corrected")
    if result.unchanged:
        parts.append(f"{result.unchanged} unchanged")
    text = "Attendance saved: " + ", ".join(parts) + "."
    if result.completed:
        count = len(result.completed)
        text += f" {count} {'person' if count == 1 else 'people'} completed the offering."
    return text


def _roster_page(
    request: HttpRequest,
    session: OfferingSession,
    *,
    error: str = "",
    row_errors: dict[str, str] | None = None,
    posted: dict[str, tuple[str, str]] | None = None,
) -> HttpResponse:
    row_errors, posted = row_errors or {}, posted or {}
    rows = []
    for row in queries.roster(session):
        pid = str(row.enrollment.public_id)
        record = row.record
        status, hours = posted.get(
            pid,
            (
                record.status if record else "",
                str(record.hours) if record and record.status == Status.PARTIAL else "",
            ),
        )
        rows.append(
            {
                "row": row,
                "pid": pid,
                "status": status,
                "hours": hours,
                "error": row_errors.get(pid, ""),
            }
        )
    unknown = [
        message for pid, message in row_errors.items() if pid not in {r["pid"] for r in rows}
    ]
    opens, _ = queries.check_in_window(session)
    context = {
        "session": session,
        "offering": session.offering,
        "rows": rows,
        "error": error,
        "unknown_errors": unknown,
        "statuses": [
            (Status.PRESENT, "Present"),
            (Status.PARTIAL, "Part"),
            (Status.ABSENT, "Absent"),
        ],
        "check_in_opens": opens,
        "can_mark": timezone.now() >= opens,
        "no_show_candidates": len(queries.no_show_candidates(session.offering))
        if session.ends_at < timezone.now()
        else 0,
    }
    return render(request, "catalog/attendance/roster.html", context, status=400 if error else 200)


def check_in_url(code: str) -> str:
    return settings.SITE_URL + reverse("catalog:check_in_with_code", args=[code])


def qr_svg(url: str) -> str:
    """The QR code as inline SVG, drawn on the server (nothing is fetched by the browser)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=8,
        border=2,
        title="QR code that opens the check-in page for this session",
        svgclass="qr-code",
        omitsize=True,  # a viewBox, so CSS sizes it
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def check_in_code(request: HttpRequest, public_id: str) -> HttpResponse:
    """The code and its QR code, large, for the screen at the front of the room."""
    access = request.access
    session = queries.get_session_to_facilitate(access, request.user, public_id)
    if request.method == "POST":
        services.ensure_check_in_code(access=access, actor=request.user, session=session)
        messages.success(request, "The session has a check-in code now.")
        return redirect("catalog:check_in_code", public_id=session.public_id)
    code = session.check_in_code
    url = check_in_url(code) if code else ""
    opens, closes = queries.check_in_window(session)
    context = {
        "session": session,
        "offering": session.offering,
        "code": code,
        "url": url,
        "entry_url": settings.SITE_URL + reverse("catalog:check_in"),
        "qr": mark_safe(qr_svg(url)) if code else "",  # noqa: S308 - segno's own SVG markup
        "opens": opens,
        "closes": closes,
    }
    return render(request, "catalog/attendance/code.html", context)


@district_view(Perm.VIEW_CATALOG)
@require_POST
def no_shows(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    session = queries.get_session_to_facilitate(access, request.user, public_id)
    try:
        marked = mark_no_shows(access=access, actor=request.user, offering=session.offering)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if marked:
            count = len(marked)
            messages.success(
                request,
                f"{count} {'person' if count == 1 else 'people'} marked as not attending.",
            )
        else:
            messages.info(request, "Nobody to mark: everyone enrolled attended at least once.")
    return redirect("catalog:roster", public_id=session.public_id)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, code: str = "") -> HttpResponse:
    """Self check-in: type the code (`/check-in/`) or follow the QR code (`/check-in/<code>/`,
    prefilled, confirmed with a POST)."""
    access = request.access
    form = CheckInForm(request.POST or None, initial={"code": services.normalize_code(code)})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_in(
                access=access, actor=request.user, code=form.cleaned_data["code"]
            )
        except TooManyAttempts as exc:
            form.add_error(None, exc.message)
            status = 429
        except DomainError as exc:
            form.add_error("code" if exc.details.get("field") == "code" else None, exc.message)
            status = 400
        else:
            return _checked_in(request, result)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "prefilled": bool(code),
        "facilitates": queries.facilitates_any(access, request.user)
        or access.can(Perm.MANAGE_CATALOG),
    }
    return render(request, "catalog/attendance/check_in.html", context, status=status)


def _checked_in(request: HttpRequest, result: services.CheckInResult) -> HttpResponse:
    title = result.session.offering.title
    if result.already:
        record = result.record
        messages.info(
            request,
            f"You are already checked in to “{title}” ({record.get_status_display()}).",
        )
    else:
        messages.success(request, f"You are checked in to “{title}”. Enjoy the session!")
    if result.completed:
        messages.success(request, f"You completed “{title}”.")
    context = {"result": result, "session": result.session, "offering": result.session.offering}
    return render(request, "catalog/attendance/checked_in.html", context)

"""Enrolment pages: ask for a place, My learning, withdraw, and an offering's enrolments for
catalog managers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from trellis.catalog.forms_enrolment import EnrolForm, WithdrawForm
from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering, Registration
from trellis.catalog.queries import enrolment as queries
from trellis.catalog.services import enrolment as services
from trellis.catalog.views.calendar import feed_token
from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


def add_domain_error(form: Any, exc: DomainError) -> None:
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)


def offering_url(offering: Offering) -> str:
    """The offering page (helper A's `catalog:offering`), or My learning until it exists."""
    try:
        return reverse("catalog:offering", kwargs={"public_id": offering.public_id})
    except NoReverseMatch:
        return reverse("catalog:learning")


def session_choices(panel: queries.EnrolmentPanel) -> list[tuple[str, str]] | None:
    if not panel.needs_session:
        return None
    choices = []
    for choice in panel.session_choices:
        if choice.seats_left is None:
            seats = ""
        elif choice.full:
            seats = " — full, waitlist" if panel.waitlist_enabled else " — full"
        else:
            seats = f" — {choice.seats_left} seat{'s' if choice.seats_left != 1 else ''} left"
        choices.append((str(choice.session.public_id), choice.label + seats))
    return choices


def _result_message(enrollment: Enrollment) -> str:
    title = enrollment.offering.title
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        place = queries.waitlist_positions([enrollment]).get(enrollment.pk, 1)
        return f"“{title}” is full: you are number {place} on the waitlist."
    if enrollment.status == EnrollmentStatus.PENDING_APPROVAL:
        return (
            f"Your request for “{title}” is sent; it waits for approval from "
            f"{queries.waiting_for(enrollment)}. Your seat is held meanwhile."
        )
    return f"You are enrolled in “{title}”."


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    offering = queries.get_requestable_offering(access, public_id)
    panel = queries.enrolment_panel(access=access, user=request.user, offering=offering)["panel"]
    form = EnrolForm(
        request.POST if request.method == "POST" else None, choices=session_choices(panel)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            session = None
            if panel.needs_session:
                session = queries.get_offering_session(offering, form.cleaned_data["session"])
            try:
                enrollment = services.request_enrollment(
                    access=access,
                    actor=request.user,
                    offering=offering,
                    session=session,
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                enrollment = queries.get_own_enrollment(access, request.user, enrollment.public_id)
                messages.success(request, _result_message(enrollment))
                return redirect(offering_url(offering))
        else:
            status = 400
    context = {"offering": offering, "panel": panel, "enrol_form": form}
    return render(request, "catalog/enroll.html", context, status=status)


@district_view(Perm.VIEW_OWN_LEARNING)
def my_learning(request: HttpRequest) -> HttpResponse:
    access = request.access
    learning = queries.my_learning(access, request.user)
    completed = paginate(
        queries.completed_enrollments(access, request.user),
        request.GET.get("completed_page"),
        per_page=10,
    )
    past = paginate(
        queries.past_enrollments(access, request.user), request.GET.get("past_page"), per_page=10
    )
    token = feed_token(request.user, access.district)
    context = {
        "learning": learning,
        "completed": completed,
        "past": past,
        "completed_keep": f"past_page={past.number}&",
        "past_keep": f"completed_page={completed.number}&",
        "feed_url": request.build_absolute_uri(
            reverse("catalog:calendar_feed", kwargs={"token": token})
        ),
        "tz": access.district.timezone,
    }
    return render(request, "catalog/my_learning.html", context)


def _enrollment_for_withdrawal(request: HttpRequest, public_id: str) -> Enrollment:
    access = request.access
    if access.can(Perm.MANAGE_CATALOG):
        return queries.get_enrollment(access, public_id)
    return queries.get_own_enrollment(access, request.user, public_id)


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    """A confirmation page (GET), then the withdrawal (POST)."""
    access = request.access
    enrollment = _enrollment_for_withdrawal(request, public_id)
    own = enrollment.educator_id == request.user.pk
    back = (
        reverse("catalog:learning")
        if own
        else reverse(
            "catalog:offering_enrollments", kwargs={"public_id": enrollment.offering.public_id}
        )
    )
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw(
                    access=access,
                    actor=request.user,
                    enrollment=enrollment,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                who = "You withdrew" if own else f"{enrollment.educator.full_name} is withdrawn"
                messages.success(request, f"{who} from “{enrollment.offering.title}”.")
                return redirect(back)
        else:
            status = 400
    context = {
        "enrollment": enrollment,
        "own": own,
        "form": form,
        "back": back,
        "closed": enrollment.status not in services.WITHDRAWABLE,
        "tz": access.district.timezone,
    }
    return render(request, "catalog/withdraw.html", context, status=status)


@district_view(Perm.MANAGE_CATALOG)
def offering_enrollments(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    offering = queries.get_requestable_offering(access, public_id)
    status = request.GET.get("status", "")
    if status not in EnrollmentStatus.values:
        status = ""
    page = paginate(
        queries.offering_enrollments(access, offering, status=status),
        request.GET.get("page"),
        per_page=50,
    )
    rows = list(page.object_list)
    places = queries.waitlist_positions(rows)
    for row in rows:
        row.waitlist_place = places.get(row.pk)
    context = {
        "offering": offering,
        "offering_url": offering_url(offering),
        "page": page,
        "rows": rows,
        "counts": queries.status_counts(offering),
        "statuses": EnrollmentStatus.choices,
        "status": status,
        "query": query_without_page(request),
        "seats_left": queries.seats_left(offering)
        if offering.registration == Registration.WHOLE_OFFERING
        else None,
        "tz": access.district.timezone,
        "perms_manage_credentials": access.can(Perm.MANAGE_CREDENTIALS),
    }
    return render(request, "catalog/offering_enrollments.html", context)

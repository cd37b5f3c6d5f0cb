"""Managing sessions (MANAGE_CATALOG): add, reschedule or edit, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.catalog.forms_manage import CancelSessionForm, SessionForm
from trellis.catalog.queries import offerings as queries
from trellis.catalog.services import sessions as services
from trellis.catalog.views.manage import add_domain_error
from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    offering = queries.get_offering(access, public_id)
    form = SessionForm(
        request.POST or None,
        district=access.district,
        members=list(queries.district_members(access.district)),
        initial={"location": offering.location, "link": offering.link},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.add_session(
                access=access, actor=request.user, offering=offering, **form.session_fields()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"The session is added. Its check-in code is {session.check_in_code}."
            )
            return redirect("catalog:offering", public_id=offering.public_id)
    context = {"form": form, "offering": offering, "session": None}
    return render(
        request, "catalog/manage/session_form.html", context, status=400 if form.errors else 200
    )


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    session = queries.get_session(access, public_id)
    form = SessionForm(
        request.POST or None,
        district=access.district,
        members=list(queries.district_members(access.district)),
        initial=SessionForm.initial_for(session, access.district),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_session(
                access=access, actor=request.user, session=session, **form.session_fields()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                "The session is saved. Everyone enrolled keeps their place and is told by e-mail "
                "if the time or place changed.",
            )
            return redirect("catalog:offering", public_id=session.offering.public_id)
    context = {"form": form, "offering": session.offering, "session": session}
    return render(
        request, "catalog/manage/session_form.html", context, status=400 if form.errors else 200
    )


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    session = queries.get_session(access, public_id)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                access=access,
                actor=request.user,
                session=session,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The session is cancelled and everyone enrolled is told.")
            return redirect("catalog:offering", public_id=session.offering.public_id)
    context = {
        "form": form,
        "offering": session.offering,
        "session": session,
        "when": services.when_text(session.starts_at, session.ends_at, access.district),
    }
    return render(
        request, "catalog/manage/session_cancel.html", context, status=400 if form.errors else 200
    )

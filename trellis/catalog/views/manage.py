"""Managing the catalog (MANAGE_CATALOG): the manager's list, creating, editing, copying,
deleting offerings and moving them through their statuses."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.forms_manage import OfferingForm
from trellis.catalog.models import Offering, OfferingStatus
from trellis.catalog.queries import offerings as queries
from trellis.catalog.services import offerings as services
from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries


def add_domain_error(form: object, exc: DomainError) -> None:
    """Attach a service error to the field it names, or to the form."""
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)  # type: ignore[attr-defined]


@district_view(Perm.MANAGE_CATALOG)
def manage(request: HttpRequest) -> HttpResponse:
    access = request.access
    status = request.GET.get("status", "")
    problem = ""
    if status and status not in OfferingStatus.values:
        problem = (
            f"Unknown status “{status}”: showing every status. Choose one of: "
            f"{', '.join(OfferingStatus.values)}."
        )
        status = ""
    counts = queries.status_counts(access)
    page = paginate(
        queries.managed_offerings(access, status=status), request.GET.get("page"), per_page=25
    )
    context = {
        "page": page,
        "query": query_without_page(request),
        "status": status,
        "problem": problem,
        "tabs": [
            {"value": value, "label": label, "count": counts[value]}
            for value, label in OfferingStatus.choices
        ],
        "total": sum(counts.values()),
    }
    return render(request, "catalog/manage/list.html", context, status=400 if problem else 200)


def _form_page(request: HttpRequest, form: OfferingForm, offering: Offering | None) -> HttpResponse:
    context = {"form": form, "offering": offering}
    return render(
        request, "catalog/manage/offering_form.html", context, status=400 if form.errors else 200
    )


def _competency_map(district: object) -> object:
    framework = growth_queries.adopted_framework(district)
    return growth_queries.competency_map(framework) if framework else None


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def offering_new(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = OfferingForm(
        request.POST or None,
        cmap=_competency_map(access.district),
        initial=OfferingForm.initial_for(None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_offering(
                access=access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"“{created.title}” is saved as a draft. Add sessions, then publish it."
            )
            return redirect("catalog:offering", public_id=created.public_id)
    return _form_page(request, form, None)


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def offering_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_offering(access, public_id)
    form = OfferingForm(
        request.POST or None,
        cmap=_competency_map(access.district),
        current=list(found.competencies.all()),
        initial=OfferingForm.initial_for(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offering(
                access=access, actor=request.user, offering=found, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” is saved.")
            return redirect("catalog:offering", public_id=found.public_id)
    return _form_page(request, form, found)


@district_view(Perm.MANAGE_CATALOG)
@require_POST
def offering_status(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.get_offering(request.access, public_id)
    try:
        changed = services.change_status(
            access=request.access,
            actor=request.user,
            offering=found,
            status=request.POST.get("status", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"“{changed.title}” is now {changed.get_status_display().lower()}."
        )
    return redirect("catalog:offering", public_id=found.public_id)


@district_view(Perm.MANAGE_CATALOG)
@require_POST
def offering_copy(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.get_offering(request.access, public_id)
    copy = services.copy_offering(access=request.access, actor=request.user, offering=found)
    messages.success(request, f"“{copy.title}” is a new draft: check it, add sessions, publish it.")
    return redirect("catalog:offering_edit", public_id=copy.public_id)


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def offering_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_offering(access, public_id)
    enrolments = queries.enrolment_count(found)
    error = ""
    if request.method == "POST":
        try:
            services.delete_offering(access=access, actor=request.user, offering=found)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"“{found.title}” is deleted.")
            return redirect("catalog:manage")
    context = {"offering": found, "enrolments": enrolments, "error": error}
    return render(
        request, "catalog/manage/offering_delete.html", context, status=409 if error else 200
    )

"""The district's credit setup (MANAGE_CREDIT): settings and salary lanes, licences, recording
and revoking credit, and the state-reporting export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import query_without_page
from trellis.credit import queries, services
from trellis.credit.exports import state_export_lines
from trellis.credit.forms import (
    CreditSettingsForm,
    ExternalCreditForm,
    LaneForm,
    LicenceFilterForm,
    LicenceForm,
    RevokeForm,
)
from trellis.credit.rules.wording import number
from trellis.credit.services import imported
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm

LANE_FIELDS = ("name", "position", "credits_required", "micro_credentials_required", "description")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Attach a service error to the field it names, or to the whole form."""
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)


# settings and lanes --------------------------------------------------------------------------


def _settings_form(request: HttpRequest, data: Any = None) -> CreditSettingsForm:
    current = queries.credit_settings(request.access.district)
    return CreditSettingsForm(
        data,
        state_code=request.access.district.state_code,
        initial={
            "jurisdiction": current.jurisdiction,
            "default_cycle_start": current.default_cycle_start,
            "hours_per_salary_credit": number(current.hours_per_salary_credit),
        },
    )


def _manage_page(
    request: HttpRequest,
    *,
    settings_form: CreditSettingsForm | None = None,
    lane_form: LaneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    district = request.access.district
    lanes = queries.salary_lanes(district)
    current = queries.credit_settings(district)
    imports_counted = current.imported_credential_hours is not None
    context = {
        "settings_form": settings_form or _settings_form(request),
        "lane_form": lane_form
        or LaneForm(initial={"position": max((lane.position for lane in lanes), default=0) + 1}),
        "lanes": lanes,
        "jurisdiction": queries.jurisdiction_of(district, current),
        "imports_counted": imports_counted,
        "imports_waiting": (
            imported.awaiting_review(request.access).count() if imports_counted else 0
        ),
    }
    return render(request, "credit/manage.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _manage_page(request)
    form = _settings_form(request, request.POST)
    if form.is_valid():
        try:
            services.update_credit_settings(
                access=request.access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The credit settings are saved.")
            return redirect("credit:manage")
    return _manage_page(request, settings_form=form, status=400)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def lane_new(request: HttpRequest) -> HttpResponse:
    form = LaneForm(request.POST)
    if form.is_valid():
        try:
            lane = services.add_salary_lane(
                access=request.access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The lane “{lane.name}” is added.")
            return redirect("credit:manage")
    return _manage_page(request, lane_form=form, status=400)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def lane_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    lane = queries.get_lane(request.access, public_id)
    initial = {name: getattr(lane, name) for name in LANE_FIELDS}
    if lane.credits_required is not None:
        initial["credits_required"] = number(lane.credits_required)
    form = LaneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_salary_lane(
                access=request.access, actor=request.user, lane=lane, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The lane “{form.cleaned_data['name']}” is saved.")
            return redirect("credit:manage")
    status = 400 if form.errors else 200
    return render(request, "credit/lane_form.html", {"form": form, "lane": lane}, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def lane_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    lane = queries.get_lane(request.access, public_id)
    try:
        services.delete_salary_lane(access=request.access, actor=request.user, lane=lane)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The lane “{lane.name}” is deleted.")
    return redirect("credit:manage")


# licences --------------------------------------------------------------------------------------


@district_view(Perm.MANAGE_CREDIT)
def licences(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = LicenceFilterForm(request.GET or None, district=access.district)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a wrong field shows its error; the valid ones still filter
        filters = form.cleaned_data
    page, rows = queries.licence_list(
        access,
        school=filters.get("school"),
        rule_set_key=filters.get("rule_set", ""),
        status=filters.get("status", ""),
        page_param=request.GET.get("page"),
    )
    context = {"form": form, "page": page, "rows": rows, "query": query_without_page(request)}
    return render(request, "credit/licences.html", context)


def _educator_page(
    request: HttpRequest,
    person: Any,
    *,
    licence_form: LicenceForm | None = None,
    credit_form: ExternalCreditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = request.access
    licence = queries.license_of(access.district, person)
    if licence_form is None:
        initial = (
            {
                "rule_set_key": licence.rule_set_key,
                "number": licence.number,
                "cycle_start": licence.cycle_start,
                "cycle_end": licence.cycle_end,
            }
            if licence
            else {}
        )
        licence_form = LicenceForm(initial=initial)
    context = {
        "person": person,
        "licence": licence,
        "licence_form": licence_form,
        "credit_form": credit_form or ExternalCreditForm(),
        "r": queries.renewal_progress_for(access, person),
        "ledger": queries.ledger(access.district, person),
    }
    return render(request, "credit/educator.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
def educator(request: HttpRequest, public_id: str) -> HttpResponse:
    return _educator_page(request, queries.get_district_person(request.access, public_id))


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def licence_save(request: HttpRequest, public_id: str) -> HttpResponse:
    person = queries.get_district_person(request.access, public_id)
    form = LicenceForm(request.POST)
    if form.is_valid():
        try:
            services.set_license(
                access=request.access, actor=request.user, educator=person, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The licence of {person.full_name} is saved.")
            return redirect("credit:educator", public_id=person.public_id)
    return _educator_page(request, person, licence_form=form, status=400)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def licence_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    person = queries.get_district_person(request.access, public_id)
    try:
        services.remove_license(access=request.access, actor=request.user, educator=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The licence of {person.full_name} is removed.")
    return redirect("credit:educator", public_id=person.public_id)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def credit_record(request: HttpRequest, public_id: str) -> HttpResponse:
    person = queries.get_district_person(request.access, public_id)
    form = ExternalCreditForm(request.POST)
    if form.is_valid():
        try:
            award = services.record_external_credit(
                access=request.access,
                actor=request.user,
                educator=person,
                **form.service_arguments(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{award.title}” is recorded for {person.full_name}.")
            return redirect("credit:educator", public_id=person.public_id)
    return _educator_page(request, person, credit_form=form, status=400)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def award_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    award = queries.get_award(request.access, public_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_award(
                access=request.access,
                actor=request.user,
                award=award,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{award.title}” is revoked.")
            return redirect("credit:educator", public_id=award.educator.public_id)
    status = 400 if form.errors else 200
    return render(request, "credit/revoke.html", {"form": form, "award": award}, status=status)


@district_view(Perm.MANAGE_CREDIT)
def export(request: HttpRequest) -> StreamingHttpResponse:
    district = request.access.district
    today = queries.district_today(district)
    response = StreamingHttpResponse(
        state_export_lines(district, today=today), content_type="text/csv; charset=utf-8"
    )
    filename = f"trellis-credit-{district.slug}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""District admin pages: observation ratings import and career-stage thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries
from trellis.growth.career import CareerStage, stage_label
from trellis.growth.forms import GrowthSettingsForm, ObservationImportForm
from trellis.growth.pages.me import add_domain_error
from trellis.growth.services import observations as observation_services
from trellis.growth.services import profile as profile_services


@district_view(Perm.IMPORT_OBSERVATIONS)
@require_http_methods(["GET", "POST"])
def observations_import(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        dry_run = request.POST.get("action") != "import"
        if form.is_valid():
            try:
                result = observation_services.import_observations(
                    access=access,
                    actor=request.user,
                    data=form.cleaned_data["file"].read(),
                    dry_run=dry_run,
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
        if form.errors or (result and result.errors):
            status = 400
        elif result and not dry_run:
            messages.success(
                request,
                f"{len(result.new)} rating(s) imported; {result.already_imported} were already "
                "there and were skipped.",
            )
            return redirect("growth:observations_import")
    context = {
        "form": form,
        "result": result,
        "framework": queries.adopted_framework(access.district),
        "totals": queries.recent_observation_imports(access.district),
    }
    return render(request, "growth/observations_import.html", context, status=status)


@district_view(Perm.IMPORT_OBSERVATIONS)
def observations_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "educator_email,competency_code,rating,observed_on,observer_role,observer_name\n"
        "maria.lopez@example.org,1.1,3,2025-03-14,principal,Dr. Jane Smith\n"
        "maria.lopez@example.org,1.1,2,2025-03-20,coach,\n",
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="trellis-observations.csv"'
    return response


@district_view(Perm.MANAGE_GROWTH_SETTINGS)
@require_http_methods(["GET", "POST"])
def growth_settings(request: HttpRequest) -> HttpResponse:
    access = request.access
    current = queries.growth_settings(access.district)
    form = GrowthSettingsForm(
        request.POST or None,
        initial={
            "developing_from": current.developing_from,
            "experienced_from": current.experienced_from,
            "veteran_from": current.veteran_from,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.update_growth_settings(
                access=access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The career stages are saved.")
            return redirect("growth:settings")
    summary = queries.career_stage_summary(access.district)
    context = {
        "form": form,
        "stages": [
            (stage_label(stage, summary.thresholds), summary.counts[stage]) for stage in CareerStage
        ],
    }
    return render(request, "growth/settings.html", context, status=400 if form.errors else 200)

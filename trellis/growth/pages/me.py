"""The educator's own growth page, profile and learning plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries
from trellis.growth.forms import PlanItemForm, ProfileForm
from trellis.growth.overview import growth_overview
from trellis.growth.services import plan as plan_services
from trellis.growth.services import profile as profile_services


def add_domain_error(form: object, exc: DomainError) -> None:
    """Attach a service error to the field it names, or to the form."""
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)  # type: ignore[attr-defined]


@district_view(Perm.VIEW_OWN_LEARNING)
def home(request: HttpRequest) -> HttpResponse:
    overview = growth_overview(request.access, request.user)
    return render(request, "growth/home.html", {"o": overview})


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    access = request.access
    current = queries.profile_for(request.user, access.district)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.update_profile(access=access, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("growth:profile")
    schools = queries.schools_of(request.user, access.district)
    context = {"form": form, "profile": current, "schools": schools}
    return render(request, "growth/profile.html", context, status=400 if form.errors else 200)


def _plan_form_page(
    request: HttpRequest, form: PlanItemForm, item: object = None, status: int = 200
) -> HttpResponse:
    return render(request, "growth/plan_item.html", {"form": form, "item": item}, status=status)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    access = request.access
    goals = list(queries.goals_for(access.district, request.user).exclude(status="achieved"))
    initial = {"status": "planned", "goal": request.GET.get("goal", "")}
    form = PlanItemForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = plan_services.add_plan_item(
                access=access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{item.title}” is in your learning plan.")
            return redirect("growth:home")
    return _plan_form_page(request, form, status=400 if form.errors else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def plan_item(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    item = queries.get_plan_item(access, request.user, public_id)
    goals = list(queries.goals_for(access.district, request.user))
    initial = {
        "title": item.title,
        "kind": item.kind,
        "link": item.link,
        "goal": str(item.goal.public_id) if item.goal else "",
        "status": item.status,
        "target_date": item.target_date,
    }
    form = PlanItemForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.update_plan_item(
                access=access, actor=request.user, item=item, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” is updated.")
            return redirect("growth:home")
    return _plan_form_page(request, form, item=item, status=400 if form.errors else 200)

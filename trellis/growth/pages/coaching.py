"""Caseloads: a coach's educators and their goals; admins assign coaches on the person page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.core.errors import DomainError
from trellis.districts import queries as district_queries
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries
from trellis.growth.forms import CoachAssignmentForm
from trellis.growth.services import caseload as services


@district_view(Perm.VIEW_CASELOAD)
def caseload(request: HttpRequest) -> HttpResponse:
    assignments = queries.caseload(request.access, request.user)
    return render(request, "growth/caseload.html", {"assignments": assignments})


@district_view(Perm.VIEW_CASELOAD)
def caseload_person(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    educator = queries.get_caseload_educator(access, request.user, public_id)
    goals = list(queries.goals_for(access.district, educator))
    context = {
        "educator": educator,
        "open_goals": [g for g in goals if g.is_open],
        "closed_goals": [g for g in goals if not g.is_open],
        "profile": queries.profile_for(educator, access.district),
    }
    return render(request, "growth/caseload_person.html", context)


def _member(request: HttpRequest, public_id: str) -> object:
    member = district_queries.members(request.access).filter(public_id=public_id).first()
    if member is None:
        raise Http404("No such person.")
    return member


@district_view(Perm.MANAGE_PEOPLE)
@require_POST
def assign_coach(request: HttpRequest, public_id: str) -> HttpResponse:
    educator = _member(request, public_id)
    coach = queries.find_coach(request.access.district, request.POST.get("coach", ""))
    if coach is None:
        messages.error(request, "Choose a coach from the list.")
    else:
        try:
            services.assign_coach(
                access=request.access, actor=request.user, coach=coach, educator=educator
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{coach.full_name} now coaches {educator}.")
    return redirect("growth:person", public_id=educator.public_id)


@district_view(Perm.MANAGE_PEOPLE)
@require_POST
def unassign_coach(request: HttpRequest, public_id: str, assignment_id: str) -> HttpResponse:
    educator = _member(request, public_id)
    assignment = queries.get_assignment(request.access, assignment_id)
    if assignment.educator_id != educator.pk:
        raise Http404("No such coaching assignment.")
    services.unassign_coach(access=request.access, actor=request.user, assignment=assignment)
    messages.success(request, f"{assignment.coach.full_name} no longer coaches {educator}.")
    return redirect("growth:person", public_id=educator.public_id)


def coaching_panel(access: DistrictAccess, member: Any) -> dict[str, Any] | None:
    """The person page's coaching card for district admins: coaches of this person, add/remove."""
    if not access.can(Perm.MANAGE_PEOPLE):
        return None
    assignments = queries.coaches_of(access.district, member)
    taken = {a.coach_id for a in assignments} | {member.pk}
    available = [c for c in queries.coaches(access.district) if c.pk not in taken]
    return {
        "assignments": assignments,
        "form": CoachAssignmentForm(coaches=available) if available else None,
    }

"""Goals: set, edit, change status, reflect (the educator); read and comment (their coaches)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries
from trellis.growth.forms import EntryForm, GoalForm, GoalStatusForm
from trellis.growth.models import Goal
from trellis.growth.pages.me import add_domain_error
from trellis.growth.services import goals as services
from trellis.growth.services.goals import GOAL_TRANSITIONS

NEW_GOAL_STATUSES = [(Goal.Status.ACTIVE, "Active"), (Goal.Status.DRAFT, "Draft")]


def _status_choices(goal: Goal) -> list[tuple[str, str]]:
    allowed = GOAL_TRANSITIONS.get(goal.status, set())
    return [(goal.status, f"{goal.get_status_display()} (now)")] + [
        (value, label) for value, label in Goal.Status.choices if value in allowed
    ]


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    access = request.access
    framework = queries.adopted_framework(access.district)
    cmap = queries.competency_map(framework) if framework else None
    preselected = [c for c in request.GET.getlist("competency") if c]
    form = GoalForm(
        request.POST or None,
        cmap=cmap,
        status_choices=NEW_GOAL_STATUSES,
        initial={"status": Goal.Status.ACTIVE, "competencies": preselected},
    )
    if request.method == "POST" and cmap is not None and form.is_valid():
        try:
            goal = services.create_goal(access=access, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Your goal “{goal.title}” is set.")
            return redirect("growth:goal", public_id=goal.public_id)
    context = {"form": form, "cmap": cmap, "goal": None}
    return render(request, "growth/goal_form.html", context, status=400 if form.errors else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    goal = queries.get_own_goal(access, request.user, public_id)
    framework = queries.adopted_framework(access.district)
    cmap = queries.competency_map(framework) if framework else None
    initial = {
        "title": goal.title,
        "description": goal.description,
        "measure": goal.measure,
        "target_date": goal.target_date,
        "competencies": [str(c.public_id) for c in goal.competencies.all()],
        "status": goal.status,
    }
    form = GoalForm(
        request.POST or None, cmap=cmap, status_choices=_status_choices(goal), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(access=access, actor=request.user, goal=goal, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your goal is updated.")
            return redirect("growth:goal", public_id=goal.public_id)
    context = {"form": form, "cmap": cmap, "goal": goal}
    return render(request, "growth/goal_form.html", context, status=400 if form.errors else 200)


def _goal_page(
    request: HttpRequest, goal: Goal, *, status: int = 200, **forms: Any
) -> HttpResponse:
    is_owner = goal.educator_id == request.user.pk
    context = {
        "goal": goal,
        "is_owner": is_owner,
        "is_coach": not is_owner,
        "status_form": forms.get("status_form")
        or (GoalStatusForm(choices=_status_choices(goal)) if is_owner else None),
        "reflection_form": forms.get("reflection_form")
        or (EntryForm(label="Add a reflection") if is_owner else None),
        "comment_form": forms.get("comment_form")
        or (EntryForm(label="Add a comment", prefix="comment") if not is_owner else None),
        "plan": list(goal.plan_items.all()) if is_owner else [],
    }
    return render(request, "growth/goal.html", context, status=status)


@district_view(Perm.VIEW_OWN_LEARNING)
def goal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = queries.get_goal_for_viewer(request.access, request.user, public_id)
    return _goal_page(request, goal)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def goal_status(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = queries.get_own_goal(request.access, request.user, public_id)
    form = GoalStatusForm(request.POST, choices=_status_choices(goal))
    if form.is_valid():
        try:
            services.update_goal(
                access=request.access,
                actor=request.user,
                goal=goal,
                status=form.cleaned_data["status"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The goal's status is saved.")
            return redirect("growth:goal", public_id=goal.public_id)
    return _goal_page(request, goal, status=400, status_form=form)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def goal_reflect(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = queries.get_own_goal(request.access, request.user, public_id)
    form = EntryForm(request.POST, label="Add a reflection")
    if form.is_valid():
        try:
            services.add_reflection(
                access=request.access, actor=request.user, goal=goal, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect("growth:goal", public_id=goal.public_id)
    return _goal_page(request, goal, status=400, reflection_form=form)


@district_view(Perm.VIEW_CASELOAD)
@require_POST
def goal_comment(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = queries.get_goal_for_viewer(request.access, request.user, public_id)
    if goal.educator_id == request.user.pk:
        raise Http404("No such goal on your caseload.")
    form = EntryForm(request.POST, label="Add a comment", prefix="comment")
    if form.is_valid():
        try:
            services.add_comment(
                access=request.access, actor=request.user, goal=goal, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Your comment is posted for {goal.educator.full_name}.")
            return redirect("growth:goal", public_id=goal.public_id)
    return _goal_page(request, goal, status=400, comment_form=form)

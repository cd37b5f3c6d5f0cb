"""Self-assessment: the long form (saved as a draft part-way) and the dated snapshots."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries
from trellis.growth.forms import SelfAssessmentForm
from trellis.growth.services import assessments as services


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest) -> HttpResponse:
    access = request.access
    framework = queries.adopted_framework(access.district)
    cmap = queries.competency_map(framework) if framework else None
    if cmap is None or not cmap.competencies or not cmap.levels:
        return render(request, "growth/self_assessment.html", {"cmap": cmap, "form": None})
    draft = queries.self_assessment_draft(access.district, request.user)
    latest = None if draft else queries.latest_self_assessment(access.district, request.user)
    action = request.POST.get("action", "draft")
    if request.method == "POST" and action == "discard":
        if services.discard_self_assessment_draft(access=access, actor=request.user):
            messages.success(request, "Your draft is discarded.")
        return redirect("growth:self_assessment")
    form = SelfAssessmentForm(
        request.POST or None,
        cmap=cmap,
        initial=SelfAssessmentForm.initial_from(draft or latest, cmap),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(
                access=access, actor=request.user, ratings=form.ratings(), submit=action == "submit"
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if action == "submit":
                messages.success(request, "Your self-assessment is saved as today's snapshot.")
                return redirect("growth:home")
            messages.success(request, "Your draft is saved. Come back any time to finish it.")
            return redirect("growth:self_assessment")
    context = {
        "cmap": cmap,
        "form": form,
        "draft": draft,
        "prefilled_from": latest,
        "draft_rated": (sum(1 for r in draft.ratings.all() if r.value is not None) if draft else 0),
    }
    return render(
        request, "growth/self_assessment.html", context, status=400 if form.errors else 200
    )


@district_view(Perm.VIEW_OWN_LEARNING)
def snapshot(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = queries.get_snapshot(request.access, request.user, public_id)
    labels = dict(assessment.framework.levels.values_list("value", "label"))
    ratings = [
        {"rating": r, "label": labels.get(r.value, r.value) if r.value is not None else ""}
        for r in assessment.ratings.all()
    ]
    return render(request, "growth/snapshot.html", {"assessment": assessment, "ratings": ratings})

"""Completion pages: the educator's checklist (and “I finished it” with the reflection), and the
district's completion policy."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.catalog.forms_attendance import CompletionForm, CompletionPolicyForm
from trellis.catalog.models import EnrollmentStatus, SurveyPhase
from trellis.catalog.queries import attendance as attendance_queries
from trellis.catalog.queries import surveys as survey_queries
from trellis.catalog.services import completion as services
from trellis.catalog.services import surveys as survey_services
from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    enrollment = attendance_queries.get_own_enrollment(access, request.user, public_id)
    policy = services.policy_for(access.district)
    survey_services.ensure_standard_questions(access.district)
    check = services.completion_check(enrollment, policy=policy)
    reflection_required = services.reflection_required(policy, enrollment.offering)
    form = CompletionForm(
        request.POST or None,
        sessionless=not check.has_sessions,
        reflection_required=reflection_required,
        initial={"reflection": enrollment.reflection},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                check = services.submit_completion(
                    access=access,
                    actor=request.user,
                    enrollment=enrollment,
                    reflection=form.cleaned_data["reflection"],
                    finished=form.cleaned_data.get("finished", False),
                )
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                if check.just_completed:
                    messages.success(request, f"You completed “{enrollment.offering.title}”.")
                elif any(r.key == "survey" for r in check.missing):
                    messages.success(request, "Saved. One more step: the feedback survey.")
                    return redirect("catalog:survey", public_id=enrollment.public_id)
                else:
                    messages.success(request, "Saved.")
                return redirect("catalog:complete", public_id=enrollment.public_id)
        status = 400
    enrollment.refresh_from_db()
    after = survey_queries.response_for(enrollment, SurveyPhase.AFTER)
    follow_up = survey_queries.response_for(enrollment, SurveyPhase.FOLLOW_UP)
    context = {
        "enrollment": enrollment,
        "offering": enrollment.offering,
        "check": check,
        "policy": policy,
        "form": form,
        "can_submit": enrollment.status == EnrollmentStatus.ENROLLED
        and (reflection_required or not check.has_sessions),
        "after_survey": after,
        "after_open": survey_services.availability(enrollment, SurveyPhase.AFTER),
        "follow_up": follow_up,
        "follow_up_due": services.follow_up_due(enrollment, policy),
        "follow_up_open": survey_services.availability(enrollment, SurveyPhase.FOLLOW_UP),
        "credit_text": services.credit_sentence(enrollment.offering, enrollment.credit_awarded),
    }
    return render(request, "catalog/completion/complete.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def completion_policy(request: HttpRequest) -> HttpResponse:
    access = request.access
    policy = services.policy_for(access.district)
    initial = {
        "min_attendance_percent": policy.min_attendance_percent,
        "require_survey": policy.require_survey,
        "require_reflection": policy.require_reflection,
        "follow_up_weeks": policy.follow_up_weeks,
    }
    form = CompletionPolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_policy(access=access, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, "The completion policy is saved.")
                return redirect("catalog:completion_policy")
        status = 400
    survey_services.ensure_standard_questions(access.district)
    context = {
        "form": form,
        "policy": policy,
        "phases": survey_queries.questions_by_phase(access.district),
    }
    return render(request, "catalog/completion/policy.html", context, status=status)

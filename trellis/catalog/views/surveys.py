"""Feedback survey pages: the educator's survey (after the activity and the follow-up), the
district's questions, and an offering's results for catalog managers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.forms_attendance import QuestionAddForm, QuestionEditForm, survey_form
from trellis.catalog.models import SurveyPhase
from trellis.catalog.queries import attendance as attendance_queries
from trellis.catalog.queries import surveys as queries
from trellis.catalog.services import survey_questions as question_services
from trellis.catalog.services import surveys as services
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    enrollment = attendance_queries.get_own_enrollment(access, request.user, public_id)
    phase = request.GET.get("phase") or SurveyPhase.AFTER
    if phase not in SurveyPhase.values:
        phase = SurveyPhase.AFTER
    questions = services.questions_for(access.district, phase)
    response = queries.response_for(enrollment, phase)
    state = services.availability(enrollment, phase)
    form = survey_form(questions, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and response is None:
        if form.is_valid():
            try:
                response, check = services.submit_response(
                    access=access,
                    actor=request.user,
                    enrollment=enrollment,
                    phase=phase,
                    answers=form.cleaned_data,
                )
            except ConflictError as exc:
                messages.info(request, exc.message)
                return redirect(request.get_full_path())
            except DomainError as exc:
                for key, message in exc.details.get("errors", {}).items():
                    form.add_error(key if key in form.fields else None, message)
                if not exc.details.get("errors"):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, "Thank you! Your answers are saved.")
                if check is not None and check.just_completed:
                    messages.success(request, f"You completed “{enrollment.offering.title}”.")
                if phase == SurveyPhase.AFTER:
                    return redirect("catalog:complete", public_id=enrollment.public_id)
                return redirect(request.get_full_path())
        status = 400
    context = {
        "enrollment": enrollment,
        "offering": enrollment.offering,
        "phase": phase,
        "phase_label": SurveyPhase(phase).label,
        "form": form,
        "response": response,
        "answers": queries.answered(response, questions) if response else [],
        "state": state,
    }
    return render(request, "catalog/surveys/survey.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def survey_questions(request: HttpRequest) -> HttpResponse:
    """The district's questions by phase, and the form to add one."""
    access = request.access
    services.ensure_standard_questions(access.district)
    form = QuestionAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                question = question_services.add_question(
                    access=access, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Question added: “{question.text}”.")
                return redirect("catalog:survey_questions")
        status = 400
    context = {"form": form, "phases": queries.questions_by_phase(access.district)}
    return render(request, "catalog/surveys/questions.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def survey_question_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    question = queries.get_question(access, public_id)
    form = QuestionEditForm(request.POST or None, question=question)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                question_services.update_question(
                    access=access,
                    actor=request.user,
                    question=question,
                    text=None if question.is_standard else data["text"],
                    required=data["required"],
                    is_active=data["is_active"],
                )
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, "The question is saved.")
                return redirect("catalog:survey_questions")
        status = 400
    context = {"form": form, "question": question}
    return render(request, "catalog/surveys/question_edit.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def survey_question_action(request: HttpRequest, public_id: str) -> HttpResponse:
    """Move up or down, ask or stop asking, or delete one question (buttons on the list)."""
    access = request.access
    question = queries.get_question(access, public_id)
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            question_services.move_question(
                access=access, actor=request.user, question=question, direction=action
            )
        elif action in ("activate", "deactivate"):
            question_services.update_question(
                access=access,
                actor=request.user,
                question=question,
                is_active=action == "activate",
            )
            messages.success(
                request,
                f"“{question.text}” is {'asked' if action == 'activate' else 'no longer asked'}.",
            )
        elif action == "delete":
            question_services.delete_question(access=access, actor=request.user, question=question)
            messages.success(request, f"Deleted “{question.text}”.")
        else:
            messages.error(request, "Choose what to do with the question.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("catalog:survey_questions")


@district_view(Perm.MANAGE_CATALOG)
def offering_feedback(request: HttpRequest, public_id: str) -> HttpResponse:
    offering = queries.get_offering(request.access, public_id)
    summary = queries.survey_summary(offering)
    context = {
        "offering": offering,
        "summary": summary,
        "after_count": summary["responses"][SurveyPhase.AFTER],
        "follow_up_count": summary["responses"][SurveyPhase.FOLLOW_UP],
    }
    return render(request, "catalog/surveys/feedback.html", context)

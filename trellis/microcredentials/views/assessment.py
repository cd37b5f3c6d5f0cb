"""Assessor pages: the inbox of my assignments and the scoring page; and the educator's appeal
of a "not yet" decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.core.errors import ConflictError, DomainError
from trellis.core.pagination import paginate
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.microcredentials.models import Assignment
from trellis.microcredentials.queries import assessment as queries
from trellis.microcredentials.queries.assessor_pool import settings_for
from trellis.microcredentials.services import appeals, scoring
from trellis.microcredentials.services._assessment import MAX_FEEDBACK, MAX_REASON
from trellis.microcredentials.services._notices import submission_path

RECENT_COMPLETED = 10


@district_view(Perm.ASSESS_SUBMISSIONS)
def inbox(request: HttpRequest) -> HttpResponse:
    access = request.access
    page = paginate(
        queries.assignments_of(access, request.user, open_only=True),
        request.GET.get("page"),
        per_page=20,
    )
    completed = list(
        queries.assignments_of(access, request.user, open_only=False)[:RECENT_COMPLETED]
    )
    context = {
        "page": page,
        "rows": queries.inbox_rows(access, list(page.object_list)),
        "completed": queries.inbox_rows(access, completed),
        "query": "",
        "tz": access.district.timezone,
    }
    return render(request, "microcredentials/assessment/inbox.html", context)


def _posted_scores(request: HttpRequest, criteria: list[Any]) -> dict[str, tuple[str, str]]:
    return {
        str(c.public_id): (
            request.POST.get(f"level-{c.public_id}", ""),
            request.POST.get(f"feedback-{c.public_id}", ""),
        )
        for c in criteria
    }


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def score_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """The submission's parts, answers and artifacts with a level and feedback per criterion.
    Only the assessor scores; district PD leaders may read it; anyone else gets 403."""
    access = request.access
    assignment = queries.get_assignment(access, public_id)
    mine = assignment.assessor_id == request.user.pk
    if not mine and not access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        raise DjangoPermissionDenied("This submission is assigned to another assessor.")
    submission = assignment.submission
    parts = queries.parts_of(submission)
    criteria = [c for part in parts for c in part.criteria]
    status, errors, error_message = 200, {}, ""
    posted: dict[str, tuple[str, str]] = {}
    overall = ""
    if request.method == "POST":
        if not mine:
            raise DjangoPermissionDenied("This submission is assigned to another assessor.")
        posted = _posted_scores(request, criteria)
        overall = request.POST.get("feedback", "")
        try:
            scoring.score(
                access=access,
                actor=request.user,
                assignment=assignment,
                scores=posted,
                feedback=overall,
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("microcredentials:assessment_inbox")
        except DomainError as exc:
            status = exc.status
            error_message = exc.message
            errors = exc.details.get("errors", {})
            if exc.details.get("field") == "feedback":
                errors = {"feedback": exc.message}
        else:
            assignment.refresh_from_db()
            messages.success(
                request,
                f"Scores saved: {assignment.get_outcome_display().lower()}."
                + (
                    " This was a calibration exercise; the educator is not affected."
                    if assignment.role == Assignment.Role.CALIBRATION
                    else ""
                ),
            )
            return redirect("microcredentials:assessment_inbox")
    blind = settings_for(access.district).blind_assessment
    context = {
        "assignment": assignment,
        "submission": submission,
        "educator": queries.educator_label(submission, blind=blind and mine),
        "parts": parts,
        "scores": queries.scores_of(assignment),
        "open": mine and assignment.status == Assignment.Status.ASSIGNED,
        "posted": {key: {"level": v[0], "feedback": v[1]} for key, v in posted.items()},
        "overall": overall,
        "errors": errors,
        "error_message": error_message,
        "max_feedback": MAX_FEEDBACK,
        "tz": access.district.timezone,
    }
    return render(request, "microcredentials/assessment/score.html", context, status=status)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def appeal_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """The educator appeals a "not yet" decision: a reviewer who did not score it decides."""
    access = request.access
    submission = queries.get_submission(access, public_id)
    if submission.educator_id != request.user.pk:
        raise DjangoPermissionDenied("Only the educator who submitted the work may appeal.")
    decision = queries.decision_for(submission)
    status, error, reason = 200, "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            appeals.appeal(access=access, actor=request.user, submission=submission, reason=reason)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(submission_path(submission))
        except DomainError as exc:
            status, error = exc.status, exc.message
        else:
            messages.success(
                request,
                "Your appeal is with another assessor, who did not score this attempt. Their "
                "decision is final for this attempt; you will get an e-mail.",
            )
            return redirect(submission_path(submission))
    context = {
        "submission": submission,
        "decision": decision,
        "error": error,
        "reason": reason,
        "max_reason": MAX_REASON,
        "back": submission_path(submission),
    }
    return render(request, "microcredentials/assessment/appeal.html", context, status=status)

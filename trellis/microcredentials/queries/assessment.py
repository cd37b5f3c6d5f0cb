"""Reads for assessment: the assessor's inbox, one assignment with what to score, the PD
leaders' queue of waiting and overdue work, and a decision's summary for the educator.

Blind assessment: when the district chooses it, assessors see "Educator #<short id>" (from the
submission's public id) instead of the educator's name and e-mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from trellis.core.errors import ConflictError, PermissionDenied
from trellis.core.ids import public_id_or_404
from trellis.districts.queries import DistrictAccess
from trellis.growth.models import CoachingAssignment
from trellis.microcredentials.models import (
    Answer,
    Artifact,
    Assignment,
    CriterionScore,
    RequirementPart,
    RubricCriterion,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.queries.assessor_pool import WORKLOAD_ROLES, settings_for

Role = Assignment.Role
WAITING_STATUSES = (
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.IN_ASSESSMENT,
    SubmissionStatus.APPEALED,
)


def educator_label(submission: Submission, *, blind: bool) -> str:
    if blind:
        return f"Educator #{submission.public_id.hex[:6]}"
    return submission.educator.full_name or submission.educator.email


def assignments_of(access: DistrictAccess, user: Any, *, open_only: bool) -> QuerySet:
    """The user's assignments in the district: open ones soonest due first, or completed ones
    most recent first."""
    rows = Assignment.objects.filter(
        submission__district=access.district, assessor=user
    ).select_related("submission__version", "submission__educator")
    if open_only:
        return rows.filter(status=Assignment.Status.ASSIGNED).order_by("due_at", "id")
    return rows.filter(status=Assignment.Status.COMPLETED).order_by("-completed_at", "-id")


@dataclass(frozen=True)
class InboxRow:
    assignment: Assignment
    educator: str
    overdue: bool


def inbox_rows(access: DistrictAccess, assignments: list[Assignment]) -> list[InboxRow]:
    blind = settings_for(access.district).blind_assessment
    now = timezone.now()
    return [
        InboxRow(
            assignment=a,
            educator=educator_label(a.submission, blind=blind),
            overdue=a.status == Assignment.Status.ASSIGNED and a.due_at < now,
        )
        for a in assignments
    ]


def get_assignment(access: DistrictAccess, public_id: Any) -> Assignment:
    uid = public_id_or_404(public_id, "assignment")
    found = (
        Assignment.objects.filter(submission__district=access.district, public_id=uid)
        .select_related("submission__version", "submission__educator", "assessor")
        .first()
    )
    if found is None:
        raise Http404("No such assignment.")
    return found


def get_submission(access: DistrictAccess, public_id: Any) -> Submission:
    uid = public_id_or_404(public_id, "submission")
    found = (
        Submission.objects.filter(district=access.district, public_id=uid)
        .select_related("version", "educator")
        .first()
    )
    if found is None:
        raise Http404("No such submission.")
    return found


def open_assignment_on(access: DistrictAccess, user: Any, submission_id: Any) -> Assignment:
    """The caller's open assignment on a submission (the API scores by submission id): 404 for
    a submission of another district, 403 when the caller has no open assignment on it."""
    submission = get_submission(access, submission_id)
    mine = Assignment.objects.filter(submission=submission, assessor=user).exclude(
        status=Assignment.Status.REASSIGNED
    )
    found = mine.filter(status=Assignment.Status.ASSIGNED).order_by("id").first()
    if found is not None:
        return found
    if mine.filter(attempt=submission.attempt, status=Assignment.Status.COMPLETED).exists():
        raise ConflictError(
            "already_scored", "You already scored this submission; a score cannot be changed."
        )
    raise PermissionDenied("This submission is not assigned to you.")


@dataclass
class PartView:
    part: RequirementPart
    answer: str
    artifacts: list[Artifact]
    criteria: list[RubricCriterion]


def parts_of(submission: Submission) -> list[PartView]:
    """The submission's parts in order, each with its answer, artifacts and criteria."""
    parts = RequirementPart.objects.filter(version_id=submission.version_id).prefetch_related(
        Prefetch("criteria", queryset=RubricCriterion.objects.order_by("position"))
    )
    answers = dict(Answer.objects.filter(submission=submission).values_list("part_id", "text"))
    artifacts: dict[int, list[Artifact]] = {}
    for artifact in Artifact.objects.filter(submission=submission):
        artifacts.setdefault(artifact.part_id, []).append(artifact)
    return [
        PartView(p, answers.get(p.pk, ""), artifacts.get(p.pk, []), list(p.criteria.all()))
        for p in parts.order_by("position")
    ]


def scores_of(assignment: Assignment) -> dict[int, CriterionScore]:
    return {s.criterion_id: s for s in assignment.scores.all()}


def deciding_assignment(submission: Submission) -> Assignment | None:
    """The completed assignment whose outcome decided the current attempt: the appeal, else the
    third scorer, else the primary assessor."""
    done = {
        a.role: a
        for a in Assignment.objects.filter(
            submission=submission,
            attempt=submission.attempt,
            status=Assignment.Status.COMPLETED,
        ).order_by("completed_at", "id")
    }
    for role in (Role.APPEAL, Role.THIRD, Role.PRIMARY):
        if role in done:
            return done[role]
    return None


def coaches_of(submission: Submission) -> list[Any]:
    return [
        row.coach
        for row in CoachingAssignment.objects.filter(
            district=submission.district, educator=submission.educator
        ).select_related("coach")
    ]


@dataclass
class Decision:
    outcome: str
    assignment: Assignment
    scores: list[CriterionScore]
    attempts_used: int
    max_attempts: int
    can_resubmit: bool
    can_appeal: bool
    coaching_offered: bool
    coaches: list[Any] = field(default_factory=list)


def decision_for(submission: Submission) -> Decision | None:
    """What the educator sees about a decided attempt (for the earning pages): the outcome, the
    feedback per criterion, whether they may resubmit or appeal, and any coaching offer."""
    if submission.status not in (SubmissionStatus.NOT_YET, SubmissionStatus.EARNED):
        return None
    deciding = deciding_assignment(submission)
    if deciding is None:
        return None
    settings = settings_for(submission.district)
    not_yet = submission.status == SubmissionStatus.NOT_YET
    coaching = not_yet and 0 < settings.coaching_after_attempts <= submission.attempt
    appealed = Assignment.objects.filter(
        submission=submission, attempt=submission.attempt, role=Role.APPEAL
    ).exists()
    return Decision(
        outcome=deciding.outcome,
        assignment=deciding,
        scores=list(
            deciding.scores.select_related("criterion__part").order_by(
                "criterion__part__position", "criterion__position"
            )
        ),
        attempts_used=submission.attempt,
        max_attempts=settings.max_attempts,
        can_resubmit=not_yet and submission.attempt < settings.max_attempts,
        can_appeal=not_yet and not appealed,
        coaching_offered=coaching,
        coaches=coaches_of(submission) if coaching else [],
    )


def waiting_without_assessor(access: DistrictAccess) -> QuerySet:
    """Submissions waiting for assessment with no open assignment (nobody eligible was found)."""
    open_work = Assignment.objects.filter(
        submission=OuterRef("pk"),
        status=Assignment.Status.ASSIGNED,
        role__in=WORKLOAD_ROLES,
    )
    return (
        Submission.objects.filter(district=access.district, status__in=WAITING_STATUSES)
        .exclude(Exists(open_work))
        .select_related("version", "educator")
        .order_by("submitted_at", "id")
    )


def overdue_assignments(access: DistrictAccess, *, now: dt.datetime | None = None) -> QuerySet:
    return (
        Assignment.objects.filter(
            submission__district=access.district,
            status=Assignment.Status.ASSIGNED,
            role__in=WORKLOAD_ROLES,
            due_at__lt=now or timezone.now(),
        )
        .select_related("submission__version", "submission__educator", "assessor")
        .order_by("due_at", "id")
    )

"""Scoring an assignment per rubric criterion, and resolving the submission's outcome.

Resolution of one attempt:
- a pending assignment (a second scorer still working) → wait;
- an appeal reviewer's score decides an appealed submission;
- a third scorer's score decides after a disagreement;
- primary and second scorer agree on the outcome → that outcome; they disagree → a third scorer;
- a primary scorer alone → their outcome.
Calibration exercises are scored the same way but never touch the submission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import (
    Assignment,
    CriterionScore,
    RubricCriterion,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.queries.assessor_pool import settings_for
from trellis.microcredentials.services import awards
from trellis.microcredentials.services._assessment import MAX_FEEDBACK, event, lock_submission
from trellis.microcredentials.services._notices import tell_not_yet
from trellis.microcredentials.services.assignment import assign_extra

Role = Assignment.Role
Outcome = Assignment.Outcome
PROFICIENT = "proficient"


def proficient_index(levels: list[dict]) -> int:
    """Index of the lowest level that meets the criterion: the level keyed "proficient" (levels
    run lowest first), or the top level when a rubric has no such key."""
    keys = [level.get("key") for level in levels]
    return keys.index(PROFICIENT) if PROFICIENT in keys else len(keys) - 1


def version_criteria(version_id: int) -> list[RubricCriterion]:
    return list(
        RubricCriterion.objects.filter(part__version_id=version_id)
        .select_related("part")
        .order_by("part__position", "position")
    )


def _text(value: Any) -> str:
    return str(value or "").strip()


def clean_scores(
    criteria: list[RubricCriterion], scores: dict[Any, tuple[str, str]]
) -> list[tuple[RubricCriterion, str, bool, str]]:
    """(criterion, level, meets, feedback) for every criterion, or DomainError naming every
    problem: a criterion not scored, a level the criterion does not have, a criterion not yet
    proficient without feedback, feedback too long, or a criterion of another rubric."""
    by_id = {str(c.public_id): c for c in criteria}
    given = {str(key): value for key, value in (scores or {}).items()}
    errors: dict[str, str] = {}
    for key in given:
        if key not in by_id:
            errors[key] = f"“{key}” is not a criterion of this rubric."
    cleaned = []
    for criterion_id, criterion in by_id.items():
        level, feedback = (given.get(criterion_id) or ("", ""))[:2]
        level, feedback = _text(level), _text(feedback)
        keys = [item.get("key") for item in criterion.levels]
        if not level:
            errors[criterion_id] = f"Choose a level for “{criterion.name}”."
            continue
        if level not in keys:
            errors[criterion_id] = (
                f"“{level}” is not a level of “{criterion.name}”: choose one of {', '.join(keys)}."
            )
            continue
        meets = keys.index(level) >= proficient_index(criterion.levels)
        if not meets and not feedback:
            errors[criterion_id] = (
                f"Write feedback for “{criterion.name}”: it is not yet proficient, so the "
                "educator needs to know what to change."
            )
            continue
        if len(feedback) > MAX_FEEDBACK:
            errors[criterion_id] = (
                f"The feedback for “{criterion.name}” is too long (at most {MAX_FEEDBACK} "
                "characters)."
            )
            continue
        cleaned.append((criterion, level, meets, feedback))
    if errors:
        first = next(iter(errors))
        message = errors[first]
        if len(errors) > 1:
            message = f"{len(errors)} criteria need attention. {message}"
        raise DomainError(
            "invalid_scores", message, details={"field": f"criterion-{first}", "errors": errors}
        )
    return cleaned


@transaction.atomic
def score(
    *,
    access: DistrictAccess,
    actor: Any,
    assignment: Assignment,
    scores: dict[Any, tuple[str, str]],
    feedback: str = "",
) -> Assignment:
    """The assignment's assessor scores every criterion; the submission is then resolved.
    403 for anyone else, 409 once scored or reassigned, 400 for incomplete or invalid scores."""
    if assignment.submission.district_id != access.district.pk:
        raise Http404("No such assignment.")
    if assignment.assessor_id != actor.pk:
        raise PermissionDenied("This submission is assigned to another assessor.")
    submission = lock_submission(assignment.submission)
    assignment = Assignment.objects.get(pk=assignment.pk)
    if assignment.status == Assignment.Status.COMPLETED:
        raise ConflictError(
            "already_scored", "You already scored this submission; a score cannot be changed."
        )
    if assignment.status == Assignment.Status.REASSIGNED:
        raise ConflictError(
            "reassigned",
            "This assessment was reassigned to another assessor (it was overdue or moved by "
            "the PD office); your scores were not saved.",
        )
    if assignment.role != Role.CALIBRATION and assignment.attempt != submission.attempt:
        raise ConflictError(
            "stale_attempt",
            "The educator has resubmitted since this was assigned; score the new attempt instead.",
        )
    cleaned = clean_scores(version_criteria(submission.version_id), scores)
    feedback = _text(feedback)
    if len(feedback) > MAX_FEEDBACK:
        raise DomainError(
            "invalid_scores",
            f"The overall feedback is too long (at most {MAX_FEEDBACK} characters).",
            details={"field": "feedback"},
        )
    now = timezone.now()
    CriterionScore.objects.bulk_create(
        CriterionScore(assignment=assignment, criterion=c, level=lv, meets=m, feedback=fb)
        for c, lv, m, fb in cleaned
    )
    outcome = Outcome.EARNED if all(m for _, _, m, _ in cleaned) else Outcome.NOT_YET
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = now
    assignment.outcome = outcome
    assignment.feedback = feedback
    assignment.save(update_fields=["status", "completed_at", "outcome", "feedback", "updated_at"])
    audit.record(
        action="mc_assignment.scored",
        summary=f"{actor.email} scored “{submission.version.title}” "
        f"({assignment.get_role_display().lower()}): {assignment.get_outcome_display().lower()}",
        actor=actor,
        subject=submission.educator,
        district=submission.district,
        target=assignment,
        data={"role": assignment.role, "outcome": outcome, "attempt": assignment.attempt},
    )
    if assignment.role == Role.CALIBRATION:
        return assignment
    event(
        submission,
        "scored",
        actor=actor,
        at=now,
        assignment=str(assignment.public_id),
        role=assignment.role,
        outcome=outcome,
        attempt=assignment.attempt,
    )
    resolve(submission, actor=actor, now=now)
    return assignment


def resolve(submission: Submission, *, actor: Any, now: dt.datetime) -> str | None:
    """Decide the attempt when its scores allow (see the module note); returns the decided
    outcome, or None while waiting (a pending scorer, or a third scorer just assigned)."""
    live = list(
        Assignment.objects.filter(submission=submission, attempt=submission.attempt)
        .exclude(status=Assignment.Status.REASSIGNED)
        .exclude(role=Role.CALIBRATION)
        .order_by("completed_at", "id")
    )
    if any(a.status == Assignment.Status.ASSIGNED for a in live):
        return None
    done = {a.role: a for a in live if a.status == Assignment.Status.COMPLETED}
    if submission.status == SubmissionStatus.APPEALED:
        deciding = done.get(Role.APPEAL)
    elif Role.THIRD in done:
        deciding = done[Role.THIRD]
    elif Role.PRIMARY in done and Role.SECOND in done:
        primary, second = done[Role.PRIMARY], done[Role.SECOND]
        if primary.outcome != second.outcome:
            event(
                submission,
                "disagreement",
                actor=actor,
                at=now,
                attempt=submission.attempt,
                outcomes={Role.PRIMARY: primary.outcome, Role.SECOND: second.outcome},
            )
            assign_extra(submission, Role.THIRD, now=now, actor=actor)
            return None
        deciding = primary
    else:
        deciding = done.get(Role.PRIMARY)
    if deciding is None:
        return None
    decide(submission, deciding, actor=actor, now=now)
    return deciding.outcome


def decide(submission: Submission, deciding: Assignment, *, actor: Any, now: dt.datetime) -> None:
    settings = settings_for(submission.district)
    submission.decided_at = now
    if deciding.outcome == Outcome.EARNED:
        submission.status = SubmissionStatus.EARNED
        submission.earned_at = now
        submission.save(update_fields=["status", "decided_at", "earned_at", "updated_at"])
        event(
            submission,
            "decided",
            actor=actor,
            at=now,
            outcome=Outcome.EARNED,
            attempt=submission.attempt,
            decided_by=str(deciding.public_id),
            role=deciding.role,
        )
        awards.award_submission(submission, actor=actor, now=now)
        return
    # Each earlier attempt ended "not yet" (otherwise there would be no resubmission), so the
    # attempt number counts both the attempts used and the "not yet" outcomes so far.
    can_resubmit = submission.attempt < settings.max_attempts
    coaching = 0 < settings.coaching_after_attempts <= submission.attempt
    submission.status = SubmissionStatus.NOT_YET
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    event(
        submission,
        "decided",
        actor=actor,
        at=now,
        outcome=Outcome.NOT_YET,
        attempt=submission.attempt,
        decided_by=str(deciding.public_id),
        role=deciding.role,
        can_resubmit=can_resubmit,
        max_attempts=settings.max_attempts,
        coaching_offered=coaching,
    )
    tell_not_yet(submission, deciding, can_resubmit=can_resubmit, coaching=coaching)

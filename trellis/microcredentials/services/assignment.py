"""Assigning submitted work to assessors: the primary assessor (by qualification, conflicts of
interest and workload), a second scorer for the calibration share, third scorers and appeal
reviewers, reassignment when overdue, and PD leaders' manual reassignment.

Every assignment locks the submission row first, so two concurrent calls for one submission
queue: the second sees it already in assessment and returns the existing primary assignment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import Assignment, Submission, SubmissionStatus
from trellis.microcredentials.queries.assessor_pool import (
    WORKLOAD_ROLES,
    attempt_assessor_ids,
    eligible_assessors,
    previous_assessor_id,
    settings_for,
)
from trellis.microcredentials.services._assessment import (
    event,
    lock_submission,
    tell_admins_unassigned,
    tell_assessor,
)

Role = Assignment.Role


def double_scored(submission: Submission, percent: int) -> bool:
    """Whether the submission falls in the double-scored share: a stable bucket 0..99 from a
    hash of its public id, so the choice is reproducible (and testable) rather than random."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(str(submission.public_id).encode()).hexdigest()
    return int(digest, 16) % 100 < percent


def create_assignment(
    submission: Submission, assessor: Any, role: str, *, now: dt.datetime, actor: Any = None
) -> Assignment:
    """One assignment on the submission's current attempt, with its event row and e-mail."""
    settings = settings_for(submission.district)
    assignment = Assignment.objects.create(
        submission=submission,
        assessor=assessor,
        role=role,
        attempt=submission.attempt,
        assigned_at=now,
        due_at=now + dt.timedelta(days=settings.turnaround_days),
    )
    if role != Role.CALIBRATION:
        event(
            submission,
            "assigned",
            actor=actor,
            at=now,
            assignment=str(assignment.public_id),
            role=role,
            attempt=submission.attempt,
            due_at=assignment.due_at.isoformat(),
        )
    tell_assessor(assignment)
    return assignment


def assign_extra(
    submission: Submission, role: str, *, now: dt.datetime, actor: Any = None
) -> Assignment | None:
    """A third scorer or appeal reviewer: anyone eligible who has not worked on this attempt.
    None (with an `unassigned` event and the PD leaders told) when nobody is left."""
    candidates = eligible_assessors(submission, exclude=attempt_assessor_ids(submission))
    if not candidates:
        event(submission, "unassigned", actor=actor, at=now, role=role, attempt=submission.attempt)
        tell_admins_unassigned(submission, role)
        return None
    return create_assignment(submission, candidates[0], role, now=now, actor=actor)


@transaction.atomic
def assign_submission(
    submission: Submission, *, now: dt.datetime | None = None, actor: Any = None
) -> Assignment | None:
    """Assign a SUBMITTED submission to its primary assessor (and, for the double-scored share,
    a second scorer); the submission moves to IN_ASSESSMENT. Returns the primary assignment, or
    None when no assessor is eligible (the submission stays SUBMITTED and PD leaders are told)."""
    now = now or timezone.now()
    submission = lock_submission(submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        return (
            Assignment.objects.filter(
                submission=submission,
                attempt=submission.attempt,
                role=Role.PRIMARY,
                status__in=[Assignment.Status.ASSIGNED, Assignment.Status.COMPLETED],
            )
            .order_by("-id")
            .first()
        )
    settings = settings_for(submission.district)
    candidates = eligible_assessors(
        submission,
        settings=settings,
        exclude=attempt_assessor_ids(submission),
        prefer=previous_assessor_id(submission) if submission.attempt > 1 else None,
    )
    if not candidates:
        event(
            submission,
            "unassigned",
            actor=actor,
            at=now,
            role=Role.PRIMARY,
            attempt=submission.attempt,
        )
        tell_admins_unassigned(submission, Role.PRIMARY)
        return None
    primary = create_assignment(submission, candidates[0], Role.PRIMARY, now=now, actor=actor)
    if len(candidates) > 1 and double_scored(submission, settings.double_score_percent):
        create_assignment(submission, candidates[1], Role.SECOND, now=now, actor=actor)
    submission.status = SubmissionStatus.IN_ASSESSMENT
    submission.save(update_fields=["status", "updated_at"])
    return primary


def _replace(
    assignment: Assignment, *, now: dt.datetime, actor: Any, exclude: set[int]
) -> Assignment | None:
    """Mark the assignment REASSIGNED and give its role to the best other eligible assessor; None
    (and nothing changed) when there is nobody else."""
    submission = assignment.submission
    candidates = eligible_assessors(
        submission, exclude=attempt_assessor_ids(submission) | exclude | {assignment.assessor_id}
    )
    if not candidates:
        return None
    assignment.status = Assignment.Status.REASSIGNED
    assignment.save(update_fields=["status", "updated_at"])
    replacement = create_assignment(
        submission, candidates[0], assignment.role, now=now, actor=actor
    )
    event(
        submission,
        "reassigned",
        actor=actor,
        at=now,
        previous=str(assignment.public_id),
        assignment=str(replacement.public_id),
        role=assignment.role,
    )
    return replacement


def reassign_overdue(district: Any, *, now: dt.datetime | None = None) -> int:
    """Reassign every open assignment past its due date to another eligible assessor (the daily
    task). Returns how many were reassigned; one with nobody to take it stays where it is."""
    now = now or timezone.now()
    overdue = list(
        Assignment.objects.filter(
            submission__district=district,
            status=Assignment.Status.ASSIGNED,
            role__in=WORKLOAD_ROLES,
            due_at__lt=now,
        ).values_list("pk", flat=True)
    )
    return sum(_reassign_one_overdue(pk, district=district, now=now) for pk in overdue)


@transaction.atomic
def _reassign_one_overdue(pk: int, *, district: Any, now: dt.datetime) -> int:
    """One transaction per assignment, so one failure does not undo the others."""
    assignment = Assignment.objects.select_related("submission").get(pk=pk)
    lock_submission(assignment.submission)
    assignment.refresh_from_db()
    if assignment.status != Assignment.Status.ASSIGNED:
        return 0
    replacement = _replace(assignment, now=now, actor=None, exclude=set())
    if replacement is None:
        tell_admins_unassigned(assignment.submission, assignment.role)
        return 0
    audit.record(
        action="mc_assignment.reassigned",
        summary=f"Overdue assessment of “{assignment.submission.version.title}” reassigned",
        district=district,
        target=replacement,
        data={"previous": str(assignment.public_id), "reason": "overdue"},
    )
    return 1


def _require_manager(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        raise PermissionDenied("Only district PD leaders assign assessors.")


@transaction.atomic
def reassign(*, access: DistrictAccess, actor: Any, assignment: Assignment) -> Assignment:
    """A PD leader moves an open assignment to the best other eligible assessor."""
    _require_manager(access)
    if assignment.submission.district_id != access.district.pk:
        raise Http404("No such assignment.")
    lock_submission(assignment.submission)
    assignment.refresh_from_db()
    if assignment.status != Assignment.Status.ASSIGNED or assignment.role == Role.CALIBRATION:
        raise ConflictError(
            "not_open", "This assignment is no longer open: it was scored or already moved."
        )
    now = timezone.now()
    replacement = _replace(assignment, now=now, actor=actor, exclude=set())
    if replacement is None:
        raise DomainError(
            "no_assessor",
            "No other qualified assessor without a conflict of interest is available. Add an "
            "assessor qualification first.",
        )
    audit.record(
        action="mc_assignment.reassigned",
        summary=f"Assessment of “{assignment.submission.version.title}” moved from "
        f"{assignment.assessor.email} to {replacement.assessor.email}",
        actor=actor,
        district=access.district,
        target=replacement,
        data={"previous": str(assignment.public_id), "reason": "manual"},
    )
    return replacement


def missing_role(submission: Submission) -> str | None:
    """The role a waiting submission lacks an assessor for: primary (submitted), appeal
    (appealed, no reviewer) or third (two scorers disagreed, no third); None when nothing
    is missing."""
    live = Assignment.objects.filter(submission=submission, attempt=submission.attempt).exclude(
        status=Assignment.Status.REASSIGNED
    )
    if live.filter(status=Assignment.Status.ASSIGNED, role__in=WORKLOAD_ROLES).exists():
        return None
    if submission.status == SubmissionStatus.SUBMITTED:
        return Role.PRIMARY
    if submission.status == SubmissionStatus.APPEALED:
        return None if live.filter(role=Role.APPEAL).exists() else Role.APPEAL
    if submission.status == SubmissionStatus.IN_ASSESSMENT:
        return None if live.filter(role=Role.THIRD).exists() else Role.THIRD
    return None


@transaction.atomic
def assign_waiting(*, access: DistrictAccess, actor: Any, submission: Submission) -> Assignment:
    """A PD leader retries the assignment of a submission that waits without an assessor."""
    _require_manager(access)
    if submission.district_id != access.district.pk:
        raise Http404("No such submission.")
    submission = lock_submission(submission)
    role = missing_role(submission)
    if role is None:
        raise ConflictError("not_waiting", "This submission already has an assessor.")
    now = timezone.now()
    if role == Role.PRIMARY:
        assignment = assign_submission(submission, now=now, actor=actor)
    else:
        assignment = assign_extra(submission, role, now=now, actor=actor)
    if assignment is None:
        raise DomainError(
            "no_assessor",
            "Still no qualified assessor without a conflict of interest. Add an assessor "
            "qualification first.",
        )
    audit.record(
        action="mc_assignment.assigned",
        summary=f"Assessor assigned by hand for “{submission.version.title}”",
        actor=actor,
        district=access.district,
        target=assignment,
        data={"role": role},
    )
    return assignment

"""An educator appeals a "not yet" decision once per attempt; an assessor who did not score the
attempt reviews it, and their outcome decides."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import Assignment, Submission, SubmissionStatus
from trellis.microcredentials.services._assessment import MAX_REASON, event, lock_submission
from trellis.microcredentials.services.assignment import assign_extra


@transaction.atomic
def appeal(
    *, access: DistrictAccess, actor: Any, submission: Submission, reason: str
) -> Assignment | None:
    """Returns the appeal reviewer's assignment, or None when no assessor is free yet (the
    submission is APPEALED all the same and the PD office is told)."""
    if submission.district_id != access.district.pk:
        raise Http404("No such submission.")
    if submission.educator_id != actor.pk:
        raise PermissionDenied("Only the educator who submitted the work may appeal.")
    submission = lock_submission(submission)
    if Assignment.objects.filter(
        submission=submission, attempt=submission.attempt, role=Assignment.Role.APPEAL
    ).exists():
        raise ConflictError("already_appealed", "You already appealed this decision.")
    if submission.status != SubmissionStatus.NOT_YET:
        raise ConflictError("not_appealable", "Only a “not yet” decision can be appealed.")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(
            "invalid_reason",
            "Say why you think the decision is wrong: the reviewer reads it.",
            details={"field": "reason"},
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            "invalid_reason",
            f"The reason is too long (at most {MAX_REASON} characters).",
            details={"field": "reason"},
        )
    now = timezone.now()
    submission.status = SubmissionStatus.APPEALED
    submission.save(update_fields=["status", "updated_at"])
    event(submission, "appealed", actor=actor, at=now, attempt=submission.attempt, reason=reason)
    assignment = assign_extra(submission, Assignment.Role.APPEAL, now=now, actor=actor)
    audit.record(
        action="mc_submission.appealed",
        summary=f"{actor.email} appealed the decision on “{submission.version.title}”",
        actor=actor,
        subject=actor,
        district=submission.district,
        target=submission,
        data={"attempt": submission.attempt, "assigned": assignment is not None},
    )
    return assignment

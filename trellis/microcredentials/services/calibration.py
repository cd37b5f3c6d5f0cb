"""Calibration exercises: a PD leader asks assessors to score a decided submission (the anchor)
as practice. Each gets a CALIBRATION assignment, scored with the ordinary scoring service; it
never changes the submission. The calibration report compares their scores with the anchor's
decided scores (queries/calibration.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.models import Membership, Role
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import Assignment, Submission, SubmissionStatus
from trellis.microcredentials.services._assessment import lock_submission
from trellis.microcredentials.services.assignment import create_assignment

ANCHOR_STATUSES = (SubmissionStatus.EARNED, SubmissionStatus.NOT_YET)


@transaction.atomic
def start_exercise(
    *, access: DistrictAccess, actor: Any, submission: Submission, assessors: Iterable[Any]
) -> list[Assignment]:
    """One calibration assignment per assessor asked. Assessors who already worked on the
    anchor's attempt (they know the decision) and the educator themself are refused."""
    if not access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        raise PermissionDenied("Only district PD leaders run calibration exercises.")
    if submission.district_id != access.district.pk:
        raise Http404("No such submission.")
    submission = lock_submission(submission)
    if submission.status not in ANCHOR_STATUSES:
        raise DomainError(
            "not_decided",
            "Only a decided submission (earned or not yet) can be a calibration anchor.",
            details={"field": "submission"},
        )
    assessors = list(assessors)
    if not assessors:
        raise DomainError(
            "no_assessors", "Choose at least one assessor.", details={"field": "assessors"}
        )
    pool = set(
        Membership.objects.filter(
            district=access.district, role=Role.ASSESSOR, is_active=True
        ).values_list("user_id", flat=True)
    )
    taken = set(
        Assignment.objects.filter(submission=submission, attempt=submission.attempt)
        .exclude(status=Assignment.Status.REASSIGNED)
        .values_list("assessor_id", flat=True)
    )
    for person in assessors:
        if person.pk not in pool:
            raise DomainError(
                "not_an_assessor",
                f"{person.full_name} is not an assessor in this district.",
                details={"field": "assessors"},
            )
        if person.pk == submission.educator_id or person.pk in taken:
            raise DomainError(
                "already_involved",
                f"{person.full_name} already worked on this submission (or wrote it), so it "
                "cannot calibrate them.",
                details={"field": "assessors"},
            )
    now = timezone.now()
    created = [
        create_assignment(submission, person, Assignment.Role.CALIBRATION, now=now, actor=actor)
        for person in assessors
    ]
    audit.record(
        action="mc_calibration.started",
        summary=f"Calibration exercise on “{submission.version.title}” for "
        + ", ".join(p.email for p in assessors),
        actor=actor,
        district=access.district,
        target=submission,
        data={"assignments": [str(a.public_id) for a in created]},
    )
    return created

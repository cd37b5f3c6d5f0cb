"""Who may assess a submission: the district's qualified, active assessors minus conflicts of
interest, ordered by open workload. Used by assignment, third scorers, appeals and calibration.

Conflicts of interest (the district's assessment settings switch the last two):
- the educator never assesses their own work;
- `exclude_same_school`: no assessor who holds any active role at one of the educator's schools;
- `exclude_own_coach`: none of the educator's coaches (growth caseloads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from trellis.districts.models import Membership, Role
from trellis.frameworks.models import FrameworkItem
from trellis.growth.models import CoachingAssignment
from trellis.microcredentials.models import (
    AssessmentSettings,
    AssessorQualification,
    Assignment,
    Submission,
)

# Roles whose open assignments count as workload (calibration exercises are practice).
WORKLOAD_ROLES = (
    Assignment.Role.PRIMARY,
    Assignment.Role.SECOND,
    Assignment.Role.THIRD,
    Assignment.Role.APPEAL,
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def settings_for(district: Any) -> AssessmentSettings:
    """The district's assessment settings, created with the defaults on first use."""
    found, _ = AssessmentSettings.objects.get_or_create(district=district)
    return found


def qualified_assessor_ids(district: Any, competency_ids: Iterable[int]) -> set[int]:
    """Active qualification holders (for one of the competencies, or for any) who hold an active
    assessor role in the district."""
    competency_ids = list(competency_ids)
    qualified = AssessorQualification.objects.filter(district=district, is_active=True).filter(
        Q(competency__isnull=True) | Q(competency_id__in=competency_ids)
    )
    return set(
        Membership.objects.filter(
            district=district,
            role=Role.ASSESSOR,
            is_active=True,
            user_id__in=qualified.values("assessor_id"),
        ).values_list("user_id", flat=True)
    )


def conflicted_ids(district: Any, educator: Any, settings: AssessmentSettings) -> set[int]:
    conflicted = {educator.pk}
    if settings.exclude_same_school:
        schools = Membership.objects.filter(
            district=district, user=educator, is_active=True, school__isnull=False
        ).values("school_id")
        conflicted |= set(
            Membership.objects.filter(
                district=district, is_active=True, school_id__in=schools
            ).values_list("user_id", flat=True)
        )
    if settings.exclude_own_coach:
        conflicted |= set(
            CoachingAssignment.objects.filter(district=district, educator=educator).values_list(
                "coach_id", flat=True
            )
        )
    return conflicted


def eligible_assessors(
    submission: Submission,
    *,
    settings: AssessmentSettings | None = None,
    exclude: Iterable[int] = (),
    prefer: int | None = None,
) -> list[Any]:
    """Eligible assessors for the submission, best first: `prefer` (when eligible), then the
    lowest open workload, then the longest since their last assignment (never assigned first),
    then the lowest id — so the choice is deterministic."""
    district = submission.district
    settings = settings or settings_for(district)
    competency_ids = submission.version.competencies.values_list("id", flat=True)
    candidates = qualified_assessor_ids(district, competency_ids)
    candidates -= conflicted_ids(district, submission.educator, settings)
    candidates -= set(exclude)
    if not candidates:
        return []
    in_district = Q(mc_assignments__submission__district=district)
    users = list(
        get_user_model()
        .objects.filter(pk__in=candidates)
        .annotate(
            open_work=Count(
                "mc_assignments",
                filter=in_district
                & Q(
                    mc_assignments__status=Assignment.Status.ASSIGNED,
                    mc_assignments__role__in=WORKLOAD_ROLES,
                ),
            ),
            last_assigned=Max("mc_assignments__assigned_at", filter=in_district),
        )
    )
    users.sort(key=lambda u: (u.pk != prefer, u.open_work, u.last_assigned or _EPOCH, u.pk))
    return users


def previous_assessor_id(submission: Submission) -> int | None:
    """Who decided the educator's previous attempt at this micro-credential (a resubmission
    goes back to them when they are still eligible: they know the work)."""
    previous = (
        Assignment.objects.filter(
            submission__educator_id=submission.educator_id,
            submission__version__micro_credential_id=submission.version.micro_credential_id,
            role=Assignment.Role.PRIMARY,
            status=Assignment.Status.COMPLETED,
        )
        .exclude(submission=submission, attempt__gte=submission.attempt)
        .order_by("-completed_at", "-id")
        .values_list("assessor_id", flat=True)
        .first()
    )
    return previous


def attempt_assessor_ids(submission: Submission) -> set[int]:
    """Everyone with a live (not reassigned) assignment on the submission's current attempt."""
    return set(
        Assignment.objects.filter(submission=submission, attempt=submission.attempt)
        .exclude(status=Assignment.Status.REASSIGNED)
        .values_list("assessor_id", flat=True)
    )


def district_assessors(district: Any) -> list[Any]:
    """People with an active assessor role in the district, by name, with their open workload."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__district=district,
            memberships__role=Role.ASSESSOR,
            memberships__is_active=True,
        )
        .annotate(
            open_work=Count(
                "mc_assignments",
                filter=Q(
                    mc_assignments__submission__district=district,
                    mc_assignments__status=Assignment.Status.ASSIGNED,
                    mc_assignments__role__in=WORKLOAD_ROLES,
                ),
            )
        )
        .order_by("full_name", "email")
    )


def active_qualifications(district: Any) -> list[AssessorQualification]:
    return list(
        AssessorQualification.objects.filter(district=district, is_active=True)
        .select_related("assessor", "competency")
        .order_by("assessor__full_name", "competency__human_code", "id")
    )


def competencies(district: Any) -> list[Any]:
    """Competencies of the district's own frameworks, for qualification choices."""
    return list(
        FrameworkItem.objects.filter(
            framework__district=district, kind=FrameworkItem.Kind.COMPETENCY
        )
        .select_related("framework")
        .order_by("framework__title", "human_code", "position", "id")
    )

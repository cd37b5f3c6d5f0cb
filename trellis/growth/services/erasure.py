"""Erasing one educator's growth records in one district, on a privacy request (the policy and
the orchestration are in trellis/privacy). `erasable` is shared with the preview so the numbers
shown are the rows deleted."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.core.erasure import delete_counted
from trellis.growth.models import (
    CoachingAssignment,
    EducatorProfile,
    Goal,
    GoalComment,
    GoalReflection,
    ObservationRating,
    PlanItem,
    SelfAssessment,
    SelfRating,
)


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    """Kind → the rows to delete, children before their parents (the order of deletion)."""
    assessments = SelfAssessment.objects.filter(district=district, educator=user)
    goals = Goal.objects.filter(district=district, educator=user)
    return {
        "growth.self_ratings": SelfRating.objects.filter(assessment__in=assessments),
        "growth.self_assessments": assessments,
        "growth.observation_ratings": ObservationRating.objects.filter(
            district=district, educator=user
        ),
        "growth.goal_reflections": GoalReflection.objects.filter(goal__in=goals),
        "growth.goal_comments": GoalComment.objects.filter(goal__in=goals),
        "growth.plan_items": PlanItem.objects.filter(district=district, educator=user),
        "growth.goals": goals,
        # Only where they are the one coached: as a coach, the assignment is the other's record.
        "growth.coaching_assignments": CoachingAssignment.objects.filter(
            district=district, educator=user
        ),
        "growth.profiles": EducatorProfile.objects.filter(district=district, user=user),
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    """Delete the rows of `erasable`; the caller (privacy) holds the transaction and audits."""
    return delete_counted(erasable(district, user))

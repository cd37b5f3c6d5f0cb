"""Tenant-scoped reads of educator profiles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from trellis.growth.career import DEFAULT_THRESHOLDS, CareerStage
from trellis.growth.models import EducatorProfile


def profile_for(user: Any, district: Any) -> EducatorProfile | None:
    return EducatorProfile.objects.filter(user=user, district=district).first()


def profiles_for_users(district: Any, user_ids: Iterable[int]) -> dict[int, EducatorProfile]:
    return {
        p.user_id: p
        for p in EducatorProfile.objects.filter(district=district, user_id__in=list(user_ids))
    }


def active_profiles(
    district: Any, *, school_ids: Iterable[int] | None = None
) -> QuerySet[EducatorProfile]:
    profiles = EducatorProfile.objects.filter(district=district, user__is_active=True)
    if school_ids is not None:
        profiles = profiles.filter(user__in=_users_at_schools(district, school_ids))
    return profiles


def _users_at_schools(district: Any, school_ids: Iterable[int]) -> Any:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__district=district,
            memberships__school_id__in=list(school_ids),
            memberships__is_active=True,
        )
        .values("pk")
    )


def career_stage_counts(
    district: Any, *, school_ids: Iterable[int] | None = None
) -> dict[CareerStage, int]:
    """Educators at each career stage, counted in one query by bands of years."""
    developing, experienced, veteran = DEFAULT_THRESHOLDS
    totals = active_profiles(district, school_ids=school_ids).aggregate(
        novice=Count("id", filter=Q(years_experience__lt=developing)),
        developing=Count(
            "id", filter=Q(years_experience__gte=developing, years_experience__lt=experienced)
        ),
        experienced=Count(
            "id", filter=Q(years_experience__gte=experienced, years_experience__lt=veteran)
        ),
        veteran=Count("id", filter=Q(years_experience__gte=veteran)),
    )
    return {stage: totals[stage.value] for stage in CareerStage}

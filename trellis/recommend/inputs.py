"""The engine's inputs from the database: one educator's need and circumstances, aligned to the
district's catalog arrays (built and cached by catalog_inputs, re-exported here)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Subquery
from django.utils import timezone

from trellis.catalog.models import Enrollment
from trellis.catalog.models.enrolment import ACTIVE
from trellis.credit.rules.model import UNIT_NAMES, Unit
from trellis.districts.models import Membership
from trellis.growth import queries as growth_queries
from trellis.growth.models import (
    EducatorProfile,
    Goal,
    ObservationRating,
    SelfAssessment,
    SelfRating,
)
from trellis.recommend.catalog_inputs import (
    GRADE_BANDS,
    POSITIONS,
    STUDENT_GROUPS,
    CatalogBundle,
    _bits,
    build_catalog,
    catalog_for,
    catalog_version,
    clear_catalog_cache,
)
from trellis.recommend.core.types import EducatorInput
from trellis.recommend.models import (
    CoachSuggestion,
    FeedbackAction,
    PriorityCompetency,
    RecommendationFeedback,
)

__all__ = [
    "CatalogBundle",
    "EducatorContext",
    "Preloaded",
    "build_catalog",
    "catalog_for",
    "catalog_version",
    "clear_catalog_cache",
    "educator_input",
    "recency_weight",
]

# Observations lose half their weight every this many days: last year's ratings still count,
# this term's count more.
OBSERVATION_HALF_LIFE_DAYS = 365
# Weeks of the planning window the educator's weekly minutes are multiplied by.
PLANNING_WEEKS = 12


@dataclass
class EducatorContext:
    """The EducatorInput plus what the pages show around it."""

    input: EducatorInput
    profile: EducatorProfile | None
    school_ids: list[int]
    has_self_assessment: bool
    has_observations: bool
    credit_unit: str
    suggestions: dict[int, list[CoachSuggestion]]  # catalog index → the coaches' suggestions
    feedback: dict[int, str]  # catalog index → action


@dataclass(frozen=True)
class Preloaded:
    """What a page has already read for the educator (the home page shows both), so the engine
    does not read it again: the profile (`growth.queries.profile_for`, None when there is none)
    and the renewal standing (`credit.queries.renewal_progress_for`)."""

    profile: EducatorProfile | None
    renewal: Any


def recency_weight(observed_on: dt.date, today: dt.date) -> float:
    age = max((today - observed_on).days, 0)
    return math.pow(0.5, age / OBSERVATION_HALF_LIFE_DAYS)


def credit_unit_names(unit: str) -> tuple[str, str]:
    try:
        return UNIT_NAMES[Unit(unit)]
    except ValueError:
        return (unit, unit)


def _credit_needed(
    access: Any, educator: Any, preloaded: Preloaded | None
) -> tuple[float, tuple[str, str]]:
    from trellis.credit.queries.renewal import renewal_progress_for

    renewal = preloaded.renewal if preloaded else renewal_progress_for(access, educator)
    progress = renewal.progress
    if progress is None or progress.complete:
        return 0.0, ("hour", "hours")
    return float(progress.remaining), credit_unit_names(str(progress.unit))


def educator_input(
    access: Any,
    educator: Any,
    bundle: CatalogBundle,
    *,
    today: dt.date | None = None,
    preloaded: Preloaded | None = None,
) -> EducatorContext:
    """One educator's need and circumstances, aligned to the bundle's columns."""
    district = access.district
    today = today or timezone.localdate()
    c = len(bundle.competency_pks)
    column = bundle.competency_index
    profile = (
        preloaded.profile
        if preloaded is not None
        else growth_queries.profile_for(educator, district)
    )
    stage = profile.career_stage.value if profile else "novice"

    weighted_sum = np.zeros(c, dtype=np.float64)
    weight_total = np.zeros(c, dtype=np.float64)
    observations = 0
    for item_id, value, observed_on in (
        ObservationRating.objects.filter(district=district, educator=educator)
        .order_by()
        .values_list("item_id", "value", "observed_on")
    ):
        col = column.get(item_id)
        if col is None:
            continue
        weight = recency_weight(observed_on, today)
        weighted_sum[col] += weight * value
        weight_total[col] += weight
        observations += 1
    observed_mean = np.full(c, np.nan, dtype=np.float32)
    has = weight_total > 0
    observed_mean[has] = (weighted_sum[has] / weight_total[has]).astype(np.float32)

    self_rating = np.full(c, np.nan, dtype=np.float32)
    latest = (
        SelfAssessment.objects.filter(
            district=district, educator=educator, status=SelfAssessment.Status.SUBMITTED
        )
        .order_by("-submitted_at", "-id")
        .values("pk")[:1]
    )
    rated = list(
        SelfRating.objects.filter(assessment_id__in=Subquery(latest), value__isnull=False)
        .order_by()
        .values_list("item_id", "value")
    )
    for item_id, value in rated:
        col = column.get(item_id)
        if col is not None:
            self_rating[col] = value

    in_goal = np.zeros(c, dtype=bool)
    for item_id in (
        Goal.competencies.through.objects.filter(
            goal__district=district,
            goal__educator=educator,
            goal__status__in=[Goal.Status.ACTIVE, Goal.Status.DRAFT],
        )
        .order_by()
        .values_list("frameworkitem_id", flat=True)
    ):
        col = column.get(item_id)
        if col is not None and col >= 0:
            in_goal[col] = True
    target = np.full(c, float(bundle.target_level), dtype=np.float32)
    target[in_goal] = float(bundle.scale_max)

    school_ids = sorted(
        set(
            Membership.objects.filter(
                user=educator, district=district, is_active=True, school__isnull=False
            )
            .order_by()
            .values_list("school_id", flat=True)
        )
    )
    school_priority = np.zeros(c, dtype=bool)
    district_priority = np.zeros(c, dtype=bool)
    for item_id, school_id in (
        PriorityCompetency.objects.filter(district=district)
        .order_by()
        .values_list("item_id", "school_id")
    ):
        col = column.get(item_id)
        if col is None or col < 0:
            continue
        if school_id is None:
            district_priority[col] = True
        elif school_id in school_ids:
            school_priority[col] = True

    index_of = bundle.index_of_pk
    excluded = {
        index_of[pk]
        for pk in Enrollment.objects.filter(
            district=district, educator=educator, status__in=[s.value for s in ACTIVE]
        ).values_list("offering_id", flat=True)
        if pk in index_of
    }
    feedback: dict[int, str] = {}
    for offering_id, action in (
        RecommendationFeedback.objects.filter(district=district, educator=educator)
        .order_by()
        .values_list("offering_id", "action")
    ):
        if offering_id in index_of:
            feedback[index_of[offering_id]] = action
    dismissed = {i for i, action in feedback.items() if action == FeedbackAction.NOT_FOR_ME}
    saved = {i for i, action in feedback.items() if action == FeedbackAction.SAVE}
    suggestions: dict[int, list[CoachSuggestion]] = defaultdict(list)
    for suggestion in CoachSuggestion.objects.filter(
        district=district, educator=educator
    ).select_related("coach"):
        if suggestion.offering_id in index_of:
            suggestions[index_of[suggestion.offering_id]].append(suggestion)

    credit_needed, credit_unit = _credit_needed(access, educator, preloaded)
    formats = {name: i for i, name in enumerate(bundle.arrays.formats)}
    available_hours = None
    if profile is not None and profile.weekly_minutes:
        available_hours = profile.weekly_minutes / 60 * PLANNING_WEEKS
    anchor = bundle.anchor if bundle.anchor.shape[0] == c else np.full(c, np.nan, np.float32)
    data = EducatorInput(
        educator_id=str(educator.public_id),
        stage=stage,
        scale_max=bundle.scale_max,
        observed_mean=observed_mean,
        observed_count=weight_total.astype(np.float32),
        self_rating=self_rating,
        anchor=anchor.copy(),
        target=target,
        in_goal=in_goal,
        school_priority=school_priority,
        district_priority=district_priority,
        grade_band_bits=_bits(profile.grade_bands, GRADE_BANDS) if profile else 0,
        subject_bits=_bits(profile.subjects, bundle.subject_index) if profile else 0,
        position_bits=_bits([profile.position], POSITIONS) if profile else 0,
        student_bits=_bits(profile.students_served, STUDENT_GROUPS) if profile else 0,
        preferred_formats=frozenset(
            formats[name]
            for name in (profile.preferred_formats if profile else ())
            if name in formats
        ),
        available_hours=available_hours,
        budget=None,
        credit_needed=credit_needed,
        credit_unit=credit_unit,
        excluded=frozenset(excluded | dismissed),
        dismissed=frozenset(dismissed),
        saved=frozenset(saved),
        boosted=frozenset(suggestions),
    )
    return EducatorContext(
        input=data,
        profile=profile,
        school_ids=school_ids,
        has_self_assessment=bool(rated),
        has_observations=observations > 0,
        credit_unit=credit_unit,
        suggestions=dict(suggestions),
        feedback=feedback,
    )

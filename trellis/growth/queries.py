"""Tenant-scoped reads: profiles and career stages, the adopted framework's competencies,
self-assessments, observation ratings, goals, caseloads and learning plans.

Everything is filtered by the caller's district and, for personal data, by the educator: another
district's or another educator's object is missing (404), never forbidden.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.districts.models import Membership, Role
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import Framework, FrameworkItem, ProficiencyLevel
from trellis.growth.career import DEFAULT_THRESHOLDS, CareerStage, stage_label
from trellis.growth.charts import short_number
from trellis.growth.models import (
    CoachingAssignment,
    EducatorProfile,
    Goal,
    GoalComment,
    GrowthSettings,
    ObservationRating,
    PlanItem,
    SelfAssessment,
    SelfRating,
)

_THRESHOLD_FIELDS = ("developing_from", "experienced_from", "veteran_from")


def with_stage_thresholds(profiles: QuerySet[EducatorProfile]) -> QuerySet[EducatorProfile]:
    """Annotate the district's career-stage thresholds, so `career_stage` needs no extra query."""
    return profiles.annotate(
        **{
            f"stage_{name}": Subquery(
                GrowthSettings.objects.filter(district_id=OuterRef("district_id")).values(name)[:1],
                output_field=IntegerField(),
            )
            for name in _THRESHOLD_FIELDS
        }
    )


def stage_thresholds(district: Any) -> tuple[int, int, int]:
    found = GrowthSettings.objects.filter(district=district).first()
    return found.thresholds if found else DEFAULT_THRESHOLDS


def growth_settings(district: Any) -> GrowthSettings:
    """The district's settings row, or an unsaved one holding the defaults."""
    return GrowthSettings.objects.filter(district=district).first() or GrowthSettings(
        district=district
    )


def profile_for(user: Any, district: Any) -> EducatorProfile | None:
    return with_stage_thresholds(
        EducatorProfile.objects.filter(user=user, district=district)
    ).first()


def profiles_for_users(district: Any, user_ids: Iterable[int]) -> dict[int, EducatorProfile]:
    return {
        p.user_id: p
        for p in with_stage_thresholds(
            EducatorProfile.objects.filter(district=district, user_id__in=list(user_ids))
        )
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


@dataclass(frozen=True)
class StageSummary:
    counts: dict[CareerStage, int]
    thresholds: tuple[int, int, int]

    def labelled(self) -> list[tuple[str, int]]:
        return [(stage_label(stage, self.thresholds), self.counts[stage]) for stage in CareerStage]


def career_stage_summary(district: Any, *, school_ids: Iterable[int] | None = None) -> StageSummary:
    """Educators at each career stage under the district's thresholds: two small queries.

    The thresholds are read once and passed as constants; annotating them per row made the
    aggregate cost grow with the district (measured by `make bench`).
    """
    developing, experienced, veteran = stage_thresholds(district)
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
    return StageSummary(
        counts={stage: totals[stage.value] for stage in CareerStage},
        thresholds=(developing, experienced, veteran),
    )


def career_stage_counts(
    district: Any, *, school_ids: Iterable[int] | None = None
) -> dict[CareerStage, int]:
    """Educators at each career stage, counted in one query by the district's bands of years."""
    return career_stage_summary(district, school_ids=school_ids).counts


# ---------------------------------------------------------------------------------------------
# the adopted framework, its competencies grouped by domain, and its scale
# ---------------------------------------------------------------------------------------------


def adopted_framework(district: Any) -> Framework | None:
    return Framework.objects.filter(district=district, is_adopted=True).first()


@dataclass
class CompetencyGroup:
    domain: FrameworkItem | None
    competencies: list[FrameworkItem]

    @property
    def title(self) -> str:
        return str(self.domain) if self.domain is not None else "Other competencies"


@dataclass
class CompetencyMap:
    """The adopted framework's competencies in tree order, grouped by domain, with the scale."""

    framework: Framework
    levels: list[ProficiencyLevel]
    groups: list[CompetencyGroup]

    @property
    def competencies(self) -> list[FrameworkItem]:
        return [item for group in self.groups for item in group.competencies]

    @property
    def level_labels(self) -> dict[int, str]:
        return {level.value: level.label for level in self.levels}

    @property
    def top_value(self) -> int:
        return max((level.value for level in self.levels), default=0)

    def by_public_id(self) -> dict[str, FrameworkItem]:
        return {str(item.public_id): item for item in self.competencies}

    def domain_of(self) -> dict[int, str]:
        return {item.pk: group.title for group in self.groups for item in group.competencies}


def competency_map(framework: Framework) -> CompetencyMap:
    """Two queries: the items (walked in tree order in Python) and the levels."""
    items = list(FrameworkItem.objects.filter(framework=framework))
    children: dict[int | None, list[FrameworkItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: (i.position, i.pk))
    by_id = {item.pk: item for item in items}
    ordered: list[FrameworkItem] = []
    stack = list(reversed(children[None]))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children[item.pk]))

    def domain_of(item: FrameworkItem) -> FrameworkItem | None:
        seen = set()
        parent = by_id.get(item.parent_id) if item.parent_id else None
        while parent is not None and parent.pk not in seen:
            if parent.kind == FrameworkItem.Kind.DOMAIN:
                return parent
            seen.add(parent.pk)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        return None

    groups: dict[int | None, CompetencyGroup] = {}
    for item in ordered:
        if item.kind != FrameworkItem.Kind.COMPETENCY:
            continue
        domain = domain_of(item)
        key = domain.pk if domain else None
        if key not in groups:
            groups[key] = CompetencyGroup(domain=domain, competencies=[])
        groups[key].competencies.append(item)
    ordered_groups = [g for k, g in groups.items() if k is not None]
    if None in groups:
        ordered_groups.append(groups[None])
    levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("value"))
    return CompetencyMap(framework=framework, levels=levels, groups=ordered_groups)


# ---------------------------------------------------------------------------------------------
# self-assessments
# ---------------------------------------------------------------------------------------------


def self_assessment_draft(district: Any, educator: Any) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(
            district=district, educator=educator, status=SelfAssessment.Status.DRAFT
        )
        .prefetch_related("ratings")
        .first()
    )


def self_assessment_history(district: Any, educator: Any) -> QuerySet[SelfAssessment]:
    """Submitted snapshots, newest first, each with how many competencies it rated and the mean."""
    return (
        SelfAssessment.objects.filter(
            district=district, educator=educator, status=SelfAssessment.Status.SUBMITTED
        )
        .select_related("framework")
        .annotate(
            rated=Count("ratings", filter=Q(ratings__value__isnull=False)),
            mean=Avg("ratings__value"),
        )
        .order_by("-submitted_at", "-id")
    )


def get_snapshot(access: DistrictAccess, educator: Any, public_id: Any) -> SelfAssessment:
    """One of the educator's own submitted snapshots; anything else is missing."""
    found = (
        SelfAssessment.objects.filter(
            district=access.district,
            educator=educator,
            status=SelfAssessment.Status.SUBMITTED,
            public_id=public_id_or_404(public_id),
        )
        .select_related("framework")
        .prefetch_related(Prefetch("ratings", SelfRating.objects.select_related("item")))
        .first()
    )
    if found is None:
        raise Http404("No such self-assessment.")
    return found


def latest_self_assessment(district: Any, educator: Any) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(
            district=district, educator=educator, status=SelfAssessment.Status.SUBMITTED
        )
        .prefetch_related("ratings")
        .order_by("-submitted_at", "-id")
        .first()
    )


def first_self_assessment(district: Any, educator: Any) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(
            district=district, educator=educator, status=SelfAssessment.Status.SUBMITTED
        )
        .prefetch_related("ratings")
        .order_by("submitted_at", "id")
        .first()
    )


def latest_self_assessment_date(district: Any, educator: Any) -> dt.datetime | None:
    return SelfAssessment.objects.filter(
        district=district, educator=educator, status=SelfAssessment.Status.SUBMITTED
    ).aggregate(latest=Max("submitted_at"))["latest"]


# ---------------------------------------------------------------------------------------------
# observation ratings
# ---------------------------------------------------------------------------------------------


@dataclass
class ObservedSummary:
    """Every observer's rating of one competency kept apart, summarised: mean, count, latest."""

    ratings: list[ObservationRating]

    @property
    def count(self) -> int:
        return len(self.ratings)

    @property
    def mean(self) -> float:
        return round(sum(r.value for r in self.ratings) / len(self.ratings), 2)

    @property
    def mean_text(self) -> str:
        return short_number(self.mean)

    @property
    def latest(self) -> ObservationRating:
        return max(self.ratings, key=lambda r: (r.observed_on, r.pk))

    def by_role(self) -> list[tuple[str, str, int]]:
        """(observer role, mean as text, count), by role name."""
        grouped: dict[str, list[int]] = defaultdict(list)
        for rating in self.ratings:
            grouped[rating.get_observer_role_display()].append(rating.value)
        return [
            (role, short_number(sum(values) / len(values)), len(values))
            for role, values in sorted(grouped.items())
        ]


def observation_summaries(district: Any, educator: Any) -> dict[int, ObservedSummary]:
    """Observation ratings of one educator, by competency (item id), in one query."""
    grouped: dict[int, list[ObservationRating]] = defaultdict(list)
    for rating in ObservationRating.objects.filter(district=district, educator=educator).order_by(
        "observed_on", "id"
    ):
        grouped[rating.item_id].append(rating)
    return {item_id: ObservedSummary(ratings) for item_id, ratings in grouped.items()}


def recent_observation_imports(district: Any) -> dict[str, Any]:
    totals = ObservationRating.objects.filter(district=district).aggregate(
        count=Count("id"), educators=Count("educator", distinct=True), latest=Max("created_at")
    )
    return totals


# ---------------------------------------------------------------------------------------------
# goals, caseload and plan
# ---------------------------------------------------------------------------------------------


def _goals_with_detail(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    return goals.prefetch_related(
        Prefetch("competencies", FrameworkItem.objects.order_by("depth", "position", "id")),
        "reflections",
        Prefetch("comments", GoalComment.objects.select_related("author")),
    )


def goals_for(district: Any, educator: Any, *, status: str = "") -> QuerySet[Goal]:
    goals = Goal.objects.filter(district=district, educator=educator)
    if status:
        goals = goals.filter(status=status)
    return _goals_with_detail(goals).order_by("target_date", "id")


def open_goals(district: Any, educator: Any) -> list[Goal]:
    return list(
        Goal.objects.filter(
            district=district, educator=educator, status=Goal.Status.ACTIVE
        ).order_by("target_date", "id")
    )


def get_own_goal(access: DistrictAccess, educator: Any, public_id: Any) -> Goal:
    goal = _goals_with_detail(
        Goal.objects.filter(
            district=access.district, educator=educator, public_id=public_id_or_404(public_id)
        )
    ).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def is_on_caseload(district: Any, coach: Any, educator: Any) -> bool:
    return CoachingAssignment.objects.filter(
        district=district, coach=coach, educator=educator
    ).exists()


def get_goal_for_viewer(access: DistrictAccess, viewer: Any, public_id: Any) -> Goal:
    """The viewer's own goal, or a goal of an educator on the viewer's caseload; else 404."""
    goals = Goal.objects.filter(district=access.district, public_id=public_id_or_404(public_id))
    mine = Q(educator=viewer)
    if access.can(Perm.VIEW_CASELOAD):
        caseload = CoachingAssignment.objects.filter(district=access.district, coach=viewer).values(
            "educator_id"
        )
        mine |= Q(educator_id__in=caseload)
    goal = _goals_with_detail(goals.filter(mine).select_related("educator")).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def caseload(access: DistrictAccess, coach: Any) -> list[CoachingAssignment]:
    """The coach's educators with their number of active goals, in two queries."""
    assignments = list(
        CoachingAssignment.objects.filter(
            district=access.district, coach=coach, educator__is_active=True
        ).select_related("educator")
    )
    counts = dict(
        Goal.objects.filter(
            district=access.district,
            status=Goal.Status.ACTIVE,
            educator_id__in=[a.educator_id for a in assignments],
        )
        .values_list("educator_id")
        .annotate(n=Count("id"))
        .values_list("educator_id", "n")
    )
    for assignment in assignments:
        assignment.active_goals = counts.get(assignment.educator_id, 0)  # type: ignore[attr-defined]
    return assignments


def get_caseload_educator(access: DistrictAccess, coach: Any, public_id: Any) -> Any:
    assignment = (
        CoachingAssignment.objects.filter(
            district=access.district, coach=coach, educator__public_id=public_id_or_404(public_id)
        )
        .select_related("educator")
        .first()
    )
    if assignment is None:
        raise Http404("No such person on your caseload.")
    return assignment.educator


def coaches_of(district: Any, educator: Any) -> list[CoachingAssignment]:
    return list(
        CoachingAssignment.objects.filter(district=district, educator=educator).select_related(
            "coach"
        )
    )


def coaches(district: Any) -> QuerySet:
    """People holding an active coach role in the district."""
    from django.contrib.auth import get_user_model

    coach_ids = Membership.objects.filter(
        district=district, role=Role.COACH, is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=coach_ids, is_active=True).order_by("full_name")


def find_coach(district: Any, public_id: Any) -> Any:
    """A coach of the district by public id, or None (also for a malformed id)."""
    try:
        wanted = public_id_or_404(public_id)
    except Http404:
        return None
    return coaches(district).filter(public_id=wanted).first()


def schools_of(user: Any, district: Any) -> list[Any]:
    """The schools of the person's active roles in the district (their school comes from here)."""
    from trellis.districts.models import School

    return list(
        School.objects.filter(
            memberships__user=user, memberships__district=district, memberships__is_active=True
        )
        .distinct()
        .order_by("name")
    )


def get_assignment(access: DistrictAccess, public_id: Any) -> CoachingAssignment:
    found = (
        CoachingAssignment.objects.filter(
            district=access.district, public_id=public_id_or_404(public_id)
        )
        .select_related("coach", "educator")
        .first()
    )
    if found is None:
        raise Http404("No such coaching assignment.")
    return found


def plan_items(district: Any, educator: Any) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(district=district, educator=educator)
        .select_related("goal")
        .order_by(
            Case(
                When(status=PlanItem.Status.IN_PROGRESS, then=0),
                When(status=PlanItem.Status.PLANNED, then=1),
                When(status=PlanItem.Status.DONE, then=2),
                default=3,
            ),
            F("target_date").asc(nulls_last=True),
            "id",
        )
    )


def get_plan_item(access: DistrictAccess, educator: Any, public_id: Any) -> PlanItem:
    found = (
        PlanItem.objects.filter(
            district=access.district, educator=educator, public_id=public_id_or_404(public_id)
        )
        .select_related("goal")
        .first()
    )
    if found is None:
        raise Http404("No such plan item.")
    return found

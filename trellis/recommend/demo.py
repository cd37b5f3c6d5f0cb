"""Demo data for the recommend app: district and school priorities, a few coach suggestions,
saved and dismissed feedback, and the stored snapshot. Idempotent and deterministic."""

from __future__ import annotations

import random
from typing import Any

from trellis.catalog.models import Offering, OfferingStatus
from trellis.districts.models import Membership, Role
from trellis.growth import queries as growth_queries
from trellis.growth.models import CoachingAssignment
from trellis.recommend.models import (
    CoachSuggestion,
    FeedbackAction,
    PriorityCompetency,
    RecommendationFeedback,
    RecommendationSettings,
)
from trellis.recommend.snapshots import recompute_district

# The demo people keep a predictable list: no feedback is seeded for them.
CAST_LOCAL_PARTS = ("educator", "veteran", "coach", "assessor", "principal", "admin")
SUGGESTION_NOTES = (
    "We talked about questioning in our last debrief — this fits your goal.",
    "Short and practical; try it before our next cycle.",
)


def seed_recommendations(district: Any) -> None:
    framework = growth_queries.adopted_framework(district)
    offerings = list(
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED).order_by(
            "source_id", "pk"
        )
    )
    if framework is None or not offerings:
        return
    rng = random.Random(f"trellis-recommend:{district.slug}")  # noqa: S311 - demo data
    RecommendationSettings.objects.get_or_create(district=district)
    cmap = growth_queries.competency_map(framework)
    firsts = [group.competencies[0] for group in cmap.groups if group.competencies]
    for item in firsts[:2]:
        PriorityCompetency.objects.get_or_create(district=district, school=None, item=item)
    school_ids = (
        Membership.objects.filter(district=district, school__isnull=False)
        .order_by("school__name")
        .values_list("school_id", flat=True)
        .distinct()
    )
    competencies = cmap.competencies
    if len(competencies) > 1 and school_ids:  # the first school's plan: a second competency
        PriorityCompetency.objects.get_or_create(
            district=district, school_id=school_ids[0], item=competencies[1]
        )

    assignments = list(
        CoachingAssignment.objects.filter(district=district)
        .select_related("coach", "educator")
        .order_by("coach__email", "educator__email")
    )
    demo_educator = next(
        (a for a in assignments if a.educator.email.split("@")[0] == "educator"), None
    )
    chosen = [demo_educator] if demo_educator else []
    chosen += [a for a in assignments if a is not demo_educator][:1]
    for n, assignment in enumerate(chosen):
        CoachSuggestion.objects.get_or_create(
            district=district,
            coach=assignment.coach,
            educator=assignment.educator,
            offering=offerings[(n * 7 + 3) % len(offerings)],
            defaults={"note": SUGGESTION_NOTES[n % len(SUGGESTION_NOTES)]},
        )

    pool = [
        m.user
        for m in Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("user__email")
        if m.user.email.split("@")[0] not in CAST_LOCAL_PARTS
    ]
    for user in pool[:6]:
        for action in (FeedbackAction.SAVE, FeedbackAction.NOT_FOR_ME):
            RecommendationFeedback.objects.get_or_create(
                district=district,
                educator=user,
                offering=rng.choice(offerings),
                defaults={"action": action},
            )
    recompute_district(district)

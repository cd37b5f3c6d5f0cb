"""Factories and builders for quality tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trellis.accounts.tests.factories import UserFactory
from trellis.catalog.models import EnrollmentStatus, SurveyPhase, SurveyResponse
from trellis.catalog.tests.factories import EnrollmentFactory
from trellis.growth.tests.factories import submitted_snapshot
from trellis.quality.services.rubric import ensure_default_rubric


def rubric(district):
    ensure_default_rubric(district)
    from trellis.quality.queries import rubric_items

    return list(rubric_items(district))


def full_marks(district, *, except_essential: int = 0, points: int = 3) -> dict:
    """Scores for every active rubric item; the first `except_essential` essential items get 0."""
    scores = {}
    skipped = 0
    for item in rubric(district):
        value = points
        if item.essential and skipped < except_essential:
            value, skipped = 0, skipped + 1
        scores[str(item.public_id)] = (value, "")
    return scores


def completer(offering, user=None, *, days_ago: int = 30):
    return EnrollmentFactory(
        offering=offering,
        educator=user or UserFactory(),
        status=EnrollmentStatus.COMPLETED,
        completed_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def follow_up(enrollment, used: bool):
    return SurveyResponse.objects.create(
        enrollment=enrollment,
        phase=SurveyPhase.FOLLOW_UP,
        answers={"used_in_class": used, "quality": 4},
        submitted_at=timezone.now(),
    )


def growth_case(district, framework, item, offering, *, participants=5, comparisons=5):
    """Participants rise from 2 to 4 on `item` around their completion 100 days ago; colleagues
    who did not take it rise from 2 to 3 over the same stretch: a known effect of exactly 1."""
    people = []
    for _ in range(participants):
        user = UserFactory()
        completer(offering, user, days_ago=100)
        submitted_snapshot(user, district, framework, {item: 2}, days_ago=150)
        submitted_snapshot(user, district, framework, {item: 4}, days_ago=30)
        people.append(user)
    for _ in range(comparisons):
        user = UserFactory()
        submitted_snapshot(user, district, framework, {item: 2}, days_ago=150)
        submitted_snapshot(user, district, framework, {item: 3}, days_ago=30)
    return people

"""The engine's inputs from seeded growth data, with exact values."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.growth.models import EducatorProfile
from trellis.growth.tests.factories import GoalFactory, ObservationFactory, submitted_snapshot
from trellis.recommend import inputs
from trellis.recommend.models import (
    CoachSuggestion,
    PriorityCompetency,
    PriorityOffering,
    RecommendationFeedback,
)

pytestmark = pytest.mark.django_db


def test_catalog_arrays_from_published_offerings(world):
    cast = world.cast
    OfferingFactory(district=cast.district_a, status="draft", title="Draft")  # not listed
    OfferingFactory(district=cast.district_b, title="Other district")  # not listed
    first = world.offerings[0]
    OfferingSessionFactory(
        offering=first,
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=2),
    )
    OfferingSessionFactory(
        offering=first,
        starts_at=timezone.now() + dt.timedelta(days=15),
        ends_at=timezone.now() + dt.timedelta(days=15, hours=2),
    )
    PriorityOffering.objects.create(district=cast.district_a, offering=world.offerings[1])
    bundle = inputs.build_catalog(cast.district_a)
    arrays = bundle.arrays
    assert arrays.titles == [o.title for o in world.offerings]
    assert arrays.competency_ids == [str(c.public_id) for c in world.comps]
    assert arrays.alignment.shape == (6, 4)
    assert arrays.alignment[0].tolist() == [1.0, 0.0, 0.0, 0.0]
    # The general offering is tagged with domain 1: spread over its two competencies.
    assert arrays.alignment[4].tolist() == [0.5, 0.5, 0.0, 0.0]
    assert arrays.hours.tolist() == [2.0, 8.0, 14.0, 20.0, 3.0, 20.0]
    assert arrays.tier.tolist() == [1, 4, 1, 4, 4, 4]  # index into TIERS ("2" → 1, none → 4)
    assert arrays.span_weeks[0] == pytest.approx(
        (14 + 2 / 24) / 7, abs=1e-4
    )  # first start → last end
    assert arrays.span_weeks[1] == 0.0
    assert arrays.priority.tolist() == [False, True, False, False, False, False]
    assert arrays.leadership.tolist() == [False] * 5 + [True]
    assert arrays.stage_bits[5] == 0b1100  # experienced, veteran
    assert arrays.design_features[0].tolist() == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert math.isnan(arrays.vetting_score[0])
    assert arrays.rating_count.tolist() == [0] * 6
    assert bundle.scale_max == 4
    assert bundle.target_level == 3


def test_catalog_cache_rebuilds_when_the_catalog_changes(world, django_assert_num_queries):
    district = world.cast.district_a
    first = inputs.catalog_for(district)
    with django_assert_num_queries(2):  # the version check only
        assert inputs.catalog_for(district) is first
    OfferingFactory(district=district, title="Brand new")
    rebuilt = inputs.catalog_for(district)
    assert rebuilt is not first
    assert "Brand new" in rebuilt.arrays.titles


def test_educator_input_from_growth_data(world):
    cast = world.cast
    a, b, c, d = world.comps
    district = cast.district_a
    today = timezone.localdate()
    EducatorProfile.objects.filter(user=cast.alice).update(
        weekly_minutes=90,
        students_served=["english_learners"],
        preferred_formats=["coaching"],
    )
    ObservationFactory(district=district, educator=cast.alice, item=a, value=2, observed_on=today)
    ObservationFactory(
        district=district,
        educator=cast.alice,
        item=a,
        value=4,
        observed_on=today - dt.timedelta(days=365),
        observer_role="coach",
    )
    ObservationFactory(district=district, educator=cast.eve, item=b, value=4, observed_on=today)
    submitted_snapshot(cast.alice, district, world.framework.framework, {a: 1, b: 3}, days_ago=30)
    submitted_snapshot(cast.alice, district, world.framework.framework, {a: 2, b: 4}, days_ago=1)
    GoalFactory(district=district, educator=cast.alice, competencies=[c])
    GoalFactory(district=district, educator=cast.alice, competencies=[d], status="achieved")
    PriorityCompetency.objects.create(district=district, item=b)
    PriorityCompetency.objects.create(district=district, school=cast.middle_a, item=d)
    PriorityCompetency.objects.create(district=district, school=cast.elementary_a, item=c)
    EnrollmentFactory(offering=world.offerings[0], educator=cast.alice)
    RecommendationFeedback.objects.create(
        district=district, educator=cast.alice, offering=world.offerings[1], action="not_for_me"
    )
    RecommendationFeedback.objects.create(
        district=district, educator=cast.alice, offering=world.offerings[2], action="save"
    )
    CoachSuggestion.objects.create(
        district=district, coach=cast.carol, educator=cast.alice, offering=world.offerings[3]
    )

    bundle = inputs.catalog_for(district)
    context = inputs.educator_input(cast.access(cast.alice), cast.alice, bundle, today=today)
    data = context.input
    assert data.stage == "novice"
    # Recency: today's 2 has weight 1, last year's 4 weight 0.5 → (2 + 2) / 1.5.
    assert data.observed_mean[0] == pytest.approx(4 / 1.5, abs=1e-5)
    assert data.observed_count.tolist() == pytest.approx([1.5, 0.0, 0.0, 0.0])
    assert np.isnan(data.observed_mean[1])
    assert data.self_rating[:2].tolist() == [2.0, 4.0]  # the latest snapshot
    assert np.isnan(data.self_rating[2])
    # District anchor: plain mean of every observation of the competency.
    assert data.anchor[0] == pytest.approx(3.0)
    assert data.anchor[1] == pytest.approx(4.0)
    assert data.in_goal.tolist() == [False, False, True, False]  # achieved goals do not count
    assert data.target.tolist() == [3.0, 3.0, 4.0, 3.0]
    assert data.district_priority.tolist() == [False, True, False, False]
    assert data.school_priority.tolist() == [False, False, False, True]  # alice is at the middle
    assert data.grade_band_bits == 0b0100  # 6_8
    assert data.position_bits == 0b1  # teacher
    assert data.student_bits == 0b1  # english learners
    assert data.preferred_formats == frozenset({bundle.arrays.formats.index("coaching")})
    assert data.available_hours == pytest.approx(18.0)  # 90 min × 12 weeks
    assert data.excluded == frozenset({0, 1})
    assert data.dismissed == frozenset({1})
    assert data.saved == frozenset({2})
    assert data.boosted == frozenset({3})
    assert context.has_self_assessment
    assert context.has_observations


def test_leadership_paths_come_from_the_offerings_marker_not_its_title(world):
    cast = world.cast
    OfferingFactory(district=cast.district_a, title="Become a mentor (not marked)")
    OfferingFactory(district=cast.district_a, title="Lead your school's PLC", leadership=True)
    OfferingFactory(district=cast.district_a, title="Veterans only", career_stages=["veteran"])
    arrays = inputs.build_catalog(cast.district_a).arrays
    marked = {title for title, flag in zip(arrays.titles, arrays.leadership, strict=True) if flag}
    assert marked == {"Become a mentor teacher", "Lead your school's PLC"}


def test_costs_and_credit(world):
    cast = world.cast
    OfferingFactory(district=cast.district_a, title="Paid", cost=Decimal("250"), credit_amount=3)
    arrays = inputs.build_catalog(cast.district_a).arrays
    i = arrays.titles.index("Paid")
    assert arrays.cost[i] == 250.0
    assert arrays.credit_value[i] == 3.0

"""The demo seed is idempotent; the evaluation harness and its command print the report."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trellis.growth.tests.factories import CoachingAssignmentFactory
from trellis.recommend.demo import seed_recommendations
from trellis.recommend.evaluation import evaluate_database_district, evaluate_synthetic
from trellis.recommend.models import (
    CoachSuggestion,
    PriorityCompetency,
    RecommendationFeedback,
    RecommendationSettings,
    RecommendationSnapshot,
)


def _counts():
    return (
        RecommendationSettings.objects.count(),
        PriorityCompetency.objects.count(),
        CoachSuggestion.objects.count(),
        RecommendationFeedback.objects.count(),
        sorted(RecommendationSnapshot.objects.values_list("educator_id", "offering_id", "rank")),
    )


@pytest.mark.django_db
def test_seed_is_idempotent(world):
    cast = world.cast
    CoachingAssignmentFactory(district=cast.district_a, coach=cast.carol, educator=cast.alice)
    seed_recommendations(cast.district_a)
    first = _counts()
    assert first[:3] == (1, 3, 1)  # two district priorities and one school plan
    assert first[4]
    seed_recommendations(cast.district_a)
    assert _counts() == first


@pytest.mark.django_db
def test_seed_without_a_framework_does_nothing(cast):
    seed_recommendations(cast.district_b)
    assert _counts() == (0, 0, 0, 0, [])


def test_synthetic_evaluation_beats_the_baseline_on_diversity():
    report = evaluate_synthetic(seed=3, educators=60, offerings=120)
    overall, baseline = report.shortlist["overall"], report.baseline["overall"]
    assert report.educators == 60
    assert report.offerings == 120
    assert overall["diversity"] >= baseline["diversity"]
    assert overall["share_with_short"] >= baseline["share_with_short"]
    assert "Top-3 gaps covered (share)" in "\n".join(report.lines())


@pytest.mark.django_db
def test_database_evaluation(world):
    report = evaluate_database_district(world.cast.district_a)
    assert report.educators == 5
    assert report.offerings == 6
    assert report.competencies == 4
    assert report.shortlist["overall"]["educators"] == 5


@pytest.mark.django_db
def test_command(world):
    out = StringIO()
    call_command("recommend_eval", "--district", "northfield", stdout=out)
    assert "Recommendation evaluation — district Northfield" in out.getvalue()
    out = StringIO()
    call_command("recommend_eval", "--educators", "20", "--offerings", "40", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["educators"] == 20
    assert "novice_vs_veteran" in data["shortlist"]
    with pytest.raises(CommandError, match="No district with the slug 'nowhere'"):
        call_command("recommend_eval", "--district", "nowhere")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("recommend_eval", "--educators", "0")

"""The demo growth seed: history that shows growth, several raters, goals with a coach comment,
plans; deterministic, idempotent, and a no-op without an adopted framework."""

from __future__ import annotations

from collections import defaultdict

from trellis.growth.demo import seed_growth
from trellis.growth.models import (
    CoachingAssignment,
    Goal,
    GoalComment,
    GoalReflection,
    ObservationRating,
    PlanItem,
    SelfAssessment,
    SelfRating,
)
from trellis.growth.tests.factories import build_framework

EDUCATORS = [  # Northfield's people with the educator role (dana is an admin only)
    "ada@northfield.test",
    "alice@northfield.test",
    "carol@northfield.test",
    "eve@northfield.test",
    "pat@northfield.test",
]


def everything() -> dict:
    """Every row the seed writes, without ids or timestamps (those differ between runs)."""
    return {
        "snapshots": sorted(
            (a.educator.email, a.ratings.count()) for a in SelfAssessment.objects.all()
        ),
        "ratings": sorted(
            SelfRating.objects.values_list(
                "assessment__educator__email",
                "assessment__submitted_at__date",
                "item__human_code",
                "value",
                "note",
            )
        ),
        "observations": sorted(
            ObservationRating.objects.values_list(
                "educator__email",
                "item__human_code",
                "value",
                "observed_on",
                "observer_role",
                "observer_name",
            )
        ),
        "goals": sorted(
            Goal.objects.values_list("educator__email", "title", "status", "target_date")
        ),
        "goal_competencies": sorted(
            Goal.competencies.through.objects.values_list(
                "goal__title", "frameworkitem__human_code"
            )
        ),
        "reflections": sorted(
            GoalReflection.objects.values_list("goal__educator__email", "body", "written_on")
        ),
        "comments": sorted(
            GoalComment.objects.values_list("goal__educator__email", "author__email", "body")
        ),
        "plan": sorted(
            PlanItem.objects.values_list(
                "educator__email", "title", "kind", "status", "target_date", "goal__title"
            )
        ),
        "coaching": sorted(
            CoachingAssignment.objects.values_list("coach__email", "educator__email")
        ),
    }


def test_without_an_adopted_framework_the_seed_does_nothing(cast):
    build_framework(cast.district_a, adopted=False)

    report = seed_growth(cast.district_a)

    assert report.skipped == "no adopted framework"
    assert all(rows == [] for rows in everything().values())


def test_every_educator_gets_history_observations_goals_and_a_plan(cast, adopted):
    report = seed_growth(cast.district_a)

    assert report.skipped == ""
    assert report.educators == 5
    per_educator = defaultdict(list)
    for assessment in SelfAssessment.objects.order_by("submitted_at"):
        assert assessment.status == "submitted"
        per_educator[assessment.educator.email].append(
            sum(r.value for r in assessment.ratings.all()) / assessment.ratings.count()
        )
    assert sorted(per_educator) == EDUCATORS
    for means in per_educator.values():
        assert len(means) in (2, 3)
        assert means == sorted(means)  # growth over time
        assert means[-1] > means[0]
    observed = defaultdict(set)
    for email, role in ObservationRating.objects.values_list("educator__email", "observer_role"):
        observed[email].add(role)
    assert dict(observed) == {email: {"principal", "coach"} for email in EDUCATORS}
    assert sorted(set(Goal.objects.values_list("educator__email", flat=True))) == EDUCATORS
    assert all(goal.competencies.count() >= 1 for goal in Goal.objects.all())
    assert all(goal.target_date > goal.created_at.date() for goal in Goal.objects.all())
    # Carol coaches everyone else; she has no coach of her own, so her goals have no comment.
    assert everything()["coaching"] == [
        ("carol@northfield.test", e) for e in EDUCATORS if e != "carol@northfield.test"
    ]
    commented = set(GoalComment.objects.values_list("goal__educator__email", flat=True))
    assert commented == set(EDUCATORS) - {"carol@northfield.test"}
    assert set(GoalComment.objects.values_list("author__email", flat=True)) == {
        "carol@northfield.test"
    }
    assert sorted(set(PlanItem.objects.values_list("educator__email", flat=True))) == EDUCATORS
    # The principal of Northfield Middle is named on the observations of her school's educators.
    assert set(
        ObservationRating.objects.filter(
            educator__email="alice@northfield.test", observer_role="principal"
        ).values_list("observer_name", flat=True)
    ) == {"Pat Park"}
    assert report.created["snapshots"] == SelfAssessment.objects.count()


def test_a_second_run_changes_nothing(cast, adopted):
    seed_growth(cast.district_a)
    first = everything()

    report = seed_growth(cast.district_a)

    assert everything() == first
    assert set(report.created.values()) == {0}


def test_the_seed_is_deterministic(cast, adopted):
    seed_growth(cast.district_a)
    first = everything()
    for model in (SelfAssessment, ObservationRating, Goal, PlanItem, CoachingAssignment):
        model.objects.all().delete()

    seed_growth(cast.district_a)

    assert everything() == first


def test_the_seeded_pages_render_for_the_educator_and_the_coach(cast, client_for, adopted):
    seed_growth(cast.district_a)
    goal = Goal.objects.filter(educator=cast.alice).first()

    growth = client_for(cast.alice).get("/growth/")
    caseload = client_for(cast.carol).get("/caseload/")
    goal_page = client_for(cast.carol).get(f"/growth/goals/{goal.public_id}/")

    assert growth.status_code == caseload.status_code == goal_page.status_code == 200
    assert "<strong>Carol Cruz</strong>" in goal_page.content.decode()

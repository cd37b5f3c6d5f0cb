"""The recommendations API: shape, roles, tenant boundary, feedback and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import CoachingAssignmentFactory
from trellis.recommend import inputs
from trellis.recommend.models import RecommendationFeedback

pytestmark = pytest.mark.django_db

PICK_KEYS = {
    "offering",
    "title",
    "score",
    "slot",
    "slot_label",
    "hours",
    "cost",
    "format",
    "saved",
    "factors",
    "reasons",
}


def test_my_recommendations_shape(world, api_client_for):
    cast = world.cast
    response = api_client_for(cast.alice).get("/api/v1/me/recommendations")
    assert response.status_code == 200
    body = response.json()
    assert body["educator"] == str(cast.alice.public_id)
    assert body["career_stage"] == "novice"
    assert body["size"] == 3
    assert body["mode"] == "cold_start"
    assert body["catalog_url"] == "/catalog/"
    assert body["considered"] == 5  # the leadership path is filtered out for a novice
    assert len(body["picks"]) == 3
    for pick in body["picks"]:
        assert set(pick) == PICK_KEYS
        assert set(pick["factors"]) == {
            "need_match",
            "fit",
            "effectiveness",
            "feasibility",
            "credit_bonus",
        }
        assert pick["reasons"]
        assert set(pick["reasons"][0]) == {"code", "text"}
        assert pick["score"] > 0
    assert body["picks"][0]["slot"] == "best_fit"


def test_educator_recommendations_roles(world, api_client_for):
    cast = world.cast
    path = f"/api/v1/educators/{cast.alice.public_id}/recommendations"
    assert api_client_for(cast.alice).get(path).status_code == 200  # self
    assert api_client_for(cast.dana).get(path).status_code == 200  # district admin
    response = api_client_for(cast.carol).get(path)
    assert response.status_code == 403  # a coach, but not alice's
    assert response.json()["error"]["code"] == "permission_denied"
    assert api_client_for(cast.eve).get(path).status_code == 403  # another educator
    CoachingAssignmentFactory(district=cast.district_a, coach=cast.carol, educator=cast.alice)
    assert api_client_for(cast.carol).get(path).status_code == 200  # now her caseload
    other = f"/api/v1/educators/{cast.bob.public_id}/recommendations"
    response = api_client_for(cast.dana).get(other)
    assert response.status_code == 404  # another district's educator
    assert (
        api_client_for(cast.dana).get("/api/v1/educators/not-a-uuid/recommendations").status_code
        == 422
    )


def test_feedback_api(world, api_client_for):
    cast = world.cast
    client = api_client_for(cast.alice)
    first = client.get("/api/v1/me/recommendations").json()["picks"][0]
    response = client.post(
        "/api/v1/me/recommendations/feedback",
        {"offering": first["offering"], "action": "not_for_me"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"offering": first["offering"], "action": "not_for_me"}
    after = client.get("/api/v1/me/recommendations").json()["picks"]
    assert first["offering"] not in [p["offering"] for p in after]
    assert len(after) == 3
    response = client.post(
        "/api/v1/me/recommendations/feedback",
        {"offering": first["offering"], "action": "clear"},
        content_type="application/json",
    )
    assert response.json()["action"] == "none"
    assert not RecommendationFeedback.objects.exists()


def test_feedback_api_bad_input(world, api_client_for):
    cast = world.cast
    client = api_client_for(cast.alice)
    offering = str(world.offerings[0].public_id)
    bad = client.post(
        "/api/v1/me/recommendations/feedback",
        {"offering": offering, "action": "love"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    foreign = OfferingFactory(district=cast.district_b)
    missing = client.post(
        "/api/v1/me/recommendations/feedback",
        {"offering": str(foreign.public_id), "action": "save"},
        content_type="application/json",
    )
    assert missing.status_code == 404
    draft = OfferingFactory(district=cast.district_a, status="draft")
    response = client.post(
        "/api/v1/me/recommendations/feedback",
        {"offering": str(draft.public_id), "action": "save"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not RecommendationFeedback.objects.exists()


def test_api_queries_constant_in_catalog_size(world, api_client_for, django_assert_max_num_queries):
    client = api_client_for(world.cast.alice)
    client.get("/api/v1/me/recommendations")
    with django_assert_max_num_queries(30) as small:
        client.get("/api/v1/me/recommendations")
    warm = len(small.captured_queries)
    for n in range(40):
        offering = OfferingFactory(
            district=world.cast.district_a, title=f"Extra {n}", hours=Decimal(4 + n % 10)
        )
        offering.competencies.set([world.comps[n % 4]])
    inputs.clear_catalog_cache()
    client.get("/api/v1/me/recommendations")
    with django_assert_max_num_queries(warm):
        client.get("/api/v1/me/recommendations")

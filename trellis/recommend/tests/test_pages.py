"""The pages: educator list with feedback, coach view with suggestions, admin settings and the
"who is recommended what" view; roles, tenant boundary and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import CoachingAssignmentFactory
from trellis.recommend import inputs
from trellis.recommend.models import (
    CoachSuggestion,
    PriorityCompetency,
    PriorityOffering,
    RecommendationFeedback,
    RecommendationSettings,
    RecommendationSnapshot,
)
from trellis.recommend.snapshots import recompute_district

pytestmark = pytest.mark.django_db


def test_educator_page_shows_picks_with_reasons(world, client_for):
    cast = world.cast
    response = client_for(cast.alice).get(reverse("recommend:mine"))
    assert response.status_code == 200
    body = response.content.decode()
    picks = response.context["recs"].picks
    assert len(picks) == 3
    for pick in picks:
        assert pick.title in body
        assert pick.reasons[0].text.replace("'", "&#x27;") in body
    assert 'href="/catalog/"' in body
    assert "See the full catalog" in body
    assert "self-check" in body  # no self-assessment yet: cold start
    assert reverse("growth:self_assessment") in body


def test_not_for_me_button_replaces_the_pick(world, client_for):
    cast = world.cast
    client = client_for(cast.alice)
    first = client.get(reverse("recommend:mine")).context["recs"].picks[0]
    response = client.post(
        reverse("recommend:feedback"), {"offering": first.offering_id, "action": "not_for_me"}
    )
    assert response.status_code == 302
    assert response.url == reverse("recommend:mine")
    after = client.get(reverse("recommend:mine"))
    titles = [p.title for p in after.context["recs"].picks]
    assert first.title not in titles
    assert len(titles) == 3
    assert f"Marked “{first.title}” as not for you" in after.content.decode()


def test_feedback_bad_input(world, client_for):
    cast = world.cast
    client = client_for(cast.alice)
    response = client.post(reverse("recommend:feedback"), {"offering": "nope", "action": "save"})
    assert response.status_code == 302
    foreign = OfferingFactory(district=cast.district_b)
    response = client.post(
        reverse("recommend:feedback"), {"offering": str(foreign.public_id), "action": "save"}
    )
    assert response.status_code == 404
    assert not RecommendationFeedback.objects.exists()


def test_coach_page_and_suggestion(world, client_for):
    cast = world.cast
    CoachingAssignmentFactory(district=cast.district_a, coach=cast.carol, educator=cast.alice)
    client = client_for(cast.carol)
    url = reverse("recommend:educator", args=[cast.alice.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"offering": str(world.offerings[3].public_id), "note": "Good for your goal."}
    )
    assert response.status_code == 302
    suggestion = CoachSuggestion.objects.get()
    assert suggestion.note == "Good for your goal."
    assert suggestion.educator == cast.alice
    body = client_for(cast.alice).get(reverse("recommend:mine")).content.decode()
    assert "Carol Cruz suggested it: “Good for your goal.”" in body
    response = client.post(url, {"offering": "", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(reverse("recommend:withdraw_suggestion", args=[suggestion.public_id]))
    assert response.status_code == 302
    assert not CoachSuggestion.objects.exists()


def test_who_sees_an_educators_list(world, client_for):
    cast = world.cast
    url = reverse("recommend:educator", args=[cast.alice.public_id])
    assert client_for(cast.carol).get(url).status_code == 403  # not on her caseload
    assert client_for(cast.eve).get(url).status_code == 403
    assert client_for(cast.dana).get(url).status_code == 200  # district admin
    assert client_for(cast.bea).get(url).status_code == 404  # works in Southport: not found
    bob_url = reverse("recommend:educator", args=[cast.bob.public_id])
    assert client_for(cast.dana).get(bob_url).status_code == 404  # another district


def test_admin_pages_need_the_permission(world, client_for):
    for name in ("recommend:settings", "recommend:who"):
        assert client_for(world.cast.carol).get(reverse(name)).status_code == 403
        assert client_for(world.cast.dana).get(reverse(name)).status_code == 200


def _settings_post(**changes):
    data = {
        "novice_size": 3,
        "developing_size": 4,
        "experienced_size": 4,
        "veteran_size": 5,
        "reserved_slots": 0,
    }
    data.update(changes)
    return data


def test_settings_page_saves(world, client_for):
    client = client_for(world.cast.dana)
    response = client.post(
        reverse("recommend:settings"), _settings_post(veteran_size=6, w_mmr_lambda="0.6")
    )
    assert response.status_code == 302
    row = RecommendationSettings.objects.get()
    assert row.veteran_size == 6
    assert row.weight_overrides == {"mmr_lambda": 0.6}
    body = client.get(reverse("recommend:settings")).content.decode()
    assert "Balance between score (1) and variety (0)" in body  # WEIGHT_HELP
    assert "Between 0 and 1; default 0.75." in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"veteran_size": 7}, "veteran_size", "Ensure this value is less than or equal to 6."),
        ({"reserved_slots": 3}, "reserved_slots", "Ensure this value is less than or equal to 2."),
        ({"w_mmr_lambda": "2"}, "w_mmr_lambda", "Ensure this value is less than or equal to 1.0."),
        (
            {"w_dose_zero_hours": "15"},
            "w_dose_threshold_hours",
            "Weight 'dose_threshold_hours' must be above 'dose_zero_hours'.",
        ),
    ],
)
def test_settings_page_errors(world, client_for, changes, field, message):
    response = client_for(world.cast.dana).post(
        reverse("recommend:settings"), _settings_post(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not RecommendationSettings.objects.exists()


def test_priority_forms(world, client_for):
    cast = world.cast
    client = client_for(cast.dana)
    item = world.comps[1]
    response = client.post(
        reverse("recommend:priority_add"),
        {"competency": str(item.public_id), "school": str(cast.middle_a.public_id)},
    )
    assert response.status_code == 302
    row = PriorityCompetency.objects.get()
    assert row.school == cast.middle_a
    assert row.item == item
    response = client.post(reverse("recommend:priority_add"), {"competency": "", "school": ""})
    assert PriorityCompetency.objects.count() == 1
    client.post(reverse("recommend:priority_remove", args=[row.public_id]))
    assert not PriorityCompetency.objects.exists()
    client.post(
        reverse("recommend:priority_offering_add"), {"offering": str(world.offerings[0].public_id)}
    )
    priority = PriorityOffering.objects.get()
    client.post(reverse("recommend:priority_offering_remove", args=[priority.public_id]))
    assert not PriorityOffering.objects.exists()
    # Another district's rows are missing.
    assert (
        client_for(cast.bea)
        .post(reverse("recommend:priority_remove", args=[row.public_id]))
        .status_code
        == 404
    )


def test_recompute_and_who_views(world, client_for, django_capture_on_commit_callbacks):
    cast = world.cast
    client = client_for(cast.dana)
    with django_capture_on_commit_callbacks(execute=True):  # immediate task backend in tests
        response = client.post(reverse("recommend:recompute"))
    assert response.status_code == 302
    # alice, carol, ada, pat, eve are educators in Northfield.
    assert (
        RecommendationSnapshot.objects.filter(district=cast.district_a)
        .values("educator")
        .distinct()
        .count()
        == 5
    )
    assert not RecommendationSnapshot.objects.filter(district=cast.district_b).exists()
    response = client.get(reverse("recommend:who"))
    rows = response.context["rows"]
    assert rows
    assert sum(r.educators for r in rows) == RecommendationSnapshot.objects.count()
    top = rows[0]
    assert sum(top.by_stage.values()) == top.educators
    assert sum(n for _, n in top.by_school) == top.educators
    detail = client.get(reverse("recommend:who_educator", args=[cast.eve.public_id]))
    assert detail.status_code == 200
    assert detail.context["rows"]
    assert (
        client.get(reverse("recommend:who_educator", args=[cast.bob.public_id])).status_code == 404
    )


def test_veteran_gets_a_leadership_pick(world):
    cast = world.cast
    recompute_district(cast.district_a)
    eve_titles = list(
        RecommendationSnapshot.objects.filter(educator=cast.eve).values_list(
            "offering__title", flat=True
        )
    )
    assert "Become a mentor teacher" in eve_titles
    alice_titles = list(
        RecommendationSnapshot.objects.filter(educator=cast.alice).values_list(
            "offering__title", flat=True
        )
    )
    assert "Become a mentor teacher" not in alice_titles


def _grow_catalog(world, extra):
    for n in range(extra):
        offering = OfferingFactory(
            district=world.cast.district_a, title=f"Extra {n}", hours=Decimal(4 + n % 10)
        )
        offering.competencies.set([world.comps[n % 4]])
    inputs.clear_catalog_cache()


def test_recommendations_page_queries_constant_in_catalog_size(
    world, client_for, django_assert_max_num_queries
):
    cast = world.cast
    client = client_for(cast.alice)
    client.get(reverse("recommend:mine"))  # warm the session and the catalog cache
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("recommend:mine"))
    warm = len(small.captured_queries)
    _grow_catalog(world, 40)
    client.get(reverse("recommend:mine"))
    with django_assert_max_num_queries(warm):
        client.get(reverse("recommend:mine"))
    # A cold catalog cache also costs the same whatever the catalog's size.
    inputs.clear_catalog_cache()
    with django_assert_max_num_queries(45) as cold_small:
        client.get(reverse("recommend:mine"))
    cold = len(cold_small.captured_queries)
    _grow_catalog(world, 40)
    with django_assert_max_num_queries(cold):
        client.get(reverse("recommend:mine"))


def test_who_page_queries_constant(world, client_for, django_assert_max_num_queries):
    cast = world.cast
    recompute_district(cast.district_a)
    client = client_for(cast.dana)
    client.get(reverse("recommend:who"))
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("recommend:who"))
    before = len(first.captured_queries)
    _grow_catalog(world, 30)
    recompute_district(cast.district_a)
    with django_assert_max_num_queries(before):
        client.get(reverse("recommend:who"))

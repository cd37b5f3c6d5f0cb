"""The "Recommended for you" card on the home page: the first picks, the empty states, the
tenant boundary and a query count that does not grow with the catalog."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.catalog.tests.factories import OfferingFactory
from trellis.credit.queries import renewal_progress_for
from trellis.growth.queries import profile_for
from trellis.recommend import inputs, queries

pytestmark = pytest.mark.django_db

EMPTY = "No recommendations yet."


def test_home_card_shows_the_first_three_picks_of_the_educators_list(world, client_for):
    client = client_for(world.cast.alice)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    card = response.context["home_recs"]
    full = client.get(reverse("recommend:mine")).context["recs"]
    assert [p.offering_id for p in card.picks] == [p.offering_id for p in full.picks][:3]
    assert len(card.picks) == 3
    assert '<h2 id="home-recs-h">Recommended for you</h2>' in body
    for pick in card.picks:
        assert pick.title in body
    assert f'href="{reverse("recommend:mine")}"' in body
    assert f'href="{reverse("catalog:browse")}"' in body
    # no self-assessment yet: the picks say they are for everyone and point to the self-check
    assert "Good for everyone while we get to know you." in body
    assert f'href="{reverse("growth:self_assessment")}"' in body
    assert EMPTY not in body


def test_home_card_links_each_pick_to_its_offering(world, client_for):
    response = client_for(world.cast.alice).get("/")
    body = response.content.decode()
    for pick in response.context["home_recs"].picks:
        assert reverse("catalog:offering", args=[pick.offering_id]) in body


def test_empty_state_without_a_framework_says_what_starts_the_list(cast, client_for):
    response = client_for(cast.alice).get("/")
    body = response.content.decode()
    assert response.context["home_recs"].picks == []
    assert EMPTY in body
    assert "They start once your district adopts a competency framework" in body
    assert f'href="{reverse("catalog:browse")}">Browse the full catalog</a>' in body


def test_empty_state_with_a_framework_but_nothing_published(world, client_for):
    for offering in world.offerings:
        offering.status = "draft"
        offering.save(update_fields=["status"])
    inputs.clear_catalog_cache()
    body = client_for(world.cast.alice).get("/").content.decode()
    assert EMPTY in body
    assert "Nothing published in the catalog fits you right now" in body
    assert f'<a href="{reverse("growth:self_assessment")}">self-check</a>' in body


def test_another_districts_educator_sees_none_of_northfields_offerings(world, client_for):
    response = client_for(world.cast.bob).get("/")
    body = response.content.decode()
    assert response.context["home_recs"].picks == []
    for offering in world.offerings:
        assert offering.title not in body


def _grow_catalog(world, count: int) -> None:
    for n in range(count):
        offering = OfferingFactory(
            district=world.cast.district_a, title=f"Extra {n}", hours=Decimal(4 + n % 10)
        )
        offering.competencies.set([world.comps[n % 4]])
    inputs.clear_catalog_cache()


def test_home_page_queries_do_not_grow_with_the_catalog(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.cast.alice)
    # cold: the district's catalog arrays are built on this request
    with django_assert_max_num_queries(60) as cold_small:
        client.get("/")
    cold = len(cold_small.captured_queries)
    with django_assert_max_num_queries(45) as warm_small:
        client.get("/")
    warm = len(warm_small.captured_queries)
    assert warm < cold
    _grow_catalog(world, 40)
    with django_assert_max_num_queries(cold):
        client.get("/")
    with django_assert_max_num_queries(warm):
        response = client.get("/")
    assert len(response.context["home_recs"].picks) == 3


def test_home_card_with_the_panels_profile_and_renewal_is_the_same_in_5_fewer_queries(world):
    """The home page hands the card the profile and renewal standing its panels read."""
    alice = world.cast.alice
    access = world.cast.access(alice)
    queries.home_card(access, alice)  # warm the district's catalog arrays
    with CaptureQueriesContext(connection) as reading:
        alone = queries.home_card(access, alice)
    preloaded = inputs.Preloaded(
        profile=profile_for(alice, access.district), renewal=renewal_progress_for(access, alice)
    )
    with CaptureQueriesContext(connection) as handed:
        shared = queries.home_card(access, alice, preloaded=preloaded)

    assert len(handed) == len(reading) - 5  # the profile (1) and renewal progress (4)
    assert shared == alone
    assert [p.offering_id for p in shared.picks] == [p.offering_id for p in alone.picks]
    assert len(shared.picks) == 3

import pytest

from trellis.catalog.models import OfferingStatus
from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import build_framework
from trellis.quality import queries
from trellis.quality.models import Review
from trellis.quality.services.vetting import vet_offering
from trellis.quality.tests.factories import completer, follow_up, full_marks, growth_case


@pytest.fixture
def offering(cast):
    return OfferingFactory(district=cast.district_a)


def test_signals_cover_every_published_offering_with_defaults(cast, offering):
    OfferingFactory(district=cast.district_a, status=OfferingStatus.DRAFT)
    OfferingFactory(district=cast.district_b)
    signals = queries.offering_signals(cast.district_a)
    assert list(signals) == [offering.pk]
    assert signals[offering.pk] == queries.OfferingSignals(
        vetting_score=None,
        vetting_failed=False,
        rating_sum=0.0,
        rating_count=0,
        used_yes=0,
        used_count=0,
        growth_effect=None,
        growth_n=0,
    )


def test_signals_aggregate_vetting_reviews_and_follow_ups(cast, offering):
    access = cast.access(cast.dana)
    vet_offering(
        access=access, actor=cast.dana, offering=offering, scores=full_marks(cast.district_a)
    )
    vet_offering(
        access=access,
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a, except_essential=1),
    )
    for stars, hidden in ((5, False), (4, False), (1, True)):
        e = completer(offering)
        Review.objects.create(
            district=cast.district_a,
            offering=offering,
            author=e.educator,
            stars=stars,
            hidden=hidden,
        )
        follow_up(e, used=stars >= 4)
    s = queries.offering_signals(cast.district_a)[offering.pk]
    assert s.vetting_failed is True
    assert s.vetting_score == pytest.approx((14 * 3 - 3) / 42)
    assert (s.rating_sum, s.rating_count) == (9.0, 2)
    assert (s.used_yes, s.used_count) == (2, 3)


def test_signals_carry_the_growth_effect(cast, offering):
    built = build_framework(cast.district_a)
    item = built.competencies[0]
    offering.competencies.set([item])
    growth_case(cast.district_a, built.framework, item, offering)
    s = queries.offering_signals(cast.district_a)[offering.pk]
    assert s.growth_effect == pytest.approx(1.0)
    assert s.growth_n == 5


def test_signals_take_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for _ in range(6):
        o = OfferingFactory(district=cast.district_a)
        completer(o)
    with django_assert_max_num_queries(8):
        queries.offering_signals(cast.district_a)


def test_scorecard_takes_a_fixed_number_of_queries(cast, offering, django_assert_num_queries):
    built = build_framework(cast.district_a)
    offering.competencies.set(built.competencies[:2])
    growth_case(cast.district_a, built.framework, built.competencies[0], offering)
    with django_assert_num_queries(10):
        card = queries.scorecard(cast.district_a, offering)
    assert card.growth.effect == pytest.approx(1.0)
    assert card.completion_rate == 1.0


def test_scorecard_shrinks_toward_the_district_mean(cast, offering):
    other = OfferingFactory(district=cast.district_a)
    for stars in (4, 4, 4, 4):
        e = completer(other)
        Review.objects.create(
            district=cast.district_a, offering=other, author=e.educator, stars=stars
        )
    for stars in (5, 5):
        e = completer(offering)
        Review.objects.create(
            district=cast.district_a, offering=offering, author=e.educator, stars=stars
        )
    card = queries.scorecard(cast.district_a, offering)
    prior = 26 / 6
    assert card.rating_prior == pytest.approx(prior)
    assert card.rating_shrunk == pytest.approx((10 * prior + 10) / 12)
    assert (card.rating_raw, card.rating_count) == (5.0, 2)

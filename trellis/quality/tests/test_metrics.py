import datetime as dt

import pytest

from trellis.quality import metrics


def test_shrinkage_pulls_few_ratings_toward_the_catalog_mean():
    few = metrics.shrunk_mean(10, 2, prior_mean=4.0, prior_strength=10)  # two 5-star ratings
    many = metrics.shrunk_mean(4.6 * 200, 200, prior_mean=4.0, prior_strength=10)
    assert few == pytest.approx(50 / 12)  # 4.1667
    assert many == pytest.approx((40 + 920) / 210)  # 4.5714
    assert many > few


def test_shrinkage_edges():
    assert metrics.shrunk_mean(0, 0, prior_mean=3.5, prior_strength=10) == 3.5
    assert metrics.shrunk_mean(0, 0, prior_mean=3.5, prior_strength=0) == 3.5
    assert metrics.shrunk_mean(8, 2, prior_mean=1, prior_strength=0) == 4
    with pytest.raises(ValueError, match="cannot be negative"):
        metrics.shrunk_mean(1, -1, prior_mean=3, prior_strength=10)


def test_rates():
    assert metrics.rate(3, 4) == 0.75
    assert metrics.rate(0, 0) is None
    assert metrics.raw_mean(9, 2) == 4.5
    assert metrics.raw_mean(0, 0) is None


def test_rubric_result_needs_every_essential_at_two_of_three():
    rows = [("A", 3, 3, True), ("B", 2, 3, True), ("C", 0, 3, False)]
    result = metrics.rubric_result(rows)
    assert result.score == pytest.approx(5 / 9)
    assert result.essentials_met is True
    failing = metrics.rubric_result([("A", 1, 3, True), ("B", 3, 3, False), ("C", 0, 3, True)])
    assert failing.essentials_met is False
    assert failing.unmet_essentials == ("A", "C")
    assert metrics.rubric_result([]).score == 0.0
    with pytest.raises(ValueError, match="points must be from 0 to 3"):
        metrics.rubric_result([("A", 4, 3, False)])


def test_change_around_ignores_the_anchor_day_and_the_outside_of_the_window():
    day = dt.date(2026, 3, 1)
    ratings = [
        (day - dt.timedelta(days=400), 1.0),  # outside the window
        (day - dt.timedelta(days=10), 2.0),
        (day - dt.timedelta(days=5), 3.0),
        (day, 5.0),  # the day itself: neither side
        (day + dt.timedelta(days=30), 4.0),
    ]
    assert metrics.change_around(ratings, day) == 1.5
    assert metrics.change_around(ratings[:3], day) is None


def test_person_change_averages_keys_with_both_sides():
    day = dt.date(2026, 3, 1)
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    by_key = {("self", 1): [(before, 2.0), (after, 4.0)], ("observed", 1): [(before, 3.0)]}
    assert metrics.person_change(by_key, [("self", 1), ("observed", 1)], day) == 2.0
    assert metrics.person_change(by_key, [("observed", 1)], day) is None


def test_difference_in_differences_and_the_minimum_sample():
    enough = metrics.difference_in_differences([2, 2, 2, 2, 3], [1, 1, 1, 1, 1])
    assert enough.effect == pytest.approx(1.2)
    assert (enough.participants, enough.comparisons, enough.enough) == (5, 5, True)
    short = metrics.difference_in_differences([2, 2, 2, 2], [1] * 9)
    assert short.effect is None
    assert short.enough is False
    assert short.participant_change == 2


def test_median_date():
    d = dt.date(2026, 1, 1)
    assert metrics.median_date([d + dt.timedelta(days=n) for n in (5, 1, 3)]) == d + dt.timedelta(3)
    assert metrics.median_date([d, d + dt.timedelta(days=2)]) == d
    with pytest.raises(ValueError, match="No dates"):
        metrics.median_date([])

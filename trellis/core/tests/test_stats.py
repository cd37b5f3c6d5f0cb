"""The shared Bayesian average: known inputs, edges, and the scalar and vectorised faces (used
by the quality scorecards and the recommendation engine) agreeing everywhere."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trellis.core.stats import shrunk_mean, shrunk_means
from trellis.quality import metrics
from trellis.recommend.core import shrinkage


def test_known_inputs():
    assert shrunk_mean(10.0, 2, prior_mean=4.0, prior_strength=10) == pytest.approx(50 / 12)
    assert shrunk_means([0.0, 920.0], [0, 200], 4.2, 10).tolist() == pytest.approx([4.2, 962 / 210])


def test_two_five_star_ratings_do_not_beat_two_hundred_averaging_four_point_six():
    few, many = shrunk_means([10.0, 4.6 * 200], [2, 200], 4.0, 10)
    assert few < many


def test_edges():
    assert shrunk_mean(0, 0, prior_mean=3.5, prior_strength=0) == 3.5
    assert shrunk_mean(8, 2, prior_mean=1, prior_strength=0) == 4
    assert shrunk_means([0.0, 8.0], [0, 2], 3.5, 0).tolist() == [3.5, 4.0]
    with pytest.raises(ValueError, match="prior_strength must be 0 or more"):
        shrunk_mean(1, 1, prior_mean=4, prior_strength=-1)
    with pytest.raises(ValueError, match="prior_strength must be 0 or more"):
        shrunk_means([1.0], [1], 4, -1)
    with pytest.raises(ValueError, match="Counts cannot be negative"):
        shrunk_mean(1, -1, prior_mean=3, prior_strength=10)


def test_both_pure_cores_use_this_one_definition():
    assert metrics.shrunk_mean is shrunk_mean
    assert shrinkage.shrunk_mean is shrunk_means


@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.floats(min_value=1.0, max_value=5.0, allow_nan=False),
        ),
        min_size=1,
        max_size=20,
    ),
    prior_mean=st.floats(min_value=1.0, max_value=5.0, allow_nan=False),
    prior_strength=st.floats(min_value=0.0, max_value=50.0, allow_nan=False),
)
def test_scalar_and_vector_agree_and_stay_between_the_prior_and_the_raw_mean(
    rows, prior_mean, prior_strength
):
    counts = [n for n, _ in rows]
    totals = [n * mean for n, mean in rows]
    vector = shrunk_means(totals, counts, prior_mean, prior_strength)
    for i, (n, mean) in enumerate(rows):
        one = shrunk_mean(totals[i], n, prior_mean=prior_mean, prior_strength=prior_strength)
        assert one == pytest.approx(float(vector[i]))
        if n == 0:
            assert one == pytest.approx(prior_mean)
        else:
            low, high = sorted((prior_mean, mean))
            assert low - 1e-9 <= one <= high + 1e-9
    assert isinstance(vector, np.ndarray)

"""Bayesian averages, the one definition shared by the quality scorecards (one offering at a
time) and the recommendation engine (the whole catalog at once).

shrunk_mean = (Σx + k·m) / (n + k): the posterior mean of a rating with k pseudo-ratings at the
prior mean m. Few ratings stay near m; many approach their own mean. With n = k = 0 it is m.
The same formula on yes/no answers (x in {0, 1}) is a rate shrunk toward a prior rate.

Plain Python + numpy, no Django: an import-linter contract keeps it that way, so the pure cores
(trellis.quality.metrics, trellis.recommend.core) may use it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _check_prior(prior_strength: float) -> None:
    if prior_strength < 0:
        raise ValueError("prior_strength must be 0 or more.")


def shrunk_means(
    totals: ArrayLike, counts: ArrayLike, prior_mean: float, prior_strength: float
) -> NDArray[np.float64]:
    """Vectorised (Σx + k·m) / (n + k) over arrays of sums and counts; the prior mean where
    both the count and the prior strength are 0."""
    _check_prior(prior_strength)
    totals = np.asarray(totals, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    denominator = counts + prior_strength
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, (totals + prior_strength * prior_mean) / safe, prior_mean)


def shrunk_mean(total: float, count: int, *, prior_mean: float, prior_strength: float) -> float:
    """One offering's Bayesian average (the scalar face of `shrunk_means`)."""
    if count < 0:
        raise ValueError("Counts cannot be negative.")
    return float(shrunk_means(total, count, prior_mean, prior_strength))

"""Bayesian averages: small samples lean on the catalog prior, large ones on their own data.

shrunk_mean(sum, count, m, k) = (sum + k·m) / (count + k): the posterior mean of a rating with
k pseudo-ratings at the prior mean m (the "Bayesian average"). shrunk_rate is the same for a
yes/no share (a Beta prior with k pseudo-answers at the prior rate).
"""

from __future__ import annotations

import numpy as np


def shrunk_mean(total, count, prior_mean, prior_strength):
    """Vectorised (sum + k·m) / (count + k); with count = k = 0 the prior mean itself."""
    total = np.asarray(total, dtype=np.float64)
    count = np.asarray(count, dtype=np.float64)
    if prior_strength < 0:
        raise ValueError("prior_strength must be 0 or more.")
    denominator = count + prior_strength
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, (total + prior_strength * prior_mean) / safe, prior_mean)


def shrunk_rate(yes, n, prior_rate, prior_strength):
    """Vectorised (yes + k·π) / (n + k), in 0..1."""
    if not 0.0 <= prior_rate <= 1.0:
        raise ValueError("prior_rate must be between 0 and 1.")
    return shrunk_mean(yes, n, prior_rate, prior_strength)


def catalog_mean(total, count, default: float) -> float:
    """The pooled mean over the catalog (the prior for each offering), or `default` if empty."""
    pooled = float(np.sum(np.asarray(count, dtype=np.float64)))
    return float(np.sum(np.asarray(total, dtype=np.float64))) / pooled if pooled > 0 else default

"""Bayesian averages: small samples lean on the catalog prior, large ones on their own data.

shrunk_mean(sum, count, m, k) = (sum + k·m) / (count + k): the posterior mean of a rating with
k pseudo-ratings at the prior mean m (the "Bayesian average"). shrunk_rate is the same for a
yes/no share (a Beta prior with k pseudo-answers at the prior rate).
"""

from __future__ import annotations

import numpy as np

# The formula lives once, in the shared kernel's pure stats module (the quality scorecards use
# its scalar face); the engine keeps its own positional, vectorised name for it.
from trellis.core.stats import shrunk_means as shrunk_mean


def shrunk_rate(yes, n, prior_rate, prior_strength):
    """Vectorised (yes + k·π) / (n + k), in 0..1."""
    if not 0.0 <= prior_rate <= 1.0:
        raise ValueError("prior_rate must be between 0 and 1.")
    return shrunk_mean(yes, n, prior_rate, prior_strength)


def catalog_mean(total, count, default: float) -> float:
    """The pooled mean over the catalog (the prior for each offering), or `default` if empty."""
    pooled = float(np.sum(np.asarray(count, dtype=np.float64)))
    return float(np.sum(np.asarray(total, dtype=np.float64))) / pooled if pooled > 0 else default

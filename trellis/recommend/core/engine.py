"""Need, score and shortlist for one educator; top-k scores for a whole state in chunks.

Score = 100 × need match × fit × effectiveness × feasibility × feedback + credit bonus. The
product is deliberate: an offering that addresses none of the educator's needs scores (almost)
nothing however polished it is. docs/recommendations.md explains every factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import factors
from .types import CatalogArrays, EducatorInput, Shortlist
from .weights import DEFAULT_WEIGHTS, Weights


@dataclass(frozen=True)
class Scores:
    """Every factor for every offering (n,), for one educator."""

    need_match: np.ndarray
    fit: np.ndarray
    effectiveness: np.ndarray
    feasibility: np.ndarray
    credit_bonus: np.ndarray
    total: np.ndarray  # 0 where not eligible
    eligible: np.ndarray  # bool
    feedback: np.ndarray  # multiplier from dismissed / saved / coach-suggested neighbours
    need: np.ndarray  # (c,) the need vector used
    mode: str  # need | cold_start | expertise
    parts: factors.Effectiveness  # the effectiveness breakdown, for explanations


def estimated_level(educator: EducatorInput, weights: Weights) -> np.ndarray:
    """(c,) precision-weighted blend of observations, self-rating and anchor; nan if none."""
    observed = np.asarray(educator.observed_mean, dtype=np.float64)
    count = np.nan_to_num(np.asarray(educator.observed_count, dtype=np.float64))
    self_rating = np.asarray(educator.self_rating, dtype=np.float64)
    anchor = np.asarray(educator.anchor, dtype=np.float64)
    w_obs = np.where(np.isnan(observed), 0.0, weights.observation_weight * count)
    w_self = np.where(np.isnan(self_rating), 0.0, weights.self_weight)
    w_anchor = np.where(np.isnan(anchor), 0.0, weights.anchor_weight)
    weight = w_obs + w_self + w_anchor
    weighted = (
        w_obs * np.nan_to_num(observed)
        + w_self * np.nan_to_num(self_rating)
        + w_anchor * np.nan_to_num(anchor)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, weighted / np.where(weight > 0, weight, 1.0), np.nan)


def priority(educator: EducatorInput, weights: Weights) -> np.ndarray:
    emphasis = educator.stage_emphasis
    if emphasis is None:
        emphasis = np.zeros(len(educator.target), dtype=bool)
    return (
        1.0
        + weights.goal_bonus * np.asarray(educator.in_goal, dtype=np.float64)
        + weights.school_bonus * np.asarray(educator.school_priority, dtype=np.float64)
        + weights.district_bonus * np.asarray(educator.district_priority, dtype=np.float64)
        + weights.stage_bonus * np.asarray(emphasis, dtype=np.float64)
    )


def _gaps(level: np.ndarray, target: np.ndarray, scale_max: int) -> np.ndarray:
    span = max(scale_max - 1, 1)
    unknown = np.isnan(level) | np.isnan(target)
    return np.where(
        unknown, 0.0, np.clip((np.nan_to_num(target) - np.nan_to_num(level)) / span, 0.0, 1.0)
    )


def _normalise(vector: np.ndarray) -> np.ndarray:
    total = vector.sum()
    return vector / total if total > 0 else np.zeros_like(vector)


def need_vector(educator: EducatorInput, weights: Weights) -> tuple[np.ndarray, str]:
    """(c,) need summing to 1 (or all zero) and the mode: need, cold_start or expertise."""
    weight = priority(educator, weights)
    has_observations = bool(
        np.any(~np.isnan(educator.observed_mean) & (np.nan_to_num(educator.observed_count) > 0))
    )
    has_self = bool(np.any(~np.isnan(educator.self_rating)))
    if not has_observations and not has_self:
        # Nothing known about this educator: lean on the district's and school's priorities.
        return _normalise(weight), "cold_start"
    level = estimated_level(educator, weights)
    target = np.asarray(educator.target, dtype=np.float64)
    gaps = _gaps(level, target, educator.scale_max)
    gaps = np.where(gaps < weights.gap_floor, 0.0, gaps)
    if gaps.any():
        return _normalise(weight * gaps), "need"
    # At or above target everywhere: aim for the top level on the educator's goals (or all).
    focus = np.asarray(educator.in_goal, dtype=bool)
    if not focus.any():
        focus = np.ones(len(target), dtype=bool)
    stretch = np.where(
        focus,
        _gaps(level, np.full(len(target), float(educator.scale_max)), educator.scale_max),
        0.0,
    )
    if not stretch.any():
        stretch = focus.astype(np.float64)
    return _normalise(weight * stretch), "expertise"


def score(
    educator: EducatorInput, catalog: CatalogArrays, weights: Weights = DEFAULT_WEIGHTS
) -> Scores:
    need, mode = need_vector(educator, weights)
    return _score(educator, catalog, weights, need, mode, None)


def _score(educator, catalog, weights, need, mode, features) -> Scores:
    n = len(catalog.offering_ids)
    need_match = (catalog.alignment @ need.astype(np.float32)).astype(np.float64)
    boosted = [i for i in educator.boosted if 0 <= i < n]
    if boosted and n:
        # A coach's suggestion counts as meeting a need as well as the best-aligned offering:
        # the coach knows things the ratings do not show.
        need_match[boosted] = np.maximum(need_match[boosted], need_match.max())
    fit, eligible = factors.fit(educator, catalog, weights)
    parts = factors.effectiveness(catalog, weights)
    feasibility = factors.feasibility(
        catalog.hours,
        catalog.cost,
        factors.available_hours(educator, weights),
        factors.budget(educator, weights),
        weights,
    )
    bonus = factors.credit_bonus(educator, catalog, weights)
    feedback = np.ones(n)
    if educator.dismissed or educator.saved or educator.boosted:
        if features is None:
            features = factors.similarity(catalog, weights)
        feedback = (
            (1 - weights.dismissed_penalty * features.max_to(educator.dismissed))
            * (1 + weights.saved_boost * features.max_to(educator.saved))
            * (1 + weights.coach_boost * features.max_to(educator.boosted))
        )
    eligible = eligible & ~catalog.vetting_failed
    blocked = educator.excluded | educator.dismissed
    if blocked:
        eligible[[i for i in blocked if 0 <= i < n]] = False
    total = 100.0 * need_match * fit * parts.total * feasibility * feedback + bonus
    total = np.where(eligible, total, 0.0)
    return Scores(
        need_match=need_match,
        fit=fit,
        effectiveness=parts.total,
        feasibility=feasibility.astype(np.float64),
        credit_bonus=bonus,
        total=total,
        eligible=eligible,
        feedback=feedback,
        need=need,
        mode=mode,
        parts=parts,
    )


def shortlist(
    educator: EducatorInput,
    catalog: CatalogArrays,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    size: int,
    reserved: int = 0,
    explore: bool = False,
) -> Shortlist:
    """A small, diverse, explained list: see selection.select for the rules."""
    from .selection import select

    if size < 1:
        raise ValueError("The shortlist size must be at least 1.")
    if not 0 <= reserved <= size:
        raise ValueError(f"Reserved slots must be between 0 and the list size ({size}).")
    need, mode = need_vector(educator, weights)
    features = factors.similarity(catalog, weights)
    scores = _score(educator, catalog, weights, need, mode, features)
    return select(
        educator, catalog, weights, scores, features, size=size, reserved=reserved, explore=explore
    )


def batch_multiplier(catalog: CatalogArrays, weights: Weights = DEFAULT_WEIGHTS) -> np.ndarray:
    """(n,) 100 × effectiveness × feasibility (default hours and budget) × general fit.

    The per-offering part of the score, shared by every educator in score_batch; 0 for
    offerings that fail vetting.
    """
    parts = factors.effectiveness(catalog, weights)
    feasibility = factors.feasibility(
        catalog.hours,
        catalog.cost,
        weights.default_available_hours,
        weights.default_budget,
        weights,
    )
    stage_bits = catalog.stage_bits.astype(np.int32)
    general_fit = np.where(stage_bits == 0, weights.general_stage_fit, 1.0)
    multiplier = 100.0 * parts.total * feasibility * general_fit
    return np.where(catalog.vetting_failed, 0.0, multiplier).astype(np.float32)


def score_batch(
    needs: np.ndarray,
    catalog: CatalogArrays,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    chunk: int = 2048,
    top_k: int = 10,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k offerings for each of m need vectors: ((m, k) int32 indices, (m, k) float32 scores).

    Scores are need · alignment × the per-offering multiplier (batch_multiplier), one dense
    float32 product per chunk of educators into a reused buffer, so peak memory stays near
    chunk × n × 5 bytes whatever m is. The top k are found without sorting whole rows: a probe
    set of offerings (the k best per competency and overall) gives a lower bound on each row's
    k-th best score, and only the few scores at or above it are sorted. Results are exact; ties
    go to the lower index.
    """
    needs = np.ascontiguousarray(needs, dtype=np.float32)
    m = needs.shape[0]
    n = len(catalog.offering_ids)
    k = min(top_k, n)
    indices = np.zeros((m, k), dtype=np.int32)
    values = np.zeros((m, k), dtype=np.float32)
    if m == 0 or k == 0:
        return indices, values
    if chunk < 1:
        raise ValueError("chunk must be at least 1.")
    weighted = np.ascontiguousarray(
        (catalog.alignment * batch_multiplier(catalog, weights)[:, None]).T
    )
    probe = np.ascontiguousarray(weighted[:, _probe_columns(weighted, k)])
    rows_max = min(chunk, m)
    block_buffer = np.empty((rows_max, n), dtype=np.float32)
    mask_buffer = np.empty((rows_max, n), dtype=bool)
    for start in range(0, m, chunk):
        rows = needs[start : start + chunk]
        block = block_buffer[: len(rows)]
        mask = mask_buffer[: len(rows)]
        np.matmul(rows, weighted, out=block)
        found_i, found_v = _top_k_rows(block, mask, rows @ probe, k)
        indices[start : start + len(rows)] = found_i
        values[start : start + len(rows)] = found_v
    return indices, values


def _probe_columns(weighted: np.ndarray, k: int) -> np.ndarray:
    """Offerings likely to be near the top for some need: the k best per competency and overall."""
    n = weighted.shape[1]
    if n <= k:
        return np.arange(n)
    picks = [np.argpartition(-weighted, k - 1, axis=1)[:, :k].ravel()]
    picks.append(np.argpartition(-weighted.sum(axis=0), k - 1)[:k])
    return np.unique(np.concatenate(picks))


def _top_k_rows(block: np.ndarray, mask: np.ndarray, probe_scores: np.ndarray, k: int):
    rows_n, n = block.shape
    indices = np.empty((rows_n, k), dtype=np.int32)
    values = np.empty((rows_n, k), dtype=np.float32)
    bound = -np.partition(-probe_scores, k - 1, axis=1)[:, k - 1]
    # The probe product may round differently from the block: lower the bound a hair.
    bound = bound - np.abs(bound) * 1e-4
    # A bound of 0 (no need, or only zero scores) would keep every column: sort those fully.
    weak = bound <= 0
    bound[weak] = np.inf
    np.greater_equal(block, bound[:, None], out=mask)
    flat = np.flatnonzero(mask)
    row, col = np.divmod(flat, n)
    scores = block.ravel()[flat]
    order = np.lexsort((col, -scores, row))
    row, col, scores = row[order], col[order], scores[order]
    counts = np.bincount(row, minlength=rows_n)
    short = (counts < k) & ~weak
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ok = ~weak & ~short
    take = starts[ok, None] + np.arange(k)[None, :]
    indices[ok] = col[take]
    values[ok] = scores[take]
    for r in np.flatnonzero(weak | short):
        order = np.lexsort((np.arange(n), -block[r]))[:k]
        indices[r] = order
        values[r] = block[r, order]
    return indices, values

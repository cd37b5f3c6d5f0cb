"""The per-offering factors of the score: effectiveness, fit, feasibility, credit, similarity.

Each function works on whole catalog columns at once (numpy), so one educator over 10,000
offerings costs a few dozen vector operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .shrinkage import catalog_mean, shrunk_mean, shrunk_rate
from .types import DESIGN_FEATURES, STAGES, TIERS, CatalogArrays, EducatorInput
from .weights import Weights

COACHING = DESIGN_FEATURES.index("coaching")
NO_TIER = TIERS.index("none")
DEFAULT_STARS = 4.0  # prior when the catalog has no ratings at all
DEFAULT_USED_RATE = 0.5


@dataclass(frozen=True)
class Effectiveness:
    """Effectiveness (n,) in 0..1 and the parts it blends, kept for the explanations."""

    total: np.ndarray
    evidence: np.ndarray  # E: evidence-adjusted expected effect, 0..1
    expected_effect: np.ndarray  # the effect size (SD) behind E
    design: np.ndarray  # D: design features and dose, 0..1
    dose: np.ndarray  # 0..1
    quality: np.ndarray  # vetting score (unvetted_quality when not vetted)
    peer: np.ndarray  # R
    stars: np.ndarray  # shrunk mean stars, 1..5
    used: np.ndarray  # shrunk "used it in class" rate
    growth: np.ndarray  # G, shrunk toward E
    stars_prior: float
    used_prior: float


def tier_credibility(weights: Weights) -> np.ndarray:
    return np.array(
        [
            weights.tier1_credibility,
            weights.tier2_credibility,
            weights.tier3_credibility,
            weights.tier4_credibility,
            0.0,
        ]
    )


def dose_score(hours: np.ndarray, span_weeks: np.ndarray, weights: Weights) -> np.ndarray:
    """0 below dose_zero_hours, dose_at_threshold at the threshold, 1 at dose_full_hours."""
    curve = np.interp(
        hours,
        [weights.dose_zero_hours, weights.dose_threshold_hours, weights.dose_full_hours],
        [0.0, weights.dose_at_threshold, 1.0],
    )
    packed = (span_weeks > 0) & (span_weeks < 2)
    return np.where(packed, curve * weights.short_span_factor, curve)


def effectiveness(catalog: CatalogArrays, weights: Weights) -> Effectiveness:
    """Cached per catalog and weights (see CatalogArrays.derived)."""
    key = ("effectiveness", weights)
    cached = catalog.derived.get(key)
    if cached is None:
        cached = catalog.derived[key] = _effectiveness(catalog, weights)
    return cached


def similarity(catalog: CatalogArrays, weights: Weights) -> Similarity:
    key = ("similarity", weights.format_similarity)
    cached = catalog.derived.get(key)
    if cached is None:
        cached = catalog.derived[key] = Similarity(catalog, weights)
    return cached


def _effectiveness(catalog: CatalogArrays, weights: Weights) -> Effectiveness:
    feature_weights = np.ones(len(DESIGN_FEATURES))
    feature_weights[COACHING] = weights.coaching_feature_weight
    features = catalog.design_features.astype(np.float64) @ feature_weights
    features /= max(feature_weights.sum(), 1e-9)
    dose = dose_score(catalog.hours.astype(np.float64), catalog.span_weeks, weights)
    design = (1 - weights.dose_share) * features + weights.dose_share * dose

    credibility = tier_credibility(weights)[catalog.tier.astype(np.intp)]
    design_prior = 0.02 + 0.10 * design  # deliberately modest (Garet et al. nulls)
    reported = np.clip(catalog.effect_size.astype(np.float64), -0.2, 0.4)
    has_effect = ~np.isnan(reported)
    rigorous = catalog.tier.astype(np.intp) <= 2
    assumed = np.where(rigorous, weights.tier_default_effect, design_prior)
    effect = np.where(has_effect, np.nan_to_num(reported) * weights.effect_discount, assumed)
    expected = credibility * effect + (1 - credibility) * design_prior
    evidence = np.clip(expected / weights.large_effect, 0.0, 1.0)

    quality = np.where(
        np.isnan(catalog.vetting_score), weights.unvetted_quality, catalog.vetting_score
    )

    stars_prior = catalog_mean(catalog.rating_sum, catalog.rating_count, DEFAULT_STARS)
    stars = shrunk_mean(
        catalog.rating_sum, catalog.rating_count, stars_prior, weights.rating_prior_strength
    )
    used_prior = catalog_mean(catalog.used_yes, catalog.used_count, DEFAULT_USED_RATE)
    used = shrunk_rate(
        catalog.used_yes, catalog.used_count, used_prior, weights.used_prior_strength
    )
    peer = weights.stars_share * (stars - 1) / 4 + (1 - weights.stars_share) * used

    has_growth = ~np.isnan(catalog.growth_effect) & (catalog.growth_n > 0)
    growth_raw = np.clip(np.nan_to_num(catalog.growth_effect) / weights.growth_full_effect, 0, 1)
    growth_n = np.where(has_growth, catalog.growth_n, 0).astype(np.float64)
    strength = weights.growth_prior_strength
    denominator = np.where(growth_n + strength > 0, growth_n + strength, 1.0)
    growth = np.where(
        growth_n + strength > 0,
        (growth_n * growth_raw + strength * evidence) / denominator,
        evidence,
    )

    blend = (
        weights.evidence_weight * evidence
        + weights.design_weight * design
        + weights.vetting_weight * quality
        + weights.peer_weight * peer
        + weights.growth_weight * growth
    )
    total_weight = (
        weights.evidence_weight
        + weights.design_weight
        + weights.vetting_weight
        + weights.peer_weight
        + weights.growth_weight
    )
    # A small floor keeps "relevant beats irrelevant" strict even for the weakest offering.
    total = np.maximum(blend / total_weight, 0.01)
    return Effectiveness(
        total=total,
        evidence=evidence,
        expected_effect=expected,
        design=design,
        dose=dose,
        quality=quality,
        peer=peer,
        stars=stars,
        used=used,
        growth=growth,
        stars_prior=stars_prior,
        used_prior=used_prior,
    )


def _band_fit(offering_bits: np.ndarray, educator_bits: int, general: float):
    """(fit, eligible): 1 on overlap, `general` for an any-value offering, ineligible otherwise."""
    if not educator_bits:
        return np.ones(offering_bits.shape), np.ones(offering_bits.shape, dtype=bool)
    overlap = (offering_bits & educator_bits) != 0
    any_value = offering_bits == 0
    fit = np.where(overlap, 1.0, np.where(any_value, general, 0.0))
    return fit, overlap | any_value


def fit(educator: EducatorInput, catalog: CatalogArrays, weights: Weights):
    """(fit (n,) in 0..1, eligible (n,) bool) from grade, subject, role, stage, students, format."""
    grade, grade_ok = _band_fit(
        catalog.grade_band_bits, educator.grade_band_bits, weights.general_grade_fit
    )
    subject, subject_ok = _band_fit(
        catalog.subject_bits, educator.subject_bits, weights.general_subject_fit
    )
    _, role_ok = _band_fit(catalog.position_bits, educator.position_bits, 1.0)

    stage_bit = 1 << STAGES.index(educator.stage) if educator.stage in STAGES else 0
    stage_bits = catalog.stage_bits.astype(np.int32)
    stage = np.where(
        stage_bits == 0,
        weights.general_stage_fit,
        np.where((stage_bits & stage_bit) != 0, 1.0, weights.other_stage_fit),
    )
    students = np.where(
        (catalog.student_bits == 0) | ((catalog.student_bits & educator.student_bits) != 0),
        1.0,
        weights.other_students_fit,
    )
    result = grade * subject * stage * students
    if educator.preferred_formats:
        table = np.zeros(max(len(catalog.formats), 1) + 1, dtype=bool)
        table[[f for f in educator.preferred_formats if 0 <= f < len(table)]] = True
        preferred = table[catalog.format_index]
        result = np.where(preferred, result, result * weights.other_format_fit)
    if educator.stage == "novice":
        coached = catalog.design_features[:, COACHING]
        if "coaching" in catalog.formats:
            coached = coached | (catalog.format_index == catalog.formats.index("coaching"))
        result = np.where(coached, result, result * (1 - weights.novice_coaching_emphasis))
    # Leadership paths (lead a PLC, mentor, assess) are only for the stages they name.
    stage_ok = ~(
        np.asarray(catalog.leadership, dtype=bool)
        & (stage_bits != 0)
        & ((stage_bits & stage_bit) == 0)
    )
    return result, grade_ok & subject_ok & role_ok & stage_ok


def available_hours(educator: EducatorInput, weights: Weights) -> float:
    hours = educator.available_hours
    return max(hours, 0.5) if hours is not None else weights.default_available_hours


def budget(educator: EducatorInput, weights: Weights) -> float:
    return max(educator.budget, 1.0) if educator.budget is not None else weights.default_budget


def feasibility(hours, cost, available: float, money: float, weights: Weights) -> np.ndarray:
    """1 / (1 + a·(hours beyond available)/available + b·cost/budget).

    Time within what the educator has costs nothing (long, sustained PD is what works); time
    beyond it and money lower the score smoothly rather than hiding the offering.
    """
    excess = np.maximum(hours - available, 0.0)
    return 1.0 / (
        1.0 + weights.hours_penalty * excess / available + weights.cost_penalty * cost / money
    )


def credit_bonus(educator: EducatorInput, catalog: CatalogArrays, weights: Weights) -> np.ndarray:
    if educator.credit_needed <= 0:
        return np.zeros(len(catalog.offering_ids))
    share = np.minimum(catalog.credit_value.astype(np.float64) / educator.credit_needed, 1.0)
    return weights.credit_bonus_max * share


class Similarity:
    """Cosine similarity over [alignment, format_similarity × format one-hot], without building
    the (n, c + formats) matrix: a_i·a_j plus f² when the formats match, over the two norms."""

    def __init__(self, catalog: CatalogArrays, weights: Weights):
        self.alignment = catalog.alignment
        self.format_index = catalog.format_index
        self.format_weight = float(weights.format_similarity) ** 2
        squares = np.einsum("ij,ij->i", self.alignment, self.alignment) + self.format_weight
        self.norms = np.sqrt(squares)
        self.norms[self.norms == 0] = 1.0

    def to(self, index: int) -> np.ndarray:
        """(n,) similarity of every offering to offering `index`, in 0..1."""
        dot = self.alignment @ self.alignment[index]
        dot = dot + np.where(self.format_index == self.format_index[index], self.format_weight, 0.0)
        return np.clip(dot / (self.norms * self.norms[index]), 0.0, 1.0)

    def max_to(self, indices) -> np.ndarray:
        """(n,) the largest similarity of each offering to any of `indices` (0 when empty)."""
        result = np.zeros(len(self.norms))
        for index in sorted(i for i in indices if 0 <= i < len(self.norms)):
            np.maximum(result, self.to(index), out=result)
        return result

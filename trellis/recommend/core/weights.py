"""Every tunable number of the recommendation model, with its bounds and a one-line help text.

Districts tune these in the admin UI (within WEIGHT_BOUNDS); docs/recommendations.md explains
each one with the research behind its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Weights:
    # Need: how the estimated level of each competency is blended.
    observation_weight: float = 1.0
    self_weight: float = 0.5
    anchor_weight: float = 1.0
    gap_floor: float = 0.05
    # Need: priority bonuses on top of 1 for each competency.
    goal_bonus: float = 0.5
    school_bonus: float = 0.3
    district_bonus: float = 0.3
    stage_bonus: float = 0.3
    # Fit: multipliers (1 = no penalty).
    general_grade_fit: float = 0.85
    general_subject_fit: float = 0.85
    general_stage_fit: float = 0.9
    other_stage_fit: float = 0.5
    other_students_fit: float = 0.8
    other_format_fit: float = 0.85
    novice_coaching_emphasis: float = 0.25
    # Effectiveness: blend of five signals (normalised by their sum).
    evidence_weight: float = 0.35
    design_weight: float = 0.25
    vetting_weight: float = 0.15
    peer_weight: float = 0.15
    growth_weight: float = 0.10
    # Effectiveness: evidence.
    tier1_credibility: float = 1.0
    tier2_credibility: float = 0.75
    tier3_credibility: float = 0.45
    tier4_credibility: float = 0.2
    effect_discount: float = 0.5
    tier_default_effect: float = 0.10
    large_effect: float = 0.20
    # Effectiveness: design features and dose.
    coaching_feature_weight: float = 2.0
    dose_share: float = 0.35
    dose_zero_hours: float = 5.0
    dose_threshold_hours: float = 14.0
    dose_at_threshold: float = 0.3
    dose_full_hours: float = 49.0
    short_span_factor: float = 0.6
    # Effectiveness: vetting, peers, measured growth.
    unvetted_quality: float = 0.5
    rating_prior_strength: float = 10.0
    used_prior_strength: float = 10.0
    stars_share: float = 0.4
    growth_full_effect: float = 0.5
    growth_prior_strength: float = 20.0
    # Feasibility and credit.
    hours_penalty: float = 0.5
    cost_penalty: float = 0.5
    default_available_hours: float = 30.0
    default_budget: float = 500.0
    credit_bonus_max: float = 5.0
    # Shortlist.
    mmr_lambda: float = 0.75
    coverage_weight: float = 0.3
    format_similarity: float = 0.5
    choice_floor: float = 0.3
    short_hours: float = 3.0
    # Feedback.
    dismissed_penalty: float = 0.5
    saved_boost: float = 0.2
    coach_boost: float = 0.5


DEFAULT_WEIGHTS = Weights()

WEIGHT_BOUNDS: dict[str, tuple[float, float]] = {
    "observation_weight": (0.0, 5.0),
    "self_weight": (0.0, 5.0),
    "anchor_weight": (0.0, 5.0),
    "gap_floor": (0.0, 0.5),
    "goal_bonus": (0.0, 3.0),
    "school_bonus": (0.0, 3.0),
    "district_bonus": (0.0, 3.0),
    "stage_bonus": (0.0, 3.0),
    "general_grade_fit": (0.1, 1.0),
    "general_subject_fit": (0.1, 1.0),
    "general_stage_fit": (0.1, 1.0),
    "other_stage_fit": (0.0, 1.0),
    "other_students_fit": (0.1, 1.0),
    "other_format_fit": (0.1, 1.0),
    "novice_coaching_emphasis": (0.0, 0.9),
    "evidence_weight": (0.0, 1.0),
    "design_weight": (0.0, 1.0),
    "vetting_weight": (0.0, 1.0),
    "peer_weight": (0.0, 1.0),
    "growth_weight": (0.0, 1.0),
    "tier1_credibility": (0.0, 1.0),
    "tier2_credibility": (0.0, 1.0),
    "tier3_credibility": (0.0, 1.0),
    "tier4_credibility": (0.0, 1.0),
    "effect_discount": (0.1, 1.0),
    "tier_default_effect": (0.0, 0.4),
    "large_effect": (0.05, 1.0),
    "coaching_feature_weight": (0.0, 5.0),
    "dose_share": (0.0, 1.0),
    "dose_zero_hours": (0.0, 20.0),
    "dose_threshold_hours": (1.0, 40.0),
    "dose_at_threshold": (0.0, 1.0),
    "dose_full_hours": (10.0, 200.0),
    "short_span_factor": (0.1, 1.0),
    "unvetted_quality": (0.0, 1.0),
    "rating_prior_strength": (0.0, 100.0),
    "used_prior_strength": (0.0, 100.0),
    "stars_share": (0.0, 1.0),
    "growth_full_effect": (0.1, 2.0),
    "growth_prior_strength": (0.0, 200.0),
    "hours_penalty": (0.0, 5.0),
    "cost_penalty": (0.0, 5.0),
    "default_available_hours": (1.0, 200.0),
    "default_budget": (1.0, 10000.0),
    "credit_bonus_max": (0.0, 20.0),
    "mmr_lambda": (0.0, 1.0),
    "coverage_weight": (0.0, 2.0),
    "format_similarity": (0.0, 2.0),
    "choice_floor": (0.0, 1.0),
    "short_hours": (0.5, 10.0),
    "dismissed_penalty": (0.0, 1.0),
    "saved_boost": (0.0, 2.0),
    "coach_boost": (0.0, 3.0),
}

WEIGHT_HELP: dict[str, str] = {
    "observation_weight": "How much each observation counts when estimating a competency level.",
    "self_weight": "How much the educator's own self-assessment counts in that estimate.",
    "anchor_weight": "How much the school or district average counts, steadying thin evidence.",
    "gap_floor": "Gaps smaller than this are treated as no gap (switches to expertise mode).",
    "goal_bonus": "Extra priority for competencies in the educator's own goals.",
    "school_bonus": "Extra priority for competencies in the school's improvement plan.",
    "district_bonus": "Extra priority for competencies the district marked as priorities.",
    "stage_bonus": "Extra priority for competencies emphasised for the educator's career stage.",
    "general_grade_fit": "Fit of an all-grades offering for an educator with a grade band.",
    "general_subject_fit": "Fit of a general offering for an educator with a subject.",
    "general_stage_fit": "Fit of an offering for every career stage (targeted ones score 1).",
    "other_stage_fit": "Fit of an offering aimed at a different career stage.",
    "other_students_fit": "Fit of an offering aimed at student groups the educator does not teach.",
    "other_format_fit": "Fit of a format the educator did not mark as preferred.",
    "novice_coaching_emphasis": "Penalty for offerings without coaching, for novice educators.",
    "evidence_weight": "Share of effectiveness from research evidence (ESSA tier, effect size).",
    "design_weight": "Share of effectiveness from research-linked design features and dose.",
    "vetting_weight": "Share of effectiveness from the district's vetting score.",
    "peer_weight": "Share of effectiveness from colleagues' ratings and classroom use.",
    "growth_weight": "Share of effectiveness from measured growth of past participants.",
    "tier1_credibility": "How far a Tier 1 (randomised trial) effect size is trusted.",
    "tier2_credibility": "How far a Tier 2 (quasi-experiment) effect size is trusted.",
    "tier3_credibility": "How far a Tier 3 (correlational) effect size is trusted.",
    "tier4_credibility": "How far a Tier 4 (rationale only) effect size is trusted.",
    "effect_discount": "Multiplier on reported effect sizes, since effects shrink at scale.",
    "tier_default_effect": "Effect size assumed for a Tier 1-3 offering that reports none.",
    "large_effect": "Effect size (SD) that counts as full marks for evidence.",
    "coaching_feature_weight": "How many ordinary design features coaching counts as.",
    "dose_share": "Share of the design score that comes from total hours and span.",
    "dose_zero_hours": "Hours at or below which the dose score is zero.",
    "dose_threshold_hours": "Hours where research starts to find effects.",
    "dose_at_threshold": "Dose score at the threshold hours.",
    "dose_full_hours": "Hours at which the dose score is full.",
    "short_span_factor": "Dose multiplier for offerings packed into less than two weeks.",
    "unvetted_quality": "Vetting score assumed for offerings not yet vetted.",
    "rating_prior_strength": "How many catalog-average ratings each offering starts with.",
    "used_prior_strength": "How many catalog-average 'used it in class' answers each starts with.",
    "stars_share": "Share of the peer score from stars; the rest is 'used it in class'.",
    "growth_full_effect": "Measured growth (levels) that counts as full marks.",
    "growth_prior_strength": "Participants needed before measured growth outweighs the evidence.",
    "hours_penalty": "How strongly time beyond the educator's available hours lowers a score.",
    "cost_penalty": "How strongly cost against the educator's budget lowers a score.",
    "default_available_hours": "Hours assumed available when the educator has not said.",
    "default_budget": "Budget (dollars) assumed when the educator has none recorded.",
    "credit_bonus_max": "Most points added for renewal credit the educator still needs.",
    "mmr_lambda": "Balance between score (1) and variety (0) when filling the shortlist.",
    "coverage_weight": "Bonus for picks that address a need no earlier pick covers.",
    "format_similarity": "How much sharing a format makes two offerings count as similar.",
    "choice_floor": "Choice slots only consider offerings scoring at least this share of the top.",
    "short_hours": "Offerings of at most this many hours count as a short option.",
    "dismissed_penalty": "How much offerings like a dismissed one are pushed down.",
    "saved_boost": "How much offerings like a saved one are pushed up.",
    "coach_boost": "How much a coach's suggestion (and ones like it) is pushed up.",
}


def weight_names() -> tuple[str, ...]:
    return tuple(item.name for item in fields(Weights))


def weights_from(overrides: Mapping[str, float], base: Weights = DEFAULT_WEIGHTS) -> Weights:
    """Defaults with `overrides` applied; ValueError naming the weight for a bad name or value."""
    known = set(weight_names())
    changes: dict[str, float] = {}
    for name, raw in overrides.items():
        if name not in known:
            raise ValueError(f"Unknown weight {name!r}; known weights: {', '.join(sorted(known))}.")
        low, high = WEIGHT_BOUNDS[name]
        try:
            value = float(raw)
        except (TypeError, ValueError):
            message = f"Weight {name!r} must be a number between {low:g} and {high:g}."
            raise ValueError(message) from None
        if not (low <= value <= high):  # also rejects nan
            raise ValueError(f"Weight {name!r} must be between {low:g} and {high:g}; got {raw!r}.")
        changes[name] = value
    result = replace(base, **changes)
    if result.dose_threshold_hours <= result.dose_zero_hours:
        raise ValueError("Weight 'dose_threshold_hours' must be above 'dose_zero_hours'.")
    if result.dose_full_hours <= result.dose_threshold_hours:
        raise ValueError("Weight 'dose_full_hours' must be above 'dose_threshold_hours'.")
    blend = (
        result.evidence_weight
        + result.design_weight
        + result.vetting_weight
        + result.peer_weight
        + result.growth_weight
    )
    if blend <= 0:
        raise ValueError("At least one effectiveness weight must be above 0.")
    return result

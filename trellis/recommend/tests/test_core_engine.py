"""The engine on small hand-built catalogs, with values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from trellis.recommend.core import engine
from trellis.recommend.core.shrinkage import catalog_mean, shrunk_mean, shrunk_rate
from trellis.recommend.core.synthetic import FORMATS, build_catalog, build_educator
from trellis.recommend.core.types import DESIGN_FEATURES, STAGES, TIERS
from trellis.recommend.core.weights import DEFAULT_WEIGHTS, weights_from

ONE_HOT = np.eye(3, dtype=np.float32)


def measured_educator(**fields):
    """Competency 0: observed 2.0 ×2, self 3 → level 2.2; 1: at target; 2: self 2.5, anchor 3."""
    values = {
        "observed_mean": [2.0, 3.0, np.nan],
        "observed_count": [2, 1, 0],
        "self_rating": [3.0, np.nan, 2.5],
        "anchor": [np.nan, 3.0, 3.0],
        "in_goal": [False, False, True],
    }
    values.update(fields)
    return build_educator(3, **values)


def neutral_catalog(**columns):
    """A: competency 0; B: competency 2; C: competency 1; D: aligned to nothing."""
    alignment = np.vstack([ONE_HOT[0], ONE_HOT[2], ONE_HOT[1], np.zeros(3)])
    return build_catalog(alignment, **columns)


# Need ------------------------------------------------------------------------------------


def test_estimated_level_blends_observations_self_and_anchor():
    level = engine.estimated_level(measured_educator(), DEFAULT_WEIGHTS)
    # (1·2·2.0 + 0.5·3) / 2.5 = 2.2; (1·3 + 1·3) / 2 = 3; (0.5·2.5 + 1·3) / 1.5 = 2.8333
    assert level == pytest.approx([2.2, 3.0, 2.833333], abs=1e-6)


def test_need_vector_weights_gaps_by_priority():
    need, mode = engine.need_vector(measured_educator(), DEFAULT_WEIGHTS)
    # gaps (3 − level)/3 = [0.26667, 0, 0.05556]; goal ×1.5 on competency 2 → 0.08333
    assert mode == "need"
    assert need == pytest.approx([0.2666667 / 0.35, 0.0, 0.0833333 / 0.35], abs=1e-6)
    assert need.sum() == pytest.approx(1.0)


def test_need_vector_cold_start_leans_on_priorities():
    educator = build_educator(
        3, district_priority=[True, False, False], school_priority=[True, True, False]
    )
    need, mode = engine.need_vector(educator, DEFAULT_WEIGHTS)
    assert mode == "cold_start"
    assert need == pytest.approx(np.array([1.6, 1.3, 1.0]) / 3.9)


def test_need_vector_expertise_targets_the_top_level_on_goals():
    educator = build_educator(
        3,
        observed_mean=[3.5, 3.0, 3.2],
        observed_count=[3, 3, 3],
        in_goal=[False, True, True],
    )
    need, mode = engine.need_vector(educator, DEFAULT_WEIGHTS)
    # No gap against 3 anywhere; against 4 the goals have gaps 1/3 and 0.8/3, ×1.5 each.
    assert mode == "expertise"
    assert need == pytest.approx([0.0, 1.0 / 1.8, 0.8 / 1.8], abs=1e-6)


def test_need_vector_expertise_at_the_top_everywhere_spreads_over_goals():
    educator = build_educator(
        3, observed_mean=[4, 4, 4], observed_count=[1, 1, 1], in_goal=[True, False, False]
    )
    need, mode = engine.need_vector(educator, DEFAULT_WEIGHTS)
    assert mode == "expertise"
    assert need == pytest.approx([1.0, 0.0, 0.0])


def test_small_gaps_below_the_floor_count_as_none():
    educator = build_educator(3, observed_mean=[2.9, 3.0, 3.0], observed_count=[5, 5, 5])
    need, mode = engine.need_vector(educator, weights_from({"gap_floor": 0.05}))
    assert mode == "expertise"  # gap 0.1/3 = 0.033 < 0.05
    need, mode = engine.need_vector(educator, weights_from({"gap_floor": 0.0}))
    assert mode == "need"
    assert need == pytest.approx([1.0, 0.0, 0.0])


# Score -----------------------------------------------------------------------------------


def test_score_of_neutral_offerings_by_hand():
    scores = engine.score(measured_educator(), neutral_catalog(), DEFAULT_WEIGHTS)
    # Effectiveness of a neutral offering: E = 0.02/0.2 = 0.1, D = 0, Q = 0.5 (unvetted),
    # R = 0.4·(4−1)/4 + 0.6·0.5 = 0.6, G = E = 0.1 → 0.35·0.1 + 0.15·0.5 + 0.15·0.6 + 0.1·0.1
    assert scores.effectiveness == pytest.approx([0.21] * 4)
    assert scores.need_match == pytest.approx([0.761905, 0.238095, 0.0, 0.0], abs=1e-6)
    assert scores.fit == pytest.approx([0.9] * 4)  # every-stage offering
    assert scores.feasibility == pytest.approx([1.0] * 4)
    assert scores.total == pytest.approx([14.4, 4.5, 0.0, 0.0], abs=1e-4)
    assert scores.eligible.tolist() == [True] * 4


def test_effectiveness_from_evidence_design_vetting_and_peers():
    features = np.zeros((4, len(DESIGN_FEATURES)), dtype=bool)
    features[1, DESIGN_FEATURES.index("coaching")] = True
    catalog = neutral_catalog(
        tier=[TIERS.index("2"), TIERS.index("none"), TIERS.index("1"), TIERS.index("none")],
        effect_size=[0.2, np.nan, np.nan, np.nan],
        design_features=features,
        hours=[2, 2, 2, 49],
        vetting_score=[np.nan, np.nan, 0.9, np.nan],
    )
    parts = engine.score(measured_educator(), catalog).parts
    # A: Tier 2, 0.2 SD × 0.5 = 0.1; κ 0.75 → 0.75·0.1 + 0.25·0.02 = 0.08 → E 0.4
    # B: no evidence → the design prior 0.02 + 0.1·D; C: Tier 1 with no effect size → assumed
    # 0.10 → E 0.5; D (49 h): dose 1 → D = 0.35
    coached = 0.65 * 2 / 9
    expected = [0.4, (0.02 + 0.1 * coached) / 0.2, 0.5, (0.02 + 0.035) / 0.2]
    assert parts.evidence == pytest.approx(expected, abs=1e-6)
    # B: coaching counts 2 of 9 feature points: 0.65 · 2/9
    assert parts.design == pytest.approx([0.0, 0.65 * 2 / 9, 0.0, 0.35], abs=1e-6)
    assert parts.quality == pytest.approx([0.5, 0.5, 0.9, 0.5])


def test_dose_curve_anchors():
    catalog = build_catalog(
        np.tile(ONE_HOT[0], (5, 1)), hours=[3, 5, 14, 31.5, 60], span_weeks=[0, 0, 1, 0, 10]
    )
    parts = engine.score(measured_educator(), catalog).parts
    # 0 up to 5 h, 0.3 at 14 h (×0.6 when packed into under 2 weeks), linear to 1 at 49 h
    assert parts.dose == pytest.approx([0.0, 0.0, 0.18, 0.65, 1.0], abs=1e-6)


def test_fit_filters_mismatches_and_discounts_general_offerings():
    educator = measured_educator(
        grade_band_bits=0b01, subject_bits=0b100, position_bits=0b1, stage="novice"
    )
    stage_novice = 1 << STAGES.index("novice")
    stage_veteran = 1 << STAGES.index("veteran")
    catalog = build_catalog(
        np.tile(ONE_HOT[0], (6, 1)),
        grade_band_bits=[0b01, 0, 0b10, 0b01, 0b01, 0b01],
        subject_bits=[0b100, 0b100, 0, 0b1, 0b100, 0b100],
        position_bits=[0, 0, 0, 0, 0b10, 0],
        stage_bits=[
            stage_novice,
            stage_novice,
            stage_novice,
            stage_novice,
            stage_novice,
            stage_veteran,
        ],
        format_index=[FORMATS.index("coaching")] * 5 + [FORMATS.index("self_paced")],
    )
    scores = engine.score(educator, catalog)
    assert scores.eligible.tolist() == [True, True, False, False, False, True]
    # 5: veteran-stage (0.5) and, for a novice, no coaching (× 0.75)
    assert scores.fit[[0, 1, 5]] == pytest.approx([1.0, 0.85, 0.375])
    assert scores.total[[2, 3, 4]].tolist() == [0.0, 0.0, 0.0]


def test_feasibility_penalises_time_beyond_available_and_cost():
    educator = measured_educator(available_hours=10.0, budget=200.0)
    catalog = neutral_catalog(hours=[5, 20, 10, 2], cost=[0, 0, 100, 0])
    scores = engine.score(educator, catalog)
    # 1 / (1 + 0.5·max(h − 10, 0)/10 + 0.5·cost/200)
    assert scores.feasibility == pytest.approx([1.0, 1 / 1.5, 1 / 1.25, 1.0])


def test_credit_bonus_is_capped():
    educator = measured_educator(credit_needed=10.0)
    catalog = neutral_catalog(credit_value=[5, 20, 0, 2])
    scores = engine.score(educator, catalog)
    assert scores.credit_bonus == pytest.approx([2.5, 5.0, 0.0, 1.0])
    assert scores.total[3] == pytest.approx(1.0)  # aligned to nothing: only the credit bonus


def test_vetting_failed_excluded_and_dismissed_are_ineligible():
    educator = measured_educator(excluded=frozenset({1}), dismissed=frozenset({2}))
    catalog = neutral_catalog(vetting_failed=[False, False, False, True])
    scores = engine.score(educator, catalog)
    assert scores.eligible.tolist() == [True, False, False, False]


def test_feedback_moves_neighbours():
    alignment = np.array([[1, 0, 0], [1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    catalog = build_catalog(alignment)
    base = engine.score(measured_educator(), catalog)
    moved = engine.score(measured_educator(dismissed=frozenset({0}), saved=frozenset({2})), catalog)
    # Same competency and format = similarity 1; another competency in the same format: cosine
    # 0.25/1.25 = 0.2. The dismissed one's twin loses half, the saved one's twin gains 20 %.
    assert moved.feedback[1] == pytest.approx(0.5 * (1 + 0.2 * 0.2))
    assert moved.feedback[3] == pytest.approx((1 - 0.5 * 0.2) * 1.2)
    assert moved.feedback[4] == pytest.approx((1 - 0.5 * 0.2) * (1 + 0.2 * 0.2))
    assert moved.total[3] == pytest.approx(base.total[3] * 0.9 * 1.2)


# Shrinkage -------------------------------------------------------------------------------


def test_shrunk_mean_on_known_inputs():
    assert shrunk_mean(10.0, 2, 4.0, 10) == pytest.approx(50 / 12)
    assert shrunk_mean([0.0, 920.0], [0, 200], 4.2, 10).tolist() == pytest.approx([4.2, 962 / 210])
    assert shrunk_mean(0.0, 0, 3.5, 0) == pytest.approx(3.5)
    assert shrunk_rate(8, 10, 0.5, 10) == pytest.approx(13 / 20)
    assert catalog_mean([10, 30], [2, 8], 4.0) == pytest.approx(4.0)
    assert catalog_mean([0], [0], 3.7) == pytest.approx(3.7)


def test_shrinkage_rejects_bad_priors():
    with pytest.raises(ValueError, match="prior_strength"):
        shrunk_mean(1.0, 1, 4.0, -1)
    with pytest.raises(ValueError, match="prior_rate"):
        shrunk_rate(1, 2, 1.5, 10)


def test_two_five_star_ratings_do_not_beat_two_hundred_averaging_four_point_six():
    catalog = build_catalog(
        np.tile(ONE_HOT[0], (3, 1)),
        rating_sum=[10, 920, 400],
        rating_count=[2, 200, 100],
    )
    parts = engine.score(measured_educator(), catalog).parts
    # catalog mean 1330/302 = 4.404; A: (10 + 44.04)/12 = 4.503; B: (920 + 44.04)/210 = 4.591
    assert parts.stars_prior == pytest.approx(1330 / 302)
    assert parts.stars[0] < parts.stars[1]
    assert parts.stars[0] == pytest.approx((10 + 10 * 1330 / 302) / 12)


def test_derived_values_are_cached_per_weights():
    catalog = neutral_catalog(vetting_score=[0.9, 0.9, 0.9, 0.9])
    default = engine.score(measured_educator(), catalog)
    assert ("effectiveness", DEFAULT_WEIGHTS) in catalog.derived
    vetting_only = weights_from(
        {"evidence_weight": 0, "design_weight": 0, "peer_weight": 0, "growth_weight": 0}
    )
    tuned = engine.score(measured_educator(), catalog, vetting_only)
    assert tuned.effectiveness == pytest.approx([0.9] * 4)
    assert default.effectiveness[0] != pytest.approx(0.9)


def test_unknown_targets_and_levels_count_as_no_gap():
    educator = measured_educator(target=[np.nan, 3.0, 3.0])
    need, mode = engine.need_vector(educator, DEFAULT_WEIGHTS)
    assert mode == "need"
    assert need == pytest.approx([0.0, 0.0, 1.0])

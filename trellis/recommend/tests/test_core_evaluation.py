"""The offline evaluation metrics on known inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trellis.recommend.core import evaluation, synthetic
from trellis.recommend.core.factors import Similarity
from trellis.recommend.core.weights import DEFAULT_WEIGHTS

ALIGNMENT = np.array([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 1]], dtype=np.float32)


def test_gap_coverage_counts_the_top_three_needs():
    need = np.array([0.5, 0.3, 0.2], dtype=np.float32)
    assert evaluation.gap_coverage(need, ALIGNMENT, [0]) == pytest.approx(1 / 3)
    assert evaluation.gap_coverage(need, ALIGNMENT, [2, 3]) == pytest.approx(1.0)
    assert evaluation.gap_coverage(need, ALIGNMENT, []) == 0.0
    assert math.isnan(evaluation.gap_coverage(np.zeros(3), ALIGNMENT, [0]))
    assert evaluation.gap_coverage(np.array([1.0, 0, 0]), ALIGNMENT, [1]) == 0.0


def test_intra_list_diversity_is_mean_pairwise_dissimilarity():
    catalog = synthetic.build_catalog(ALIGNMENT)  # all the same format
    similarity = Similarity(catalog, DEFAULT_WEIGHTS)
    # 0 vs 1: cosine 0.25/1.25 = 0.2 (format only) → 0.8
    assert evaluation.intra_list_diversity(similarity, [0, 1]) == pytest.approx(0.8)
    # 0 vs 2: (0.5 + 0.25)/(1.118·1.225) = 0.5477 → 0.4523; mean with 0.8 and 1−0.5477
    pair = 1 - 0.75 / (np.sqrt(1.25) * np.sqrt(0.75))
    assert evaluation.intra_list_diversity(similarity, [0, 1, 2]) == pytest.approx(
        (0.8 + 2 * pair) / 3, abs=1e-6
    )
    assert math.isnan(evaluation.intra_list_diversity(similarity, [0]))


def test_catalog_coverage_and_calibration():
    assert evaluation.catalog_coverage([[0, 1], [1, 2]], 6) == pytest.approx(0.5)
    assert math.isnan(evaluation.catalog_coverage([[0]], 0))
    need = np.array([0.5, 0.5, 0.0])
    assert evaluation.calibration_kl(need, ALIGNMENT, [0, 1]) == pytest.approx(0.0, abs=1e-12)
    # Only competency 0 in the list: q̃ = 0.99·(1, 0, 0) + 0.01·p = (0.995, 0.005, 0)
    expected = 0.5 * np.log(0.5 / 0.995) + 0.5 * np.log(0.5 / 0.005)
    assert evaluation.calibration_kl(need, ALIGNMENT, [0]) == pytest.approx(expected)
    assert math.isnan(evaluation.calibration_kl(np.zeros(3), ALIGNMENT, [0]))


def test_evaluate_district_reports_overall_by_stage_and_novice_vs_veteran():
    catalog, educators = synthetic.district(5, 40, 120, competencies=8)
    report = evaluation.evaluate_district(catalog, educators)
    overall = report["overall"]
    assert overall["educators"] == 40
    assert 0 < overall["gap_coverage"] <= 1
    assert 0 < overall["diversity"] <= 1
    assert 0 < overall["catalog_coverage"] <= 1
    assert overall["share_with_short"] == 1.0
    assert set(report["novice_vs_veteran"]) == {"novice", "veteran"}
    assert sum(group["educators"] for group in report["by_stage"].values()) == 40
    novices = report["by_stage"].get("novice")
    if novices:
        assert novices["mean_size"] == 3.0
    with pytest.raises(ValueError, match="one shortlist per educator"):
        evaluation.evaluate(catalog, educators, [])

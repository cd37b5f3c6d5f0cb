"""Tunable weights: defaults, bounds, help text and validation of overrides."""

from __future__ import annotations

import math
import re
from dataclasses import fields

import pytest

from trellis.recommend.core.weights import (
    DEFAULT_WEIGHTS,
    WEIGHT_BOUNDS,
    WEIGHT_HELP,
    Weights,
    weights_from,
)


def test_every_weight_has_bounds_help_and_a_default_inside_them():
    names = [item.name for item in fields(Weights)]
    assert sorted(names) == sorted(WEIGHT_BOUNDS) == sorted(WEIGHT_HELP)
    for name in names:
        low, high = WEIGHT_BOUNDS[name]
        assert low <= getattr(DEFAULT_WEIGHTS, name) <= high, name
        assert WEIGHT_HELP[name].endswith("."), name


def test_overrides_apply_and_defaults_stay():
    weights = weights_from({"goal_bonus": 1.0, "mmr_lambda": "0.5"})
    assert weights.goal_bonus == 1.0
    assert weights.mmr_lambda == 0.5
    assert weights.self_weight == DEFAULT_WEIGHTS.self_weight
    assert weights_from({}) == DEFAULT_WEIGHTS


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"goal_bonuss": 1.0}, "Unknown weight 'goal_bonuss'"),
        ({"goal_bonus": 3.5}, "Weight 'goal_bonus' must be between 0 and 3; got 3.5."),
        ({"mmr_lambda": -0.1}, "Weight 'mmr_lambda' must be between 0 and 1; got -0.1."),
        ({"mmr_lambda": math.nan}, "Weight 'mmr_lambda' must be between 0 and 1; got nan."),
        ({"mmr_lambda": "lots"}, "Weight 'mmr_lambda' must be a number between 0 and 1."),
        ({"dose_threshold_hours": 4.0}, "'dose_threshold_hours' must be above 'dose_zero_hours'"),
        ({"dose_full_hours": 12.0}, "'dose_full_hours' must be above 'dose_threshold_hours'"),
        (
            {
                "evidence_weight": 0,
                "design_weight": 0,
                "vetting_weight": 0,
                "peer_weight": 0,
                "growth_weight": 0,
            },
            "At least one effectiveness weight must be above 0.",
        ),
    ],
)
def test_bad_overrides_are_refused_with_the_bounds(overrides, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        weights_from(overrides)

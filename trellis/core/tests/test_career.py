"""Career stages from years of experience (`trellis/growth/career.py`, pure Python).

The shared kernel may not import domain apps, and import-linter checks test modules too, so the
module under test is loaded by name.
"""

from __future__ import annotations

import importlib

import pytest

career = importlib.import_module("trellis.growth.career")
Stage = career.CareerStage


@pytest.mark.parametrize(
    ("years", "stage"),
    [
        (0, Stage.NOVICE),
        (3, Stage.NOVICE),
        (4, Stage.DEVELOPING),
        (7, Stage.DEVELOPING),
        (8, Stage.EXPERIENCED),
        (15, Stage.EXPERIENCED),
        (16, Stage.VETERAN),
        (45, Stage.VETERAN),
    ],
)
def test_career_stage_boundaries(years, stage):
    assert career.career_stage(years) is stage


def test_negative_years_are_refused():
    with pytest.raises(ValueError, match="negative") as caught:
        career.career_stage(-1)

    assert str(caught.value) == "Years of experience cannot be negative."


def test_a_district_may_use_its_own_thresholds():
    thresholds = (2, 5, 10)

    assert [career.career_stage(y, thresholds) for y in (1, 2, 4, 5, 9, 10)] == [
        Stage.NOVICE,
        Stage.DEVELOPING,
        Stage.DEVELOPING,
        Stage.EXPERIENCED,
        Stage.EXPERIENCED,
        Stage.VETERAN,
    ]


def test_each_stage_has_a_label_matching_the_default_thresholds():
    assert [stage.label for stage in Stage] == [
        "Novice (0–3 years)",
        "Developing (4–7 years)",
        "Experienced (8–15 years)",
        "Veteran (16+ years)",
    ]
    assert career.DEFAULT_THRESHOLDS == (4, 8, 16)
    assert [str(stage) for stage in Stage] == ["novice", "developing", "experienced", "veteran"]

"""The duplicate guard's notion of "the same topic" (pure Python)."""

from __future__ import annotations

import pytest

from trellis.voice.similarity import most_similar, normalise, similarity, topic_words


def test_normalise_drops_case_and_punctuation() -> None:
    assert normalise("  Co-Teaching: WITH SpEd!  ") == "co teaching with sped"


def test_topic_words_drop_stop_words_and_stem_plurals() -> None:
    assert topic_words("How to use rubrics for the essays") == frozenset({"rubric", "essay"})


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Co-teaching with SpEd", "co teaching with sped", 1.0),
        ("Rubrics for essays", "Essay rubrics", 1.0),
        ("Structured student talk in math", "Student talk", 1.0),
        ("Structured student talk in math", "Math fact fluency", 1 / 3),
        ("Restorative circles", "Project-based learning", 0.0),
        ("the of and", "Project-based learning", 0.0),
    ],
)
def test_similarity(a: str, b: str, expected: float) -> None:
    assert similarity(a, b) == pytest.approx(expected)


def test_most_similar_picks_the_closest_above_the_threshold() -> None:
    candidates = [("Math fact fluency", 1), ("Student talk in math", 2), ("Restorative circles", 3)]
    assert most_similar("Structured student talk in math", candidates) == 2
    assert most_similar("Phonics for older readers", candidates) is None

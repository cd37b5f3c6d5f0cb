"""When two topic-request titles ask for the same thing. Pure Python, no Django."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

# Words that carry no topic: "how to", "help with", "more on" …
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "to",
        "with",
        "about",
        "how",
        "what",
        "more",
        "help",
        "need",
        "needs",
        "our",
        "my",
        "we",
        "i",
        "better",
        "using",
        "use",
        "into",
        "from",
        "at",
        "by",
        "is",
        "are",
        "be",
    ]
)
SIMILAR_AT = 0.6  # share of the smaller title's topic words found in the other title


def normalise(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def topic_words(title: str) -> frozenset[str]:
    words = set()
    for word in normalise(title).split():
        if word in STOP_WORDS:
            continue
        # a crude stem, so "rubrics" meets "rubric" and "questioning" meets "question"
        for suffix in ("ing", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


def similarity(a: str, b: str) -> float:
    """1.0 for the same title; otherwise the overlap of topic words over the shorter title's."""
    if normalise(a) == normalise(b):
        return 1.0
    words_a, words_b = topic_words(a), topic_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def most_similar(title: str, candidates: Iterable[tuple[str, T]]) -> T | None:
    """The candidate (title, value) closest to `title` at or above SIMILAR_AT, or None."""
    best: tuple[float, T] | None = None
    for other, value in candidates:
        score = similarity(title, other)
        if score >= SIMILAR_AT and (best is None or score > best[0]):
            best = (score, value)
    return best[1] if best else None

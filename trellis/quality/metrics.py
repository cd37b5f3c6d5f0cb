"""The scorecard's arithmetic: shrunk means, rates, rubric totals and difference-in-differences.

Pure: no Django import, so it is easy to test on known inputs (see docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

# Bayesian average: (prior_strength·prior_mean + Σx) / (prior_strength + n). One definition,
# shared with the recommendation engine's vectorised version.
# Re-exported: the scorecard queries call metrics.shrunk_mean.
from trellis.core.stats import shrunk_mean as shrunk_mean

# How many "virtual" ratings at the catalog mean every offering starts with.
PRIOR_STRENGTH = 10
# Below these counts the growth measurement says "not enough data yet".
MIN_PARTICIPANTS = 5
MIN_COMPARISONS = 5
# Ratings up to this long before / after the completion date count as "before" / "after".
GROWTH_WINDOW = timedelta(days=365)


def raw_mean(total: float, count: int) -> float | None:
    return total / count if count else None


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class RubricResult:
    score: float  # points earned / points possible, 0..1
    essentials_met: bool
    unmet_essentials: tuple[str, ...]


def rubric_result(rows: Iterable[tuple[str, int, int, bool]]) -> RubricResult:
    """Rows of (text, points, max_points, essential). An essential row is met when it earns at
    least 2 of 3 points (scaled for shorter rows: at least two thirds of its maximum)."""
    earned = possible = 0
    unmet: list[str] = []
    for text, points, max_points, essential in rows:
        if not 0 <= points <= max_points:
            raise ValueError(f"“{text}”: points must be from 0 to {max_points}.")
        earned += points
        possible += max_points
        if essential and not essential_met(points, max_points):
            unmet.append(text)
    score = earned / possible if possible else 0.0
    return RubricResult(score=score, essentials_met=not unmet, unmet_essentials=tuple(unmet))


def essential_met(points: int, max_points: int) -> bool:
    return 3 * points >= 2 * max_points


# --- growth -----------------------------------------------------------------------------------

Rating = tuple[date, float]  # when, value (one competency, one source)


def change_around(
    ratings: Sequence[Rating], anchor: date, window: timedelta = GROWTH_WINDOW
) -> float | None:
    """Mean of the ratings in (anchor, anchor+window] minus the mean of those in
    [anchor-window, anchor); None when either side is empty. Ratings on the anchor day are
    ignored: it is unclear whether they came before or after the learning."""
    before = [v for d, v in ratings if anchor - window <= d < anchor]
    after = [v for d, v in ratings if anchor < d <= anchor + window]
    if not before or not after:
        return None
    return fmean(after) - fmean(before)


@dataclass(frozen=True)
class GrowthEstimate:
    effect: float | None  # participants' mean change minus comparisons' mean change
    participant_change: float | None
    comparison_change: float | None
    participants: int  # with before-and-after ratings
    comparisons: int
    enough: bool


def difference_in_differences(
    participant_changes: Sequence[float],
    comparison_changes: Sequence[float],
    *,
    min_participants: int = MIN_PARTICIPANTS,
    min_comparisons: int = MIN_COMPARISONS,
) -> GrowthEstimate:
    n_p, n_c = len(participant_changes), len(comparison_changes)
    p = fmean(participant_changes) if n_p else None
    c = fmean(comparison_changes) if n_c else None
    enough = n_p >= min_participants and n_c >= min_comparisons
    effect = p - c if enough and p is not None and c is not None else None
    return GrowthEstimate(
        effect=effect,
        participant_change=p,
        comparison_change=c,
        participants=n_p,
        comparisons=n_c,
        enough=enough,
    )


def median_date(dates: Sequence[date]) -> date:
    """The middle date (the earlier of the two middle ones for an even count)."""
    if not dates:
        raise ValueError("No dates.")
    ordered = sorted(dates)
    return ordered[(len(ordered) - 1) // 2]


def person_change(
    ratings_by_key: Mapping[Hashable, Sequence[Rating]], keys: Iterable[Hashable], anchor: date
) -> float | None:
    """A person's change on a set of (source, competency) keys: the mean of the per-key changes
    that have ratings on both sides of the anchor. Keeping sources apart stops a switch from
    self-ratings to observations from looking like growth."""
    changes = [
        change
        for key in keys
        if (change := change_around(ratings_by_key.get(key, ()), anchor)) is not None
    ]
    return fmean(changes) if changes else None

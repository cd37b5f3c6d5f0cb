"""Inter-rater agreement for calibration: percent agreement and Cohen's kappa for two raters over
categorical labels, and aggregation over many scored pairs per rater and per criterion.

Plain Python over plain inputs (no Django), so the numbers are testable against published tables.

Cohen's kappa = (p_o - p_e) / (1 - p_e), where p_o is the observed share of items on which the two
raters agree and p_e the agreement expected by chance from each rater's label frequencies.
Degenerate cases, decided once here:

- no items: both statistics are None (nothing to say);
- p_e == 1 (both raters used one and the same label for every item): kappa is undefined by the
  formula; we report 1.0 when they also agreed on every item (p_o == 1, which then always holds)
  and 0.0 otherwise. Kappa then carries no information beyond the percent agreement, and the
  report shows both.

Values are exact `Fraction`s; callers round for display.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


def percent_agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Fraction | None:
    """Share of pairs with equal labels (0..1), or None without pairs."""
    if not pairs:
        return None
    return Fraction(sum(1 for a, b in pairs if a == b), len(pairs))


def expected_agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Fraction | None:
    """Chance agreement p_e: sum over labels of the product of the two raters' label shares."""
    if not pairs:
        return None
    n = len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    return sum((Fraction(first[label] * second[label], n * n) for label in first), Fraction(0))


def cohens_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> Fraction | None:
    """Cohen's kappa for two raters; None without pairs (see the module note on p_e == 1)."""
    observed = percent_agreement(pairs)
    expected = expected_agreement(pairs)
    if observed is None or expected is None:
        return None
    if expected == 1:
        return Fraction(1) if observed == 1 else Fraction(0)
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    """The agreement over a set of pairs, for one rater, one criterion or everything."""

    pairs: int
    percent: Fraction | None
    kappa: Fraction | None

    @classmethod
    def of(cls, pairs: Sequence[tuple[Hashable, Hashable]]) -> Agreement:
        pairs = list(pairs)
        return cls(len(pairs), percent_agreement(pairs), cohens_kappa(pairs))


@dataclass(frozen=True)
class RatedPair:
    """Two raters' labels for one item (a criterion of a double-scored attempt, or its outcome).

    `rater_a` and `rater_b` identify the raters (any hashable: user ids); `key` what was rated
    (a criterion id, or "outcome")."""

    key: Hashable
    rater_a: Hashable
    label_a: Hashable
    rater_b: Hashable
    label_b: Hashable


@dataclass
class AgreementReport:
    overall: Agreement
    by_rater: dict[Hashable, Agreement] = field(default_factory=dict)
    by_key: dict[Hashable, Agreement] = field(default_factory=dict)


def aggregate(pairs: Iterable[RatedPair]) -> AgreementReport:
    """Agreement overall, per rater (every pair the rater took part in, their label first) and
    per key (criterion)."""
    pairs = list(pairs)
    by_rater: dict[Hashable, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    by_key: dict[Hashable, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    for pair in pairs:
        by_rater[pair.rater_a].append((pair.label_a, pair.label_b))
        by_rater[pair.rater_b].append((pair.label_b, pair.label_a))
        by_key[pair.key].append((pair.label_a, pair.label_b))
    return AgreementReport(
        overall=Agreement.of([(p.label_a, p.label_b) for p in pairs]),
        by_rater={rater: Agreement.of(items) for rater, items in by_rater.items()},
        by_key={key: Agreement.of(items) for key, items in by_key.items()},
    )

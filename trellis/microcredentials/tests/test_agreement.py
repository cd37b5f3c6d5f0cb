"""Percent agreement and Cohen's kappa on known tables (exact fractions)."""

from fractions import Fraction

from trellis.microcredentials.agreement import (
    Agreement,
    RatedPair,
    aggregate,
    cohens_kappa,
    expected_agreement,
    percent_agreement,
)


def table(cells: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [pair for pair, count in cells.items() for _ in range(count)]


# The classic example (Wikipedia, "Cohen's kappa"): 50 proposals, two readers.
CLASSIC = table({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})


def test_classic_two_by_two_table():
    assert percent_agreement(CLASSIC) == Fraction(7, 10)
    assert expected_agreement(CLASSIC) == Fraction(1, 2)
    assert cohens_kappa(CLASSIC) == Fraction(2, 5)


def test_second_known_table_with_unequal_margins():
    # Wikipedia's second example: 45/15/25/15 of 100 → p_o 0.60, p_e 0.54, kappa 0.1304…
    pairs = table({("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 25, ("n", "n"): 15})
    assert percent_agreement(pairs) == Fraction(3, 5)
    assert expected_agreement(pairs) == Fraction(27, 50)
    assert cohens_kappa(pairs) == Fraction(3, 23)


def test_three_categories():
    # Rows rater A, columns rater B over not_yet / proficient / exemplary.
    pairs = table(
        {
            ("n", "n"): 10,
            ("n", "p"): 2,
            ("p", "n"): 3,
            ("p", "p"): 20,
            ("p", "e"): 5,
            ("e", "e"): 10,
        }
    )
    # p_o = 40/50; p_e = (12*13 + 28*22 + 10*15) / 2500 = 922/2500
    assert percent_agreement(pairs) == Fraction(4, 5)
    assert expected_agreement(pairs) == Fraction(922, 2500)
    assert cohens_kappa(pairs) == (Fraction(4, 5) - Fraction(922, 2500)) / (1 - Fraction(922, 2500))


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative():
    assert cohens_kappa([("a", "a"), ("b", "b")]) == 1
    assert cohens_kappa([("a", "b"), ("b", "a")]) == -1


def test_no_items_gives_none():
    assert percent_agreement([]) is None
    assert expected_agreement([]) is None
    assert cohens_kappa([]) is None
    assert Agreement.of([]) == Agreement(pairs=0, percent=None, kappa=None)


def test_expected_agreement_of_one():
    # Both raters gave the same single label everywhere: p_e = 1, kappa defined as 1.0.
    assert cohens_kappa([("p", "p")] * 4) == 1
    # p_e < 1 as soon as the labels differ anywhere, so kappa 0.0 only arises by definition.
    assert cohens_kappa([("p", "n"), ("p", "p")]) == 0


def test_aggregate_per_rater_and_per_key():
    pairs = [
        RatedPair("c1", "ada", "p", "eve", "p"),
        RatedPair("c1", "ada", "n", "eve", "p"),
        RatedPair("c2", "ada", "p", "kim", "p"),
        RatedPair("c2", "kim", "n", "eve", "n"),
    ]
    report = aggregate(pairs)
    assert report.overall == Agreement(
        4, Fraction(3, 4), cohens_kappa([("p", "p"), ("n", "p"), ("p", "p"), ("n", "n")])
    )
    assert report.by_rater["ada"].pairs == 3
    assert report.by_rater["ada"].percent == Fraction(2, 3)
    assert report.by_rater["eve"].pairs == 3
    assert report.by_rater["eve"].percent == Fraction(2, 3)
    assert report.by_rater["kim"] == Agreement(2, Fraction(1), Fraction(1))
    assert report.by_key["c1"] == Agreement(2, Fraction(1, 2), Fraction(0))
    assert report.by_key["c2"].percent == Fraction(1)

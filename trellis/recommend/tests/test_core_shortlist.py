"""Choosing and explaining the shortlist, on small hand-built catalogs."""

from __future__ import annotations

import numpy as np
import pytest

from trellis.recommend.core import engine
from trellis.recommend.core.synthetic import FORMATS, build_catalog, build_educator
from trellis.recommend.core.weights import weights_from

from .test_core_engine import ONE_HOT, measured_educator

IN_PERSON = FORMATS.index("in_person")
ONLINE = FORMATS.index("online_live")
SELF_PACED = FORMATS.index("self_paced")


def six_offerings(**columns):
    """0, 1, 5: competency 0, 20 h in person (5 is a priority); 2: the goal competency online;
    3: competency 0, 2 h (short); 4: competency 1 (no need), 2 h self-paced."""
    alignment = np.vstack([ONE_HOT[0], ONE_HOT[0], ONE_HOT[2], ONE_HOT[0], ONE_HOT[1], ONE_HOT[0]])
    values = {
        "hours": [20, 20, 20, 2, 2, 20],
        "format_index": [IN_PERSON, IN_PERSON, ONLINE, IN_PERSON, SELF_PACED, IN_PERSON],
        "priority": [False, False, False, False, False, True],
    }
    values.update(columns)
    return build_catalog(alignment, **values)


def slots(result):
    return [(pick.index, pick.slot) for pick in result.picks]


def test_best_fit_then_reserved_short_and_goal():
    result = engine.shortlist(measured_educator(), six_offerings(), size=4, reserved=1)
    assert slots(result) == [(0, "best_fit"), (5, "priority"), (3, "short"), (2, "goal")]
    assert result.mode == "need"
    assert result.considered == 6


def test_choice_slots_use_score_then_variety():
    result = engine.shortlist(measured_educator(), six_offerings(), size=4)
    # 4 addresses no need (below the choice floor); 1 and 5 tie, the lower index wins.
    assert slots(result) == [(0, "best_fit"), (3, "short"), (2, "goal"), (1, "choice")]


def test_list_size_is_capped_by_the_eligible_offerings():
    educator = measured_educator(excluded=frozenset({1, 2, 3, 4}))
    result = engine.shortlist(educator, six_offerings(), size=4)
    assert slots(result) == [(0, "best_fit"), (5, "choice")]
    assert result.considered == 2


def test_every_slot_reserved_goes_to_priority_offerings():
    catalog = six_offerings(priority=[False, True, False, True, False, True])
    result = engine.shortlist(measured_educator(), catalog, size=2, reserved=2)
    # 1 and 5 are twins with the top score; 5 still beats the lower-scoring 3 on MMR.
    assert slots(result) == [(1, "priority"), (5, "priority")]


def test_a_second_format_replaces_the_last_choice():
    alignment = np.vstack([ONE_HOT[0]] * 4 + [ONE_HOT[1]])
    catalog = build_catalog(
        alignment,
        hours=[20, 20, 20, 2, 20],
        format_index=[IN_PERSON] * 4 + [ONLINE],
    )
    educator = measured_educator(in_goal=[False, False, False])
    result = engine.shortlist(educator, catalog, size=3)
    assert slots(result) == [(0, "best_fit"), (3, "short"), (4, "choice")]


def test_veterans_get_a_leadership_path_and_novices_coaching():
    catalog = six_offerings(leadership=[False, False, False, False, True, False])
    veteran = engine.shortlist(measured_educator(stage="veteran"), catalog, size=4)
    assert (4, "leadership") in slots(veteran)
    assert veteran.picks[-1].reasons[0].code == "leadership"
    novice = engine.shortlist(measured_educator(stage="novice"), catalog, size=4)
    assert 4 not in [pick.index for pick in novice.picks]
    senior_only = six_offerings(
        leadership=[False, False, False, False, True, False], stage_bits=[0, 0, 0, 0, 0b1100, 0]
    )
    assert engine.score(measured_educator(stage="novice"), senior_only).eligible.tolist() == [
        True
    ] * 4 + [False, True]
    assert engine.score(measured_educator(stage="veteran"), senior_only).eligible.all()

    coached = six_offerings(
        format_index=[
            IN_PERSON,
            FORMATS.index("coaching"),
            ONLINE,
            IN_PERSON,
            SELF_PACED,
            IN_PERSON,
        ]
    )
    novice = engine.shortlist(measured_educator(stage="novice"), coached, size=1)
    assert slots(novice) == [(1, "best_fit")]  # the coaching twin beats index 0 for a novice
    developing = engine.shortlist(measured_educator(), coached, size=1)
    assert slots(developing) == [(0, "best_fit")]


def test_explore_slot_is_last_and_new():
    catalog = six_offerings(is_new=[False, False, False, False, False, True])
    result = engine.shortlist(measured_educator(), catalog, size=4, explore=True)
    assert slots(result) == [(0, "best_fit"), (3, "short"), (2, "goal"), (5, "explore")]
    assert result.picks[-1].reasons[0].text == "New in the catalog: worth a look"


def test_reasons_have_the_figures():
    educator = measured_educator(available_hours=10.0, credit_needed=30.0)
    catalog = six_offerings(
        credit_value=[20, 0, 0, 0, 0, 0],
        rating_sum=[44, 0, 0, 0, 0, 0],
        rating_count=[10, 0, 0, 0, 0, 0],
    )
    result = engine.shortlist(educator, catalog, size=4)
    best = {reason.code: reason for reason in result.picks[0].reasons}
    assert best["need"].text == "Competency 0: observed 2 from 2 observations, self 3, target 3"
    assert best["need"].data["share_of_need"] == pytest.approx(0.762)
    assert best["fit"].text == "Fit 90%: every career stage, in person"
    assert best["evidence"].text == "No formal research evidence yet"
    # (44 + 10·4.4) / 20 = 4.4: the only ratings set the catalog mean
    assert best["rating"].text == "4.4★ from 10 ratings, adjusted toward the catalog mean (4.4★)"
    assert best["time"].text == "20 hours, free (you have 10 h available)"
    assert best["credit"].text == "Counts 20 hours toward your renewal (you still need 30 hours)"
    assert best["not_vetted"].text == "Not yet vetted by the district"
    goal = {reason.code: reason for reason in result.picks[2].reasons}
    assert goal["goal"].text == "Competency 2: self 2.5, target 3 — one of your goals"
    short = result.picks[1].reasons
    assert short[0].text == "A short option to start with (2 hours)"
    assert all(len(pick.reasons) >= 2 for pick in result.picks)


def test_cold_start_picks_say_so():
    educator = build_educator(3, district_priority=[True, False, False])
    catalog = six_offerings(tier=[4, 4, 4, 4, 4, 1], effect_size=[np.nan] * 5 + [0.2])
    result = engine.shortlist(educator, catalog, size=3)
    assert result.mode == "cold_start"
    assert result.picks[0].index == 5  # Tier 2 evidence on the district's priority competency
    texts = [reason.text for reason in result.picks[0].reasons if reason.code == "cold_start"]
    assert texts == [
        "Good for everyone: ESSA Tier 2 evidence; take the 5-minute self-check for picks fitted to you"
    ]


def test_coach_suggestions_are_lifted_and_explained():
    educator = measured_educator(boosted=frozenset({4}))
    result = engine.shortlist(educator, six_offerings(), size=4)
    picked = {pick.index: pick for pick in result.picks}
    assert 4 in picked
    assert picked[4].reasons[0].text == "Suggested by your coach"


def test_dismissed_and_excluded_never_come_back():
    educator = measured_educator(dismissed=frozenset({0}), excluded=frozenset({3}))
    result = engine.shortlist(educator, six_offerings(), size=6)
    assert {pick.index for pick in result.picks} == {1, 2, 4, 5}


@pytest.mark.parametrize(
    ("size", "reserved", "message"),
    [
        (0, 0, "The shortlist size must be at least 1."),
        (3, 4, r"Reserved slots must be between 0 and the list size \(3\)."),
        (3, -1, r"Reserved slots must be between 0 and the list size \(3\)."),
    ],
)
def test_bad_sizes_are_refused(size, reserved, message):
    with pytest.raises(ValueError, match=message):
        engine.shortlist(measured_educator(), six_offerings(), size=size, reserved=reserved)


def test_nothing_eligible_gives_an_empty_list():
    catalog = six_offerings(vetting_failed=[True] * 6)
    result = engine.shortlist(measured_educator(), catalog, size=4)
    assert result.picks == ()
    assert result.considered == 0


def test_coverage_weight_favours_a_need_no_pick_covers_yet():
    educator = build_educator(3, observed_mean=[2.0, 3.0, 2.4], observed_count=[2, 1, 2])
    catalog = build_catalog(
        np.vstack([ONE_HOT[0], ONE_HOT[0], ONE_HOT[2], ONE_HOT[0]]),
        hours=[20, 20, 20, 2],
        format_index=[IN_PERSON, ONLINE, IN_PERSON, SELF_PACED],
    )
    # need (0.625, 0, 0.375): offering 1 repeats competency 0 with the top score (MMR 0.55);
    # offering 2 scores 0.6 of the top but covers the uncovered 0.375 of the need.
    plain = engine.shortlist(educator, catalog, weights_from({"coverage_weight": 0}), size=3)
    assert slots(plain) == [(0, "best_fit"), (3, "short"), (1, "choice")]
    covering = engine.shortlist(educator, catalog, weights_from({"coverage_weight": 1.0}), size=3)
    assert slots(covering) == [(0, "best_fit"), (3, "short"), (2, "choice")]


def test_credit_is_worded_in_the_licence_unit():
    educator = measured_educator(credit_needed=3.0, credit_unit=("CEU", "CEUs"))
    catalog = six_offerings(credit_value=[1, 0, 0, 0, 0, 0])
    result = engine.shortlist(educator, catalog, size=4)
    credit = next(
        reason for pick in result.picks for reason in pick.reasons if reason.code == "credit"
    )
    assert credit.text == "Counts 1 CEU toward your renewal (you still need 3 CEUs)"

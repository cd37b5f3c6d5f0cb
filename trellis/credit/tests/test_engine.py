"""The engine's general semantics: cycle bounds, bad input, duplicates, conversions, ordering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trellis.credit.rules import (
    RULE_SETS,
    Cap,
    Category,
    Conversion,
    CreditError,
    LearningRecord,
    LineStatus,
    Reason,
    RenewalCycle,
    RuleSet,
    Unit,
    renewal_progress,
    resolve_factors,
    rule_set_for,
)
from trellis.credit.rules.wording import number
from trellis.credit.tests.helpers import record

TEACHER = rule_set_for("TX", "classroom_teacher")
CYCLE = RenewalCycle(dt.date(2022, 6, 1), dt.date(2027, 5, 31))


def test_records_outside_the_cycle_count_nothing_and_both_ends_are_inside():
    before = record(5, on=dt.date(2022, 5, 31))
    first_day = record(6, on=dt.date(2022, 6, 1))
    last_day = record(7, on=dt.date(2027, 5, 31))
    after = record(8, on=dt.date(2027, 6, 1))
    progress = renewal_progress(TEACHER, CYCLE, [after, last_day, before, first_day])
    assert progress.total == Decimal(13)
    assert [line.record_id for line in progress.records] == [
        before.id,
        first_day.id,
        last_day.id,
        after.id,
    ]
    assert [line.record_id for line in progress.not_counted] == [before.id, after.id]
    assert progress.not_counted[0].reason_code is Reason.OUTSIDE_CYCLE
    assert progress.not_counted[0].reason == (
        "Completed on 31 May 2022, outside the renewal cycle (1 June 2022 to 31 May 2027)."
    )


@pytest.mark.parametrize("amount", ["0", "-1", "-0.25", "0.00"])
def test_zero_and_negative_amounts_are_refused(amount):
    with pytest.raises(CreditError) as raised:
        record(amount, id="bad-1", title="Reading group")
    assert raised.value.code == "bad_amount"
    assert raised.value.message == (
        f"Record bad-1 (Reading group): the amount must be more than 0, not {Decimal(amount)}."
    )


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "six", True, None])
def test_non_numbers_are_refused(amount):
    with pytest.raises(CreditError) as raised:
        LearningRecord("x", "X", dt.date(2024, 1, 1), amount, Unit.CLOCK_HOUR)
    assert raised.value.code == "bad_amount"


def test_unknown_unit_category_and_dates_are_refused():
    with pytest.raises(CreditError, match="Record x: unknown unit 'furlong'"):
        LearningRecord("x", "X", dt.date(2024, 1, 1), Decimal(1), "furlong")
    with pytest.raises(CreditError, match="Record x: unknown category 'party'"):
        LearningRecord("x", "X", dt.date(2024, 1, 1), Decimal(1), "ceu", "party")
    with pytest.raises(CreditError, match="completed_on must be a date, not a datetime"):
        LearningRecord("x", "X", dt.datetime(2024, 1, 1), Decimal(1), "ceu")  # noqa: DTZ001
    with pytest.raises(CreditError, match="ends"):
        RenewalCycle(dt.date(2024, 1, 2), dt.date(2024, 1, 1))


def test_strings_and_floats_become_exact_decimals():
    made = LearningRecord("x", "X", dt.date(2024, 1, 1), 1.1, "clock_hour", "informal", {"ell"})
    assert (made.amount, made.unit, made.category, made.topics) == (
        Decimal("1.1"),
        Unit.CLOCK_HOUR,
        Category.INFORMAL,
        frozenset({"ell"}),
    )


def test_two_records_with_one_id_are_refused():
    with pytest.raises(CreditError) as raised:
        renewal_progress(TEACHER, CYCLE, [record(1, id="same"), record(2, id="same")])
    assert raised.value.code == "duplicate_id"


def test_the_same_activity_twice_counts_once():
    first = record(6, title="Writing Workshop", id="a")
    again = record(6, title=" writing workshop ", id="b")
    progress = renewal_progress(TEACHER, CYCLE, [again, first])
    assert progress.total == Decimal(6)
    assert progress.not_counted[0].record_id == "b"
    assert progress.not_counted[0].reason_code is Reason.DUPLICATE


def test_input_order_does_not_matter():
    records = [
        record(25, category=Category.INDEPENDENT_STUDY, on=dt.date(2023, 1, 1), id="b"),
        record(25, category=Category.INDEPENDENT_STUDY, on=dt.date(2023, 1, 1), id="a"),
        record(10, category=Category.PRESENTING, on=dt.date(2022, 7, 1), id="c"),
    ]
    forward = renewal_progress(TEACHER, CYCLE, records)
    backward = renewal_progress(TEACHER, CYCLE, records[::-1])
    assert forward == backward
    # Same day: the smaller id counts first.
    assert forward.counted_by_record == {"c": Decimal(10), "a": Decimal(25), "b": Decimal(5)}


def test_the_shortest_conversion_chain_wins_then_the_first_listed():
    conversions = [
        Conversion(Unit.CEU, Unit.CLOCK_HOUR, Decimal(10)),
        Conversion(Unit.CLOCK_HOUR, Unit.PDP, Decimal(1)),
        Conversion(Unit.CEU, Unit.PDP, Decimal(5)),
        Conversion(Unit.SEMESTER_HOUR, Unit.PDP, Decimal(10)),
        Conversion(Unit.SEMESTER_HOUR, Unit.PDP, Decimal(15)),
    ]
    assert resolve_factors(Unit.PDP, conversions) == {
        Unit.PDP: Decimal(1),
        Unit.CLOCK_HOUR: Decimal(1),
        Unit.CEU: Decimal(5),
        Unit.SEMESTER_HOUR: Decimal(10),
    }


def test_a_district_salary_lane_rule_set_is_just_data():
    lane = RuleSet(
        key="district/salary_lane",
        jurisdiction="district",
        jurisdiction_name="the district",
        role="teacher",
        role_label="teacher",
        unit=Unit.SALARY_CREDIT,
        required=Decimal(15),
        cycle_years=None,
        conversions=(
            Conversion(Unit.MICRO_CREDENTIAL, Unit.SALARY_CREDIT, Decimal(1)),
            Conversion(Unit.SEMESTER_HOUR, Unit.SALARY_CREDIT, Decimal(1)),
        ),
        caps=(Cap("informal", "informal learning", frozenset({"informal"}), Decimal("0.2")),),
    )
    badges = record(4, Unit.MICRO_CREDENTIAL, category=Category.MICRO_CREDENTIAL)
    course = record(3, Unit.SEMESTER_HOUR, category=Category.COLLEGE_COURSE)
    hours = record(15, Unit.CLOCK_HOUR)
    progress = renewal_progress(lane, CYCLE, [badges, course, hours])
    assert progress.total == Decimal(7)
    assert progress.missing[0] == (
        "8 salary-lane credits more needed by 31 May 2027: 7 of 15 salary-lane credits count so far."
    )


def test_overlapping_caps_trim_to_the_tightest_and_blame_it():
    rules = RuleSet(
        key="X/test",
        jurisdiction="X",
        jurisdiction_name="Testland",
        role="teacher",
        role_label="teacher",
        unit=Unit.CLOCK_HOUR,
        required=Decimal(100),
        cycle_years=5,
        caps=(
            Cap(
                "self_directed", "self-directed learning", {"informal", "independent_study"}, "0.3"
            ),
            Cap("informal", "informal learning", {"informal"}, "0.1"),
        ),
    )
    study = record(25, category=Category.INDEPENDENT_STUDY, on=dt.date(2023, 1, 1))
    informal = record(20, category=Category.INFORMAL, on=dt.date(2023, 2, 1))
    progress = renewal_progress(rules, CYCLE, [study, informal])
    assert progress.counted_by_record == {study.id: Decimal(25), informal.id: Decimal(5)}
    wide, narrow = progress.caps
    assert (wide.counted, wide.excluded, narrow.counted, narrow.excluded) == (
        Decimal(30),
        Decimal(15),
        Decimal(5),
        Decimal(0),
    )
    assert wide.trimmed_record_ids == (informal.id,)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"required": Decimal(0)}, "bad_rule_set"),
        ({"required": "-5"}, "bad_rule_set"),
        ({"required": "ten"}, "bad_amount"),
        ({"unit": "furlong"}, "unknown_unit"),
        (
            {"caps": (Cap("a", "a", {"mentoring"}, "0.1"), Cap("a", "b", {"informal"}, "0.1"))},
            "bad_rule_set",
        ),
    ],
)
def test_bad_rule_data_is_refused(kwargs, code):
    fields = {
        "key": "X/y",
        "jurisdiction": "X",
        "jurisdiction_name": "X",
        "role": "y",
        "role_label": "y",
        "unit": Unit.CLOCK_HOUR,
        "required": Decimal(10),
        "cycle_years": 1,
    }
    with pytest.raises(CreditError) as raised:
        RuleSet(**(fields | kwargs))
    assert raised.value.code == code


@pytest.mark.parametrize("share", ["0", "1.5", "-0.1"])
def test_shares_must_be_a_fraction(share):
    with pytest.raises(CreditError) as raised:
        Cap("a", "a", frozenset(), share)
    assert raised.value.code == "bad_share"


@pytest.mark.parametrize("factor", ["0", "-2"])
def test_conversions_must_be_positive(factor):
    with pytest.raises(CreditError) as raised:
        Conversion(Unit.CEU, Unit.CLOCK_HOUR, factor)
    assert raised.value.code == "bad_conversion"


def test_unknown_rule_set():
    with pytest.raises(CreditError, match="No rule set CA/teacher"):
        rule_set_for("CA", "teacher")


def test_every_rule_set_cites_sources():
    for rule_set in RULE_SETS.values():
        assert rule_set.sources, rule_set.key
        assert rule_set.factors[rule_set.unit] == Decimal(1)


def test_no_records():
    progress = renewal_progress(TEACHER, CYCLE, [])
    assert (progress.total, progress.remaining, progress.percent) == (
        Decimal(0),
        Decimal(150),
        Decimal("0.0"),
    )
    assert len(progress.missing) == 2  # the hours and the 80% relevance check
    assert all(line.status is LineStatus.COUNTED for line in progress.records)


def test_leap_day_cycles():
    cycle = RenewalCycle.of_years(dt.date(2024, 2, 29), 5)
    assert cycle.end == dt.date(2029, 2, 28)


@pytest.mark.parametrize(
    ("value", "text"),
    [("30", "30"), ("7.50", "7.5"), ("0.25", "0.25"), ("1E+2", "100"), ("0", "0")],
)
def test_numbers_in_sentences(value, text):
    assert number(Decimal(value)) == text

"""Worked examples for the Texas CPE rule sets (sources: trellis/credit/rules/texas.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trellis.credit.rules import (
    Category,
    LineStatus,
    Reason,
    RenewalCycle,
    Unit,
    renewal_progress,
    rule_set_for,
)
from trellis.credit.tests.helpers import record

TEACHER = rule_set_for("TX", "classroom_teacher")
COUNSELOR = rule_set_for("tx", "counselor")
CYCLE = RenewalCycle.of_years(dt.date(2022, 6, 1), 5)


def test_requirements_and_cycle():
    assert TEACHER.required == Decimal(150)
    assert TEACHER.unit is Unit.CPE_HOUR
    assert COUNSELOR.required == Decimal(200)
    assert rule_set_for("TX", "principal").required == Decimal(200)
    assert TEACHER.cycle_years == 5
    assert RenewalCycle(dt.date(2022, 6, 1), dt.date(2027, 5, 31)) == CYCLE


def test_teacher_with_40_hours_of_independent_study_gets_30_counted():
    study_1 = record(25, category=Category.INDEPENDENT_STUDY, on=dt.date(2023, 1, 10))
    study_2 = record(15, category=Category.INDEPENDENT_STUDY, on=dt.date(2024, 2, 1))
    course = record(100, category=Category.COURSE, on=dt.date(2023, 9, 1))

    progress = renewal_progress(TEACHER, CYCLE, [study_2, course, study_1])

    assert progress.total == Decimal(130)
    assert progress.remaining == Decimal(20)
    assert progress.by_category == (
        (Category.COURSE, Decimal(100)),
        (Category.INDEPENDENT_STUDY, Decimal(30)),
    )
    cap = progress.caps[0]
    assert (cap.key, cap.limit, cap.claimed, cap.counted, cap.excluded) == (
        "independent_study",
        Decimal(30),
        Decimal(40),
        Decimal(30),
        Decimal(10),
    )
    assert cap.trimmed_record_ids == (study_2.id,)
    assert cap.explanation == (
        "Independent study counts for at most 30 CPE hours (20% of the requirement); "
        "10 CPE hours above that limit do not count (earlier activities count first)."
    )
    # Oldest first: the January 2023 record counts whole, the 2024 one only in part.
    assert progress.counted_by_record == {
        study_1.id: Decimal(25),
        course.id: Decimal(100),
        study_2.id: Decimal(5),
    }
    line = progress.records[-1]
    assert (line.status, line.reason_code) == (LineStatus.PARTLY_COUNTED, Reason.OVER_CAP)
    assert line.reason == (
        "Only 5 of 15 CPE hours count: independent study counts for at most 30 CPE hours "
        "and earlier activities used the rest."
    )
    assert progress.missing == (
        "20 CPE hours more needed by 31 May 2027: 130 of 150 CPE hours count so far.",
    )


def test_informal_learning_shares_the_independent_study_cap():
    informal = record(20, category=Category.INFORMAL, on=dt.date(2023, 1, 1))
    study = record(20, category=Category.INDEPENDENT_STUDY, on=dt.date(2023, 2, 1))
    progress = renewal_progress(TEACHER, CYCLE, [informal, study])
    assert progress.total == Decimal(30)
    assert progress.counted_by_record == {informal.id: Decimal(20), study.id: Decimal(10)}


def test_presenting_and_mentoring_caps_for_teachers_and_counselors():
    presenting = record(25, category=Category.PRESENTING)
    mentoring = record(70, category=Category.MENTORING)
    study = record(50, category=Category.INDEPENDENT_STUDY)
    teacher = renewal_progress(TEACHER, CYCLE, [presenting, mentoring, study])
    counselor = renewal_progress(COUNSELOR, CYCLE, [presenting, mentoring, study])
    assert teacher.counted_by_record == {
        presenting.id: Decimal(15),
        mentoring.id: Decimal(45),
        study.id: Decimal(30),
    }
    assert counselor.counted_by_record == {
        presenting.id: Decimal(20),
        mentoring.id: Decimal(60),
        study.id: Decimal(40),
    }
    assert [cap.excluded for cap in teacher.caps] == [Decimal(20), Decimal(10), Decimal(25)]


def test_a_record_entirely_over_a_cap_is_not_counted_with_the_reason():
    first = record(15, category=Category.PRESENTING, on=dt.date(2023, 1, 1))
    second = record(3, category=Category.PRESENTING, on=dt.date(2023, 2, 1))
    progress = renewal_progress(TEACHER, CYCLE, [first, second])
    assert progress.not_counted[0].record_id == second.id
    assert progress.not_counted[0].reason == (
        "Presenting counts for at most 15 CPE hours, already reached by earlier activities."
    )


def test_relevance_check_measures_80_percent_of_the_requirement():
    related = record(100, related=True)
    unrelated = record(50, related=False)
    progress = renewal_progress(TEACHER, CYCLE, [related, unrelated])
    assert progress.total == Decimal(150)
    assert progress.remaining == Decimal(0)
    (relevance,) = progress.quotas
    assert (relevance.needed, relevance.counted, relevance.met, relevance.short_by) == (
        Decimal(120),
        Decimal(100),
        False,
        Decimal(20),
    )
    assert not progress.complete
    assert progress.missing == (
        "At least 120 CPE hours must relate to your certificate; 100 do so far, "
        "so 20 CPE hours more of related learning are needed.",
    )


def test_complete_renewal():
    progress = renewal_progress(TEACHER, CYCLE, [record(90), record(60, category=Category.COURSE)])
    assert progress.complete
    assert progress.percent == Decimal("100.0")
    assert progress.missing == ()


def test_ceus_convert_through_clock_hours_and_micro_credentials_do_not():
    ceu = record("1.5", Unit.CEU, category=Category.COURSE)
    badge = record(1, Unit.MICRO_CREDENTIAL, category=Category.MICRO_CREDENTIAL)
    progress = renewal_progress(TEACHER, CYCLE, [ceu, badge])
    assert TEACHER.factors[Unit.CEU] == Decimal(10)
    assert progress.counted_by_record == {ceu.id: Decimal(15), badge.id: Decimal(0)}
    (line,) = progress.not_counted
    assert line.reason_code is Reason.UNKNOWN_CONVERSION
    assert line.value is None
    assert line.reason == (
        "Texas rules have no conversion from micro-credentials to CPE hours; "
        "record the activity in a unit they convert."
    )


def test_percent_rounds_down():
    progress = renewal_progress(TEACHER, CYCLE, [record("149.95")])
    assert progress.percent == Decimal("99.9")
    assert progress.remaining == Decimal("0.05")

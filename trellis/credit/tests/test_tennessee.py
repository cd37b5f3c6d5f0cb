"""Worked examples for the Tennessee PDP rule sets (sources: trellis/credit/rules/tennessee.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trellis.credit.rules import (
    Category,
    Evaluation,
    RenewalCycle,
    Unit,
    renewal_progress,
    rule_set_for,
)
from trellis.credit.tests.helpers import record

RENEWAL = rule_set_for("TN", "professional_renewal")
ADVANCEMENT = rule_set_for("TN", "professional_advancement")
TEXAS = rule_set_for("TX", "classroom_teacher")
CYCLE = RenewalCycle(dt.date(2020, 9, 1), dt.date(2026, 8, 31))


def test_requirements():
    assert (RENEWAL.required, RENEWAL.unit, RENEWAL.cycle_years) == (Decimal(60), Unit.PDP, None)
    assert ADVANCEMENT.required == Decimal(30)


def test_exchange_rates():
    badges = record(2, Unit.MICRO_CREDENTIAL, category=Category.MICRO_CREDENTIAL)
    ceu = record(1, Unit.CEU, category=Category.COURSE)
    semester = record(3, Unit.SEMESTER_HOUR, category=Category.COLLEGE_COURSE)
    hours = record("7.5", Unit.CLOCK_HOUR)
    progress = renewal_progress(RENEWAL, CYCLE, [badges, ceu, semester, hours])
    assert progress.counted_by_record == {
        badges.id: Decimal(12),
        ceu.id: Decimal(5),
        semester.id: Decimal(30),
        hours.id: Decimal("7.5"),
    }
    assert progress.total == Decimal("54.5")
    assert progress.remaining == Decimal("5.5")
    assert progress.percent == Decimal("90.8")
    assert progress.missing == (
        "5.5 PDPs more needed by 31 August 2026: 54.5 of 60 PDPs count so far.",
    )


def test_one_ceu_is_five_pdps_in_tennessee_but_ten_cpe_hours_in_texas():
    ceu = record(1, Unit.CEU, category=Category.COURSE)
    assert renewal_progress(RENEWAL, CYCLE, [ceu]).total == Decimal(5)
    assert renewal_progress(TEXAS, CYCLE, [ceu]).total == Decimal(10)


def test_evaluation_scores_earn_pdps():
    evaluations = [
        Evaluation(dt.date(2022, 6, 30), 5),
        Evaluation(dt.date(2023, 6, 30), 3),
        Evaluation(dt.date(2024, 6, 30), 2),  # earns nothing
        Evaluation(dt.date(2020, 6, 30), 4),  # before the cycle
    ]
    progress = renewal_progress(RENEWAL, CYCLE, [record(12)], evaluations=evaluations)
    assert progress.total == Decimal(42)
    assert progress.by_category == (
        (Category.WORKSHOP, Decimal(12)),
        (Category.EVALUATION, Decimal(30)),
    )
    assert progress.counted_by_record == {
        "evaluation-2020-06-30": Decimal(0),
        "evaluation-2022-06-30": Decimal(20),
        "evaluation-2023-06-30": Decimal(10),
        progress.records[-1].record_id: Decimal(12),
    }


def test_evaluations_earn_nothing_where_the_rule_set_gives_no_credit():
    progress = renewal_progress(TEXAS, CYCLE, [], evaluations=[Evaluation(dt.date(2022, 6, 30), 5)])
    assert progress.total == Decimal(0)
    assert progress.records == ()


def test_advancement_with_five_micro_credentials():
    badges = [
        record(1, Unit.MICRO_CREDENTIAL, category=Category.MICRO_CREDENTIAL, title=f"MC {n}")
        for n in range(5)
    ]
    progress = renewal_progress(ADVANCEMENT, CYCLE, badges)
    assert (progress.total, progress.complete) == (Decimal(30), True)

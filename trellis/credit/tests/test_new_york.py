"""Worked examples for the New York CTLE rule sets (sources: trellis/credit/rules/new_york.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trellis.credit.rules import Reason, RenewalCycle, Unit, renewal_progress, rule_set_for
from trellis.credit.tests.helpers import record

PROFESSIONAL = rule_set_for("NY", "professional")
ESOL = rule_set_for("NY", "esol_bilingual")
CYCLE = RenewalCycle(dt.date(2021, 7, 1), dt.date(2026, 6, 30))


def test_requirements():
    assert (PROFESSIONAL.required, PROFESSIONAL.unit, PROFESSIONAL.cycle_years) == (
        Decimal(100),
        Unit.CTLE_HOUR,
        5,
    )
    assert PROFESSIONAL.approved_providers_only
    assert [q.share for q in PROFESSIONAL.quotas] == [Decimal("0.15")]
    assert [q.share for q in ESOL.quotas] == [Decimal("0.50")]


def test_ten_of_a_hundred_hours_on_ell_is_short_by_five():
    records = [record(10, topics={"ell"}), record(90, topics={"literacy"})]
    progress = renewal_progress(PROFESSIONAL, CYCLE, records)
    assert progress.total == Decimal(100)
    assert progress.remaining == Decimal(0)
    assert progress.percent == Decimal("100.0")
    (ell,) = progress.quotas
    assert (ell.needed, ell.counted, ell.met, ell.short_by) == (
        Decimal(15),
        Decimal(10),
        False,
        Decimal(5),
    )
    assert not progress.complete
    assert progress.by_topic == (("ell", Decimal(10)), ("literacy", Decimal(90)))
    assert progress.missing == (
        "At least 15 CTLE hours must address the language-acquisition needs of "
        "English-language learners; 10 do so far, so 5 CTLE hours more on that topic are needed.",
    )


def test_fifteen_ell_hours_meet_the_quota_and_complete_the_period():
    progress = renewal_progress(PROFESSIONAL, CYCLE, [record(15, topics={"ell"}), record(85)])
    assert progress.quotas[0].met
    assert progress.complete


def test_esol_and_bilingual_holders_need_half_on_ell():
    progress = renewal_progress(ESOL, CYCLE, [record(30, topics={"ell"}), record(70)])
    assert (progress.quotas[0].needed, progress.quotas[0].short_by) == (Decimal(50), Decimal(20))


def test_only_approved_sponsors_count():
    approved = record(20, provider="NYS-0042")
    refused = record(6, approved=False, provider="ACME-PD")
    unknown = record(3, approved=None, provider="")
    progress = renewal_progress(PROFESSIONAL, CYCLE, [approved, refused, unknown])
    assert progress.total == Decimal(20)
    assert progress.counted_by_record == {
        approved.id: Decimal(20),
        refused.id: Decimal(0),
        unknown.id: Decimal(0),
    }
    reasons = {line.record_id: (line.reason_code, line.reason) for line in progress.not_counted}
    assert reasons[refused.id] == (
        Reason.UNAPPROVED_PROVIDER,
        "Provider ACME-PD is not a NYSED-approved CTLE sponsor; New York counts only "
        "activities from one.",
    )
    assert reasons[unknown.id] == (
        Reason.UNAPPROVED_PROVIDER,
        "The provider is not known to be a NYSED-approved CTLE sponsor; New York counts only "
        "activities from one.",
    )


def test_an_unapproved_ell_workshop_does_not_feed_the_quota():
    progress = renewal_progress(
        PROFESSIONAL, CYCLE, [record(15, topics={"ell"}, approved=False), record(85)]
    )
    assert progress.quotas[0].counted == Decimal(0)
    assert progress.by_topic == ()


def test_ceus_count_ten_hours_each():
    progress = renewal_progress(PROFESSIONAL, CYCLE, [record(2, Unit.CEU)])
    assert progress.total == Decimal(20)

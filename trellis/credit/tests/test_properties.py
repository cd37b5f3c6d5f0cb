"""Property-style checks over generated cases (plain parametrized seeds; no hypothesis)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from trellis.credit.rules import (
    RULE_SETS,
    Category,
    LearningRecord,
    RenewalCycle,
    Unit,
    renewal_progress,
)

CYCLE = RenewalCycle(dt.date(2022, 1, 1), dt.date(2026, 12, 31))
KEYS = sorted(RULE_SETS)
UNITS = list(Unit)
CATEGORIES = [c for c in Category if c is not Category.EVALUATION]


def random_record(rng: random.Random, index: int) -> LearningRecord:
    return LearningRecord(
        id=f"r{index:03d}",
        title=f"Activity {rng.randrange(6)}",  # some repeat, to exercise duplicates
        completed_on=dt.date(2021, 6, 1) + dt.timedelta(days=rng.randrange(2200)),
        amount=Decimal(rng.randrange(1, 200)) / 4,  # quarter hours
        unit=rng.choice(UNITS),
        category=rng.choice(CATEGORIES),
        topics=frozenset(rng.sample(["ell", "literacy", "math"], rng.randrange(3))),
        provider_id=f"P{rng.randrange(3)}",
        provider_approved=rng.choice([True, True, False, None]),
        related_to_certificate=rng.random() < 0.8,
    )


def case(seed: int) -> tuple[str, list[LearningRecord], LearningRecord]:
    rng = random.Random(seed)
    records = [random_record(rng, i) for i in range(rng.randrange(0, 30))]
    return KEYS[seed % len(KEYS)], records, random_record(rng, 999)


@pytest.mark.parametrize("seed", range(60))
def test_adding_a_record_never_decreases_the_total(seed):
    key, records, extra = case(seed)
    rule_set = RULE_SETS[key]
    before = renewal_progress(rule_set, CYCLE, records)
    after = renewal_progress(rule_set, CYCLE, [*records, extra])
    assert after.total >= before.total
    for quota_before, quota_after in zip(before.quotas, after.quotas, strict=True):
        assert quota_after.counted >= quota_before.counted


@pytest.mark.parametrize("seed", range(60))
def test_caps_never_exceed_their_share_and_totals_add_up(seed):
    key, records, extra = case(seed)
    rule_set = RULE_SETS[key]
    progress = renewal_progress(rule_set, CYCLE, [*records, extra])
    for cap_rule, cap in zip(rule_set.caps, progress.caps, strict=True):
        assert cap.counted <= rule_set.required * cap_rule.share
        assert cap.counted + cap.excluded == cap.claimed
        in_cap = sum(
            (line.counted for line in progress.records if line.category in cap_rule.categories),
            Decimal(0),
        )
        assert in_cap == cap.counted
    assert progress.total == sum((line.counted for line in progress.records), Decimal(0))
    assert progress.total == sum((amount for _, amount in progress.by_category), Decimal(0))
    for line in progress.records:
        assert Decimal(0) <= line.counted <= (line.value or Decimal(0))
    assert progress.remaining == max(rule_set.required - progress.total, Decimal(0))
    assert Decimal(0) <= progress.percent <= Decimal(100)

"""What the engine returns: renewal progress with every figure explained.

Immutable, typed NamedTuples rather than frozen dataclasses: the engine builds one progress,
a few cap and quota results and one line per record for each educator, 100,000 educators at a
time, and a NamedTuple is several times cheaper to build. Read them by field name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from trellis.credit.rules.model import Category, Unit


class LineStatus(StrEnum):
    COUNTED = "counted"
    PARTLY_COUNTED = "partly_counted"  # a cap trimmed it
    NOT_COUNTED = "not_counted"


class Reason(StrEnum):
    """Why a record counts less than its amount; values are stable codes."""

    OUTSIDE_CYCLE = "outside_cycle"
    UNAPPROVED_PROVIDER = "unapproved_provider"
    UNKNOWN_CONVERSION = "unknown_conversion"
    DUPLICATE = "duplicate"
    OVER_CAP = "over_cap"


class RecordLine(NamedTuple):
    """One record as a transcript shows it: its own amount, its value in the rule set's unit
    (None when no conversion exists) and the part that counts. (A NamedTuple rather than a
    frozen dataclass: the engine makes one per record, and this is several times cheaper.)"""

    record_id: str
    title: str
    completed_on: dt.date
    category: Category
    amount: Decimal
    unit: Unit
    value: Decimal | None
    counted: Decimal
    status: LineStatus
    reason_code: Reason | None = None
    reason: str = ""


class CapResult(NamedTuple):
    key: str
    label: str
    limit: Decimal  # the cap in the rule set's unit (share × requirement)
    claimed: Decimal  # value of the in-cycle records of its categories
    counted: Decimal
    excluded: Decimal  # what this cap kept out (claimed − counted, unless another cap bit first)
    trimmed_record_ids: tuple[str, ...]
    explanation: str  # empty when nothing was excluded


class QuotaStatus(NamedTuple):
    key: str
    label: str
    topic: str  # a topic tag, or "relevance" for the related-to-certificate check
    needed: Decimal
    counted: Decimal
    met: bool
    short_by: Decimal


class RenewalProgress(NamedTuple):
    rule_set_key: str
    unit: Unit
    cycle_start: dt.date
    deadline: dt.date
    required: Decimal
    total: Decimal  # everything that counts, after caps (may exceed `required`)
    remaining: Decimal  # max(required − total, 0)
    percent: Decimal  # of the requirement, 0–100, rounded down to 0.1
    complete: bool  # total reached and every quota met
    by_category: tuple[tuple[Category, Decimal], ...]  # counted amounts, in category order
    by_topic: tuple[tuple[str, Decimal], ...]  # counted amounts per topic tag, by name
    caps: tuple[CapResult, ...]
    quotas: tuple[QuotaStatus, ...]
    records: tuple[RecordLine, ...]  # every record, oldest first (ties by id)
    missing: tuple[str, ...]  # plain-language sentences: what is still needed

    @property
    def not_counted(self) -> tuple[RecordLine, ...]:
        return tuple(line for line in self.records if line.status is LineStatus.NOT_COUNTED)

    @property
    def counted_by_record(self) -> dict[str, Decimal]:
        return {line.record_id: line.counted for line in self.records}

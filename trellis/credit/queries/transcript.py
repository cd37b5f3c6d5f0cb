"""An educator's transcript: every non-revoked award (completed learning, credit recorded by the
district, earned micro-credentials) with totals, and what counts toward renewal this cycle."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trellis.credit.models import CreditSource
from trellis.credit.queries.renewal import ZERO, Renewal, renewal_progress_for
from trellis.credit.queries.rows import AwardRow, category_label
from trellis.credit.rules import Category, LineStatus, Unit
from trellis.districts.queries import DistrictAccess

STATUS_TEXT = {
    LineStatus.COUNTED: "Counted",
    LineStatus.PARTLY_COUNTED: "Partly counted",
    LineStatus.NOT_COUNTED: "Not counted",
}


@dataclass(frozen=True)
class TranscriptRow:
    award: AwardRow
    value: Decimal | None  # in the rule set's unit; None: no rule set or no conversion
    counted: Decimal | None  # None when no rule set applies
    status: str  # "Counted", "Partly counted", "Not counted" or "" (no rule set)
    reason: str


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    count: int
    hours: Decimal


@dataclass(frozen=True)
class Transcript:
    renewal: Renewal
    rows: list[TranscriptRow]  # newest first
    by_unit: list[tuple[str, Decimal, str]]  # (unit, amount, "12 clock hours")
    by_category: list[CategoryTotal]
    hours: Decimal
    micro_credentials: int

    @property
    def counted_total(self) -> Decimal | None:
        progress = self.renewal.progress
        return progress.total if progress else None


def is_micro_credential(award: AwardRow) -> bool:
    return award.source == CreditSource.MICRO_CREDENTIAL or award.unit == Unit.MICRO_CREDENTIAL


def micro_credential_count(awards: list[AwardRow]) -> int:
    """Earned micro-credentials: one per micro-credential award; an award recorded in the unit
    micro-credential counts its whole amount (2 recorded at once count 2)."""
    count = 0
    for award in awards:
        if award.unit == Unit.MICRO_CREDENTIAL:
            count += int(award.amount)
        elif award.source == CreditSource.MICRO_CREDENTIAL:
            count += 1
    return count


def transcript_for(access: DistrictAccess, educator: Any) -> Transcript:
    """The educator's transcript in the caller's district (the queries of renewal_progress_for)."""
    renewal = renewal_progress_for(access, educator)
    return build_transcript(renewal)


def build_transcript(renewal: Renewal) -> Transcript:
    lines = {line.record_id: line for line in renewal.progress.records} if renewal.progress else {}
    rows = []
    for award in sorted(
        renewal.awards, key=lambda a: (a.completed_on, str(a.public_id)), reverse=True
    ):
        line = lines.get(award.record_id)
        rows.append(
            TranscriptRow(
                award=award,
                value=line.value if line else None,
                counted=line.counted if line else None,
                status=STATUS_TEXT[line.status] if line else "",
                reason=line.reason if line else "",
            )
        )
    categories: dict[str, tuple[int, Decimal]] = {}
    for award in renewal.awards:
        count, hours = categories.get(award.category, (0, ZERO))
        categories[award.category] = (count + 1, hours + award.hours)
    order = {category.value: index for index, category in enumerate(Category)}
    by_category = [
        CategoryTotal(category, category_label(category), count, hours)
        for category, (count, hours) in sorted(
            categories.items(), key=lambda item: order.get(item[0], 99)
        )
    ]
    return Transcript(
        renewal=renewal,
        rows=rows,
        by_unit=renewal.totals_by_unit,
        by_category=by_category,
        hours=renewal.hours_total,
        micro_credentials=micro_credential_count(renewal.awards),
    )

"""The plain rows every credit read works from: non-revoked ledger rows (`AwardRow`), licences
(`LicenseRow`), their labels, and their conversion into the engine's `LearningRecord`s."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from trellis.credit.models import CreditAward, CreditSource
from trellis.credit.rules import Category, CreditError, LearningRecord, Unit
from trellis.credit.rules.model import CATEGORY_LABELS, UNIT_NAMES
from trellis.credit.rules.wording import amount as amount_text

log = logging.getLogger(__name__)


AWARD_FIELDS = (
    "educator_id",
    "public_id",
    "source",
    "title",
    "provider",
    "provider_approved",
    "completed_on",
    "amount",
    "unit",
    "category",
    "topics",
    "related_to_certificate",
    "hours",
)


class AwardRow(NamedTuple):
    """One non-revoked ledger row, as every credit read uses it."""

    educator_id: int
    public_id: Any  # uuid.UUID
    source: str
    title: str
    provider: str
    provider_approved: bool | None
    completed_on: dt.date
    amount: Decimal
    unit: str
    category: str
    topics: list[str]
    related_to_certificate: bool
    hours: Decimal

    @property
    def record_id(self) -> str:
        return str(self.public_id)

    @property
    def amount_text(self) -> str:
        return unit_amount(self.amount, self.unit)

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def source_label(self) -> str:
        try:
            return CreditSource(self.source).label
        except ValueError:
            return self.source


class LicenseRow(NamedTuple):
    educator_id: int
    rule_set_key: str
    number: str
    cycle_start: dt.date
    cycle_end: dt.date


LICENSE_FIELDS = LicenseRow._fields


def unit_label(unit: str) -> str:
    try:
        return UNIT_NAMES[Unit(unit)][1]
    except ValueError:
        return unit


def unit_amount(value: Decimal, unit: str) -> str:
    """ "7.5 clock hours", "1 CEU"; an unknown unit keeps its code."""
    try:
        return amount_text(value, Unit(unit))
    except ValueError:
        return f"{value} {unit}"


def category_label(category: str) -> str:
    try:
        label = CATEGORY_LABELS[Category(category)]
    except ValueError:
        return category
    return label[:1].upper() + label[1:]


def awards_of(district: Any, educator_ids: Iterable[int]) -> list[AwardRow]:
    """Non-revoked awards of these educators in the district, oldest first."""
    rows = (
        CreditAward.objects.filter(
            district=district, educator_id__in=list(educator_ids), revoked_at__isnull=True
        )
        .order_by("educator_id", "completed_on", "id")
        .values_list(*AWARD_FIELDS)
    )
    return [AwardRow(*row) for row in rows]


def learning_records(awards: Sequence[AwardRow]) -> list[LearningRecord]:
    """The engine's view of the awards. A row the engine refuses (a unit written outside
    `award_credit`) is left out and logged rather than breaking the educator's page."""
    records = []
    for award in awards:
        try:
            records.append(
                LearningRecord(
                    id=str(award.public_id),
                    title=award.title,
                    completed_on=award.completed_on,
                    amount=award.amount,
                    unit=award.unit,  # type: ignore[arg-type]  # validated by LearningRecord
                    category=award.category,  # type: ignore[arg-type]
                    topics=frozenset(award.topics or ()),
                    provider_id=award.provider,
                    provider_approved=award.provider_approved,
                    related_to_certificate=award.related_to_certificate,
                )
            )
        except CreditError as error:
            log.warning("Credit award %s left out of renewal progress: %s", award.public_id, error)
    return records

"""A terse way to write learning records in tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from trellis.credit.rules import Category, LearningRecord, Unit

_ids = count(1)


def record(
    amount: str | int | Decimal,
    unit: Unit | str = Unit.CLOCK_HOUR,
    *,
    category: Category | str = Category.WORKSHOP,
    on: dt.date = dt.date(2024, 3, 1),
    topics: frozenset[str] | set[str] = frozenset(),
    approved: bool | None = True,
    related: bool = True,
    title: str | None = None,
    id: str | None = None,
    provider: str = "P-1",
) -> LearningRecord:
    number = next(_ids)
    return LearningRecord(
        id=id or f"r{number}",
        title=title or f"Activity {number}",
        completed_on=on,
        amount=Decimal(str(amount)),
        unit=unit,
        category=category,
        topics=frozenset(topics),
        provider_id=provider,
        provider_approved=approved,
        related_to_certificate=related,
    )

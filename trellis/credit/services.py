"""Writes to the credit ledger. Other apps (catalog completion, micro-credential awards, informal
learning) credit an achievement through `award_credit`; it is idempotent, so a retried event
never credits the same achievement twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.credit.models import CreditAward, CreditSource
from trellis.credit.rules import Category, Unit


@transaction.atomic
def award_credit(
    *,
    district: Any,
    educator: Any,
    source: CreditSource | str,
    source_ref: str,
    title: str,
    completed_on: dt.date,
    amount: Decimal,
    unit: Unit | str,
    category: Category | str,
    hours: Decimal = Decimal(0),
    provider: str = "",
    provider_approved: bool | None = None,
    topics: Iterable[str] = (),
    related_to_certificate: bool = True,
    actor: Any = None,
) -> CreditAward:
    """Credit one achievement; a second call for the same (educator, source, source_ref) returns
    the existing award unchanged."""
    existing = CreditAward.objects.filter(
        educator=educator, source=source, source_ref=str(source_ref)
    ).first()
    if existing is not None:
        return existing
    if amount is None or Decimal(amount) <= 0:
        raise DomainError("bad_credit", "Credit must be more than 0.", details={"field": "amount"})
    try:
        unit, category = Unit(unit), Category(category)
    except ValueError as error:
        raise DomainError("bad_credit", str(error)) from None
    try:
        with transaction.atomic():
            award = CreditAward.objects.create(
                district=district,
                educator=educator,
                source=source,
                source_ref=str(source_ref),
                title=title[:300],
                provider=provider[:200],
                provider_approved=provider_approved,
                completed_on=completed_on,
                amount=Decimal(amount),
                unit=unit.value,
                category=category.value,
                topics=sorted(set(topics)),
                related_to_certificate=related_to_certificate,
                hours=Decimal(hours),
                awarded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # a concurrent call credited it first
        return CreditAward.objects.get(educator=educator, source=source, source_ref=str(source_ref))
    audit.record(
        action="credit.awarded",
        summary=f"{amount} {unit.value} for “{title}”",
        actor=actor,
        subject=educator,
        district=district,
        target=award,
        data={"source": str(source), "source_ref": str(source_ref)},
    )
    return award

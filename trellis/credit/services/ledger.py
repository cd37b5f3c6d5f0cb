"""Writes to the credit ledger. Other apps (catalog completion, micro-credential awards, informal
learning) credit an achievement through `award_credit`; it is idempotent, so a retried event
never credits the same achievement twice. District admins record outside credit and revoke."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.credit.models import CreditAward, CreditSource
from trellis.credit.queries.renewal import district_today
from trellis.credit.rules import Category, Unit
from trellis.credit.rules.wording import amount as amount_text
from trellis.credit.rules.wording import number as plain_number
from trellis.credit.services._common import (
    HOURS_PER_UNIT,
    MAX_AMOUNT,
    _require_manager,
    _require_member,
)
from trellis.credit.validation import (
    clean_date,
    clean_decimal,
    clean_text,
    clean_topics,
)
from trellis.districts.queries import DistrictAccess


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
        summary=f"{amount_text(Decimal(amount), unit)} for “{title}”",
        actor=actor,
        subject=educator,
        district=district,
        target=award,
        data={"source": str(source), "source_ref": str(source_ref)},
    )
    return award


def record_external_credit(
    *,
    access: DistrictAccess,
    actor: Any,
    educator: Any,
    title: str,
    provider: str = "",
    completed_on: dt.date | str,
    amount: Any,
    unit: str,
    category: str,
    topics: Any = (),
    evidence_note: str = "",
    hours: Any = None,
    provider_approved: bool | None = None,
    related_to_certificate: bool = True,
) -> CreditAward:
    """Record learning done outside Trellis (a college course, a conference) for an educator.
    Without `hours`, hour-like units give their amount as clock hours (see HOURS_PER_UNIT)."""
    with transaction.atomic():
        _require_manager(access)
        _require_member(access, educator)
        clean_title = clean_text(title, field="title", label="title", max_length=300, required=True)
        clean_provider = clean_text(
            provider, field="provider", label="provider", max_length=200, required=False
        )
        day = clean_date(completed_on, field="completed_on", label="completion date")
        today = district_today(access.district)
        if day > today:
            raise DomainError(
                "completed_in_future",
                f"The completion date {day.isoformat()} is in the future; record learning once "
                "it is done.",
                details={"field": "completed_on"},
            )
        value = clean_decimal(amount, field="amount", label="amount", max_value=MAX_AMOUNT)
        try:
            clean_unit = Unit(unit)
        except ValueError:
            raise DomainError(
                "unknown_unit",
                f"Unknown unit “{unit}”; use one of {', '.join(Unit)}.",
                details={"field": "unit"},
            ) from None
        try:
            clean_category = Category(category)
        except ValueError:
            raise DomainError(
                "unknown_category",
                f"Unknown category “{category}”; use one of {', '.join(Category)}.",
                details={"field": "category"},
            ) from None
        tags = clean_topics(topics)
        note = clean_text(
            evidence_note,
            field="evidence_note",
            label="evidence note",
            max_length=2000,
            required=False,
            multiline=True,
        )
        if hours in (None, ""):
            clock_hours = value * HOURS_PER_UNIT.get(clean_unit, Decimal(0))
        else:
            clock_hours = clean_decimal(
                hours, field="hours", label="clock hours", max_value=MAX_AMOUNT, allow_zero=True
            )
        if provider_approved not in (None, True, False):
            raise DomainError(
                "invalid_provider_approved",
                "Say whether the provider is approved: yes, no or not known.",
                details={"field": "provider_approved"},
            )
        award = award_credit(
            district=access.district,
            educator=educator,
            source=CreditSource.EXTERNAL,
            source_ref=uuid.uuid4().hex,
            title=clean_title,
            completed_on=day,
            amount=value,
            unit=clean_unit,
            category=clean_category,
            hours=clock_hours,
            provider=clean_provider,
            provider_approved=provider_approved,
            topics=tags,
            related_to_certificate=bool(related_to_certificate),
            actor=actor,
        )
        if note:
            audit.record(
                action="credit.evidence_noted",
                summary=f"Evidence for “{clean_title}”",
                actor=actor,
                subject=educator,
                district=access.district,
                target=award,
                data={"evidence_note": note},
            )
    return award


@transaction.atomic
def revoke_award(
    *, access: DistrictAccess, actor: Any, award: CreditAward, reason: str
) -> CreditAward:
    """Take an award out of renewal progress, transcripts and salary lanes, with the reason.
    The row stays (the audit trail); the same achievement is never credited again."""
    _require_manager(access)
    if award.district_id != access.district.pk:
        raise DomainError("unknown_award", "That award is not one of this district's.")
    why = clean_text(
        reason, field="reason", label="reason", max_length=1000, required=True, multiline=True
    )
    locked = CreditAward.objects.select_for_update().get(pk=award.pk)
    if locked.revoked_at is not None:
        raise ConflictError(
            "already_revoked",
            f"“{locked.title}” was already revoked on {locked.revoked_at:%Y-%m-%d}.",
        )
    locked.revoked_at, locked.revoked_reason = timezone.now(), why
    locked.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    audit.record(
        action="credit.revoked",
        summary=f"Revoked {_amount_in(locked.amount, locked.unit)} for “{locked.title}”",
        actor=actor,
        subject=locked.educator,
        district=access.district,
        target=locked,
        data={"reason": why},
    )
    award.revoked_at, award.revoked_reason = locked.revoked_at, locked.revoked_reason
    return locked


def _amount_in(value: Decimal, unit: str) -> str:
    try:
        return amount_text(value, Unit(unit))
    except ValueError:  # a unit retired since the award was made keeps its code
        return f"{plain_number(value)} {unit}"

"""The district's rules for counting informal learning toward credit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.informal.models import EntryFormat, InformalRules

MAX_YEARLY_CAP = Decimal(1000)
MAX_ENTRY_CAP = Decimal(24)


def _cap(value: Any, *, field: str, label: str, maximum: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(
            "bad_cap", f"Enter the {label} as a number of hours.", details={"field": field}
        ) from None
    if not hours.is_finite() or hours <= 0 or hours > maximum:
        raise DomainError(
            "cap_out_of_range",
            f"The {label} must be more than 0 and at most {maximum} hours.",
            details={"field": field},
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise DomainError(
            "cap_too_precise",
            f"Give the {label} to at most two decimals.",
            details={"field": field},
        )
    return hours


@transaction.atomic
def update_rules(
    *,
    access: DistrictAccess,
    actor: Any,
    counts_toward_credit: bool,
    yearly_cap_hours: Any = None,
    entry_cap_hours: Any = None,
    requires_reflection: bool = True,
    counted_formats: Any = (),
) -> InformalRules:
    """Changes apply to entries counted from now on; credit already given stays."""
    require(access, Perm.MANAGE_CREDIT)
    formats = sorted({str(f) for f in counted_formats or ()})
    unknown = [f for f in formats if f not in EntryFormat.values]
    if unknown:
        raise DomainError(
            "bad_format",
            f"“{unknown[0]}” is not a kind of learning.",
            details={"field": "counted_formats"},
        )
    rules, _ = InformalRules.objects.select_for_update().get_or_create(district=access.district)
    rules.counts_toward_credit = bool(counts_toward_credit)
    rules.yearly_cap_hours = _cap(
        yearly_cap_hours, field="yearly_cap_hours", label="yearly cap", maximum=MAX_YEARLY_CAP
    )
    rules.entry_cap_hours = _cap(
        entry_cap_hours, field="entry_cap_hours", label="cap per entry", maximum=MAX_ENTRY_CAP
    )
    rules.requires_reflection = bool(requires_reflection)
    rules.counted_formats = formats
    rules.updated_by = actor
    rules.save()
    audit.record(
        action="informal.rules.updated",
        summary="Updated the rules for counting informal learning",
        actor=actor,
        district=access.district,
        target=rules,
        data={
            "counts_toward_credit": rules.counts_toward_credit,
            "yearly_cap_hours": str(rules.yearly_cap_hours or ""),
            "entry_cap_hours": str(rules.entry_cap_hours or ""),
            "requires_reflection": rules.requires_reflection,
            "counted_formats": formats,
        },
    )
    return rules

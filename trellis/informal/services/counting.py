"""Turning an entry into credit under the district's rules and caps.

The credit ledger has no "adjust": an award is final once made, and only a credit manager can
revoke it. So an entry is counted when it is saved and qualifies; from then on its time, date
and format are fixed (see `entries.update_entry`). An entry that did not count (rules off, no
reflection, cap reached) is looked at again whenever it is edited."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Sum

from trellis.credit.models import CreditAward, CreditSource
from trellis.credit.rules import Category, Unit
from trellis.credit.rules.wording import number
from trellis.credit.services import award_credit
from trellis.informal.models import EntryFormat, InformalEntry, InformalRules

SCHOOL_YEAR_START_MONTH = 7  # a school year runs 1 July to 30 June
CENT = Decimal("0.01")


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    start_year = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return dt.date(start_year, SCHOOL_YEAR_START_MONTH, 1), dt.date(
        start_year + 1, SCHOOL_YEAR_START_MONTH, 1
    ) - dt.timedelta(days=1)


def award_for(entry: InformalEntry) -> CreditAward | None:
    return CreditAward.objects.filter(
        educator_id=entry.educator_id, source=CreditSource.INFORMAL, source_ref=str(entry.public_id)
    ).first()


def counted_in_year(*, district: Any, educator: Any, day: dt.date) -> Decimal:
    start, end = school_year(day)
    total = CreditAward.objects.filter(
        district=district,
        educator=educator,
        source=CreditSource.INFORMAL,
        revoked_at__isnull=True,
        completed_on__range=(start, end),
    ).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def _hours(value: Decimal) -> str:
    return f"{number(value)} h"


def count_entry(entry: InformalEntry, *, actor: Any = None) -> None:
    """Decide whether (and how much of) `entry` counts, credit it, and save the outcome on it.
    Call inside the writing transaction; the rules row is locked so two entries saved at once
    cannot both take the last hours under the cap."""
    rules = InformalRules.objects.select_for_update().filter(district=entry.district).first()
    counted, note = _decide(entry, rules)
    if counted is not None and counted > 0:
        award_credit(
            district=entry.district,
            educator=entry.educator,
            source=CreditSource.INFORMAL,
            source_ref=str(entry.public_id),
            title=entry.title,
            completed_on=entry.learned_on,
            amount=counted,
            unit=Unit.CLOCK_HOUR,
            category=Category.INFORMAL,
            hours=counted,
            provider=EntryFormat(entry.format).label,
            actor=actor,
        )
    entry.counted_hours, entry.credit_note = counted, note[:300]
    entry.save(update_fields=["counted_hours", "credit_note", "updated_at"])


def _decide(entry: InformalEntry, rules: InformalRules | None) -> tuple[Decimal | None, str]:
    existing = award_for(entry)
    if existing is not None:
        if existing.revoked_at is not None:
            return None, "The credit for this entry was revoked, so it is not counted again."
        return existing.hours, entry.credit_note
    if rules is None or not rules.counts_toward_credit:
        return None, "Your district does not count informal learning toward credit."
    if rules.counted_formats and entry.format not in rules.counted_formats:
        label = EntryFormat(entry.format).label.lower()
        return None, f"Your district does not count “{label}” learning toward credit."
    if rules.requires_reflection and not entry.reflection.strip():
        return None, "Add a reflection to count this toward credit."
    hours = entry.hours
    allowed, reason = hours, ""
    if rules.entry_cap_hours is not None and allowed > rules.entry_cap_hours:
        allowed = rules.entry_cap_hours
        reason = f"the district counts at most {_hours(rules.entry_cap_hours)} for one entry"
    if rules.yearly_cap_hours is not None:
        used = counted_in_year(
            district=entry.district, educator=entry.educator, day=entry.learned_on
        )
        remaining = max(Decimal(0), rules.yearly_cap_hours - used)
        if allowed > remaining:
            allowed = remaining
            reason = (
                f"the district counts at most {_hours(rules.yearly_cap_hours)} of informal "
                "learning a year"
            )
    allowed = allowed.quantize(CENT, rounding=ROUND_DOWN)
    if not reason:
        return allowed, f"Counted {_hours(allowed)}."
    return allowed, f"Counted {number(allowed)} of {_hours(hours)}: {reason}."

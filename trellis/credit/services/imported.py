"""Counting badges educators imported from elsewhere toward credit, where the district allows it.

The district's rule (CreditSettings): each *verified* imported credential counts for N clock
hours, with an optional cap per school year (1 July to 30 June, by the credential's issue date).
Off by default. A credit manager reviews each import and counts it or declines it with a reason
the educator is told (the review step): Trellis checked the signature when it was imported, but
only a person can judge whether the learning behind a badge from another organisation is worth
renewal credit."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.ids import public_id_or_404
from trellis.credentials.models import ImportedBadge
from trellis.credit.models import (
    CreditAward,
    CreditSettings,
    CreditSource,
    ImportedCreditDecline,
)
from trellis.credit.queries.renewal import district_today, school_year_start
from trellis.credit.rules import Category, Unit
from trellis.credit.rules.wording import number
from trellis.credit.services._common import _require_manager
from trellis.credit.services.ledger import award_credit
from trellis.credit.validation import clean_decimal, clean_text
from trellis.districts.queries import DistrictAccess
from trellis.notifications import services as notifications
from trellis.notifications.models import Kind

MAX_HOURS_EACH = Decimal("999.99")
MAX_CAP_HOURS = Decimal("9999.99")
MAX_REASON = 500
CENT = Decimal("0.01")


@transaction.atomic
def set_imported_credential_rule(
    *, access: DistrictAccess, actor: Any, hours_each: Any, cap_hours: Any = None
) -> CreditSettings:
    """Set (or, with `hours_each` empty, turn off) how much a verified imported credential
    counts for, and the yearly cap (empty: none)."""
    _require_manager(access)
    each = (
        None
        if hours_each in (None, "")
        else clean_decimal(
            hours_each, field="hours_each", label="hours each", max_value=MAX_HOURS_EACH
        )
    )
    cap = (
        None
        if cap_hours in (None, "")
        else clean_decimal(
            cap_hours, field="cap_hours", label="yearly cap", max_value=MAX_CAP_HOURS
        )
    )
    if each is None and cap is not None:
        raise DomainError(
            "cap_without_hours",
            "Set the hours each imported credential counts for before a cap.",
            details={"field": "cap_hours"},
        )
    row = CreditSettings.objects.select_for_update().filter(
        district=access.district
    ).first() or CreditSettings(district=access.district)
    before = (row.imported_credential_hours, row.imported_credential_cap_hours)
    if row.pk is not None and before == (each, cap):
        return row
    row.imported_credential_hours, row.imported_credential_cap_hours = each, cap
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit.record(
        action="credit.imported_rule_changed",
        summary=describe_rule(row),
        actor=actor,
        district=access.district,
        target=row,
        target_label=f"Credit settings of {access.district.name}",
        data={
            "hours_each": number(each) if each is not None else "",
            "cap_hours": number(cap) if cap is not None else "",
        },
    )
    return row


def describe_rule(row: CreditSettings | None) -> str:
    if row is None or row.imported_credential_hours is None:
        return "Imported credentials do not count toward credit."
    text = f"Each verified imported credential counts for {number(row.imported_credential_hours)} h"
    if row.imported_credential_cap_hours is not None:
        text += f", up to {number(row.imported_credential_cap_hours)} h a school year"
    return text + "."


def awaiting_review(access: DistrictAccess) -> QuerySet[ImportedBadge]:
    """The district's verified imports neither counted (an award, even a revoked one, keeps it
    out) nor declined, oldest first."""
    _require_manager(access)
    counted = CreditAward.objects.filter(
        district=access.district, source=CreditSource.IMPORTED
    ).values_list("source_ref", flat=True)
    return (
        ImportedBadge.objects.filter(
            district=access.district, verified=True, credit_decline__isnull=True
        )
        .exclude(public_id__in=[str(ref) for ref in counted])
        .select_related("owner")
        .order_by("created_at", "id")
    )


def _locked_badge(access: DistrictAccess, badge_public_id: Any) -> ImportedBadge:
    badge = (
        ImportedBadge.objects.select_for_update()
        .filter(district=access.district, public_id=public_id_or_404(badge_public_id, "badge"))
        .select_related("owner")
        .first()
    )
    if badge is None:
        raise Http404("No such imported credential.")
    return badge


def _require_undecided(badge: ImportedBadge) -> None:
    if not badge.verified:
        raise DomainError(
            "import_not_verified",
            "Only verified imported credentials count toward credit; this one did not verify.",
        )
    if CreditAward.objects.filter(
        educator=badge.owner, source=CreditSource.IMPORTED, source_ref=str(badge.public_id)
    ).exists():
        raise ConflictError("already_counted", "That imported credential was already counted.")
    if ImportedCreditDecline.objects.filter(badge=badge).exists():
        raise ConflictError(
            "already_declined", "That imported credential was already declined for credit."
        )


def _day_of(badge: ImportedBadge, today: dt.date) -> dt.date:
    day = timezone.localdate(badge.issued_on) if badge.issued_on else badge.created_at.date()
    return min(day, today)


def counted_in_year(*, district: Any, educator: Any, day: dt.date) -> Decimal:
    start = school_year_start(day)
    end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    total = CreditAward.objects.filter(
        district=district,
        educator=educator,
        source=CreditSource.IMPORTED,
        revoked_at__isnull=True,
        completed_on__range=(start, end),
    ).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


@transaction.atomic
def count_imported_credential(
    *, access: DistrictAccess, actor: Any, badge_public_id: Any
) -> CreditAward:
    """Credit a verified imported credential under the district's rule (the reviewer's
    decision). DomainError when the rule is off or the import is not verified; ConflictError
    when it already counted, was declined, or the educator's yearly cap is used up; nothing is
    written then."""
    _require_manager(access)
    badge = _locked_badge(access, badge_public_id)
    # The settings row is locked so two reviews at once cannot both take the last capped hours.
    rule = CreditSettings.objects.select_for_update().filter(district=access.district).first()
    if rule is None or rule.imported_credential_hours is None:
        raise DomainError(
            "imported_credit_off",
            "Your district does not count imported credentials toward credit; set the hours "
            "each one counts for first.",
        )
    _require_undecided(badge)
    day = _day_of(badge, district_today(access.district))
    hours = Decimal(rule.imported_credential_hours)
    if rule.imported_credential_cap_hours is not None:
        used = counted_in_year(district=access.district, educator=badge.owner, day=day)
        hours = min(hours, max(Decimal(0), rule.imported_credential_cap_hours - used))
    hours = hours.quantize(CENT, rounding=ROUND_DOWN)
    if hours <= 0:
        raise ConflictError(
            "cap_reached",
            f"{badge.owner.full_name or badge.owner.email} already has "
            f"{number(rule.imported_credential_cap_hours)} h from imported credentials this "
            "school year, the district's cap.",
        )
    return award_credit(
        district=access.district,
        educator=badge.owner,
        source=CreditSource.IMPORTED,
        source_ref=str(badge.public_id),
        title=badge.achievement_name,
        completed_on=day,
        amount=hours,
        unit=Unit.CLOCK_HOUR,
        category=Category.MICRO_CREDENTIAL,
        hours=hours,
        provider=badge.issuer_name,
        actor=actor,
    )


@transaction.atomic
def decline_imported_credential(
    *, access: DistrictAccess, actor: Any, badge_public_id: Any, reason: Any
) -> ImportedCreditDecline:
    """Take a verified import out of the review queue without counting it, and tell its owner
    why. Http404 for another district's import; DomainError for an empty or long reason or an
    unverified import; ConflictError when it was already counted or declined."""
    _require_manager(access)
    badge = _locked_badge(access, badge_public_id)
    why = clean_text(
        reason, field="reason", label="reason", max_length=MAX_REASON, required=True, multiline=True
    )
    _require_undecided(badge)
    decline = ImportedCreditDecline.objects.create(
        district=access.district,
        badge=badge,
        reason=why,
        declined_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        action="credit.imported_declined",
        summary=f"Declined “{badge.achievement_name}” ({badge.issuer_name}) for credit",
        actor=actor,
        subject=badge.owner,
        district=access.district,
        target=badge,
        target_label=badge.achievement_name,
        data={"reason": why},
    )
    notifications.notify(
        badge.owner,
        district=access.district,
        kind=Kind.DECISION,
        subject=f"“{badge.achievement_name}” does not count toward credit",
        lines=[
            f"The badge you imported, “{badge.achievement_name}” from {badge.issuer_name}, was "
            "reviewed and does not count toward renewal credit in "
            f"{access.district.name}.",
            f"Reason: {why}",
        ],
        path=reverse("credentials_portability:imported_detail", args=[badge.public_id]),
    )
    return decline

"""Reads behind the review of imported credentials: one import with the decision on it (counted,
declined or waiting), for the credit manager's review page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.credentials.models import ImportedBadge
from trellis.credit.models import (
    CreditAward,
    CreditSettings,
    CreditSource,
    ImportedCreditDecline,
)
from trellis.districts.queries import DistrictAccess


@dataclass(frozen=True)
class ImportReview:
    badge: ImportedBadge
    award: CreditAward | None  # counted (possibly revoked since)
    decline: ImportedCreditDecline | None

    @property
    def waiting(self) -> bool:
        return self.badge.verified and self.award is None and self.decline is None


def get_import_for_review(access: DistrictAccess, public_id: Any) -> ImportReview:
    """One of the district's imports (404 for another district's) and what was decided."""
    badge = (
        ImportedBadge.objects.filter(
            district=access.district, public_id=public_id_or_404(public_id, "imported credential")
        )
        .select_related("owner")
        .first()
    )
    if badge is None:
        raise Http404("No such imported credential.")
    award = CreditAward.objects.filter(
        district=access.district,
        educator=badge.owner,
        source=CreditSource.IMPORTED,
        source_ref=str(badge.public_id),
    ).first()
    decline = (
        ImportedCreditDecline.objects.filter(badge=badge).select_related("declined_by").first()
    )
    return ImportReview(badge=badge, award=award, decline=decline)


def imports_of(access: DistrictAccess, educator: Any) -> list[ImportReview]:
    """The educator's own imports in this district with the credit decision on each, newest
    first (three queries), for their transcript: counted, declined (with the reason), waiting for
    review, or not verified."""
    badges = list(
        ImportedBadge.objects.filter(district=access.district, owner=educator).order_by(
            "-created_at", "-id"
        )
    )
    if not badges:
        return []
    refs = [str(badge.public_id) for badge in badges]
    awards = {
        award.source_ref: award
        for award in CreditAward.objects.filter(
            district=access.district,
            educator=educator,
            source=CreditSource.IMPORTED,
            source_ref__in=refs,
        )
    }
    declines = {
        decline.badge_id: decline
        for decline in ImportedCreditDecline.objects.filter(badge__in=badges)
    }
    return [
        ImportReview(
            badge=badge,
            award=awards.get(str(badge.public_id)),
            decline=declines.get(badge.pk),
        )
        for badge in badges
    ]


def imported_credit_on(access: DistrictAccess) -> bool:
    """Whether the district counts verified imported credentials toward credit at all."""
    return CreditSettings.objects.filter(
        district=access.district, imported_credential_hours__isnull=False
    ).exists()

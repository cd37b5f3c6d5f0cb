"""Reads behind the review of imported credentials: one import with the decision on it (counted,
declined or waiting), for the credit manager's review page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.credentials.models import ImportedBadge
from trellis.credit.models import CreditAward, CreditSource, ImportedCreditDecline
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

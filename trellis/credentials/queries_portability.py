"""District-scoped reads for transcripts, OB 2.0 export, imported badges and issuance batches.
Missing and forbidden look the same: Http404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.credentials.models import (
    BatchItemState,
    CredentialStatus,
    ImportedBadge,
    IssuanceBatch,
    IssuanceBatchItem,
    IssuedCredential,
    IssuerProfile,
    Visibility,
)
from trellis.districts.queries import DistrictAccess


def public_credential(public_id: Any) -> IssuedCredential:
    """An issued credential its owner made public (any status: a revoked one still answers, as
    OB 2.0 hosted verification requires). Http404 for private or unknown ones."""
    uuid = public_id_or_404(public_id, "credential")
    try:
        return IssuedCredential.objects.select_related("issuer", "district", "recipient").get(
            public_id=uuid, visibility=Visibility.PUBLIC
        )
    except IssuedCredential.DoesNotExist:
        raise Http404("No such credential.") from None


def issuer_for_slug(slug: str) -> IssuerProfile:
    try:
        return IssuerProfile.objects.select_related("district").get(district__slug=slug)
    except IssuerProfile.DoesNotExist:
        raise Http404("No such issuer.") from None


def my_active_credentials(access: DistrictAccess, user: Any) -> QuerySet[IssuedCredential]:
    """The caller's valid credentials in this district, newest first."""
    return IssuedCredential.objects.filter(
        district=access.district, recipient=user, status=CredentialStatus.ACTIVE
    ).order_by("-issued_at", "-id")


def my_imported_badges(access: DistrictAccess, user: Any) -> QuerySet[ImportedBadge]:
    return ImportedBadge.objects.filter(district=access.district, owner=user).order_by(
        "-created_at", "-id"
    )


def get_my_imported_badge(access: DistrictAccess, user: Any, public_id: Any) -> ImportedBadge:
    uuid = public_id_or_404(public_id, "imported badge")
    try:
        return my_imported_badges(access, user).get(public_id=uuid)
    except ImportedBadge.DoesNotExist:
        raise Http404("No such imported badge.") from None


def batches(access: DistrictAccess) -> QuerySet[IssuanceBatch]:
    return IssuanceBatch.objects.filter(district=access.district).select_related("created_by")


def get_batch(access: DistrictAccess, public_id: Any) -> IssuanceBatch:
    uuid = public_id_or_404(public_id, "batch")
    try:
        return batches(access).get(public_id=uuid)
    except IssuanceBatch.DoesNotExist:
        raise Http404("No such batch.") from None


def failed_items(batch: IssuanceBatch) -> QuerySet[IssuanceBatchItem]:
    return batch.items.filter(state=BatchItemState.FAILED).select_related("recipient")

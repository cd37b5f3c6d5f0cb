"""Erasing one educator's personal data in one district, on a privacy request. The policy is in
`policy.py` (and on the page); each owning app deletes its own rows (`erase_personal_data` in
its services), this module checks the request, runs them in one transaction, ends the
educator's roles in the district, closes the account when no district is left, and records the
erasure (ErasureRecord and the audit row, with counts only: no personal content)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from trellis.accounts import services as accounts_services
from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.models import Membership
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.privacy import queries
from trellis.privacy.models import ErasureRecord

MAX_REASON = 500


def _check(
    access: DistrictAccess, actor: Any, educator: Any, reason: str, confirmation: str
) -> str:
    require(access, Perm.MANAGE_PEOPLE)
    if not Membership.objects.filter(district=access.district, user=educator).exists():
        raise Http404("No such person.")
    if actor is not None and actor.pk == educator.pk:
        raise DomainError(
            "cannot_erase_self",
            "You cannot erase your own data; ask another district admin.",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            "Give the reason for the erasure (for example, the request's reference).",
            details={"field": "reason"},
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            "reason_too_long",
            f"Keep the reason to {MAX_REASON} characters; it has {len(reason)}.",
            details={"field": "reason"},
        )
    if (confirmation or "").strip().casefold() != educator.email.casefold():
        raise DomainError(
            "confirmation_mismatch",
            "Type the educator's e-mail address exactly to confirm.",
            details={"field": "confirmation"},
        )
    return reason


@transaction.atomic
def erase_educator(
    access: DistrictAccess, actor: Any, educator: Any, *, reason: str, confirmation: str
) -> ErasureRecord:
    """Erase `educator`'s personal data in `access.district` (see policy.py). All or nothing."""
    reason = _check(access, actor, educator, reason, confirmation)
    district = access.district
    everywhere = queries.is_last_district(district, educator)
    counts: dict[str, int] = {}
    for eraser in queries.ERASERS:
        options = queries.eraser_options(eraser, everywhere=everywhere)
        counts.update(eraser.erase_personal_data(district=district, user=educator, **options))
    memberships = Membership.objects.filter(district=district, user=educator)
    counts["districts.memberships"] = memberships.count()
    memberships.delete()
    tokens = 0
    if everywhere:
        tokens = accounts_services.deactivate_account(actor=actor, user=educator)
    record = ErasureRecord.objects.create(
        district=district,
        subject=educator,
        subject_public_id=str(educator.public_id),
        erased_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        counts=counts,
        account_deactivated=everywhere,
    )
    audit.record(
        action="privacy.educator_erased",
        summary=f"Erased an educator's personal data on request ({record.total} records)",
        actor=actor,
        subject=educator,
        district=district,
        target=record,
        data={
            "counts": counts,
            "account_deactivated": everywhere,
            "tokens_revoked": tokens,
            "educator": str(educator.public_id),
        },
    )
    return record

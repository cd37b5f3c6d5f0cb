"""Erasing an educator's personal data on request (district admins): the same service, checks
and policy as the page (trellis/privacy; docs/security.md)."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.districts.permissions import Perm
from trellis.privacy import queries, services

router = Router(tags=["privacy"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ErasureIn(Schema):
    reason: str = ""  # required, at most 500 characters
    confirmation: str = ""  # the educator's e-mail address, as typed on the page


class ErasureOut(Schema):
    id: uuid.UUID
    educator_id: uuid.UUID
    counts: dict[str, int]
    account_deactivated: bool
    erased_at: dt.datetime


@router.post("/people/{person_id}/erase", response={201: ErasureOut, **ERRORS})
def erase(request: HttpRequest, person_id: uuid.UUID, payload: ErasureIn) -> tuple[int, ErasureOut]:
    """Erase a member's personal data in the caller's district (counts per kind in the answer).
    400 `reason_required` / `reason_too_long` / `confirmation_mismatch` / `cannot_erase_self`,
    404 for someone outside the district."""
    access = require(request, Perm.MANAGE_PEOPLE)
    educator = queries.educator_for(access, person_id)
    record = services.erase_educator(
        access,
        request.user,
        educator,
        reason=payload.reason,
        confirmation=payload.confirmation,
    )
    return 201, ErasureOut(
        id=record.public_id,
        educator_id=educator.public_id,
        counts=record.counts,
        account_deactivated=record.account_deactivated,
        erased_at=record.created_at,
    )

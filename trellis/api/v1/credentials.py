"""Issued credentials: GET /credentials (the caller's; for a district's credential admins, every
credential the district issued), GET /credentials/{id} (the signed document) and
POST /credentials/{id}/revoke, /suspend and /unsuspend."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.credentials import queries
from trellis.credentials.models import IssuedCredential
from trellis.credentials.services import lifecycle
from trellis.districts.permissions import Perm

router = Router(tags=["credentials"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class RecipientOut(Schema):
    name: str
    email: str


class CredentialOut(Schema):
    id: str  # the credential's id URL
    public_id: uuid.UUID
    name: str
    recipient: RecipientOut | None
    issued_at: dt.datetime
    status: str
    status_reason: str
    visibility: str


class RevokeIn(Schema):
    reason: str = Field("", max_length=300)


class UnsuspendIn(Schema):
    reason: str = Field("", max_length=300)


def _out(credential: IssuedCredential) -> CredentialOut:
    recipient = credential.recipient
    return CredentialOut(
        id=credential.document.get("id", ""),
        public_id=credential.public_id,
        name=credential.achievement_name,
        recipient=RecipientOut(name=recipient.full_name, email=recipient.email)
        if recipient
        else None,
        issued_at=credential.issued_at,
        status=credential.status,
        status_reason=credential.status_reason,
        visibility=credential.visibility,
    )


@router.get("/credentials", response=list[CredentialOut])
@paginate(LimitOffsetPagination)
def list_credentials(request: HttpRequest) -> Any:
    """Newest first. Educators get their own credentials; district credential admins get every
    credential the district issued."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return MappedPage(
        queries.credentials_for_api(access, request.user),
        lambda rows: [_out(row) for row in rows],
    )


@router.get("/credentials/{credential_id}", response={200: dict, **ERRORS})
def get_credential(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    """The signed OB 3.0 credential exactly as issued (with its Data Integrity proof)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    credential = queries.get_for_access(access, request.user, credential_id)
    return JsonResponse(
        credential.document,
        content_type="application/vc+ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


@router.post("/credentials/{credential_id}/revoke", response={200: CredentialOut, **ERRORS})
def revoke_credential(
    request: HttpRequest, credential_id: uuid.UUID, payload: RevokeIn
) -> CredentialOut:
    """Revoke (admins): 400 `reason_required`, 404 for another district's credential, 409
    `already_revoked`."""
    access = require(request, Perm.MANAGE_CREDENTIALS)
    credential = lifecycle.revoke_credential(
        access, credential_id, reason=payload.reason, actor=request.user
    )
    return _out(credential)


@router.post("/credentials/{credential_id}/suspend", response={200: CredentialOut, **ERRORS})
def suspend_credential(
    request: HttpRequest, credential_id: uuid.UUID, payload: RevokeIn
) -> CredentialOut:
    """Suspend, reversibly (admins): 400 `reason_required`, 404 for another district's
    credential, 409 `already_suspended`, `already_revoked` or `not_suspendable` (issued without
    a suspension entry)."""
    access = require(request, Perm.MANAGE_CREDENTIALS)
    credential = lifecycle.suspend_credential(
        access, credential_id, reason=payload.reason, actor=request.user
    )
    return _out(credential)


@router.post("/credentials/{credential_id}/unsuspend", response={200: CredentialOut, **ERRORS})
def unsuspend_credential(
    request: HttpRequest, credential_id: uuid.UUID, payload: UnsuspendIn
) -> CredentialOut:
    """Lift a suspension (admins; the reason is optional): 404 for another district's
    credential, 409 `not_suspended`."""
    access = require(request, Perm.MANAGE_CREDENTIALS)
    credential = lifecycle.unsuspend_credential(
        access, credential_id, reason=payload.reason, actor=request.user
    )
    return _out(credential)

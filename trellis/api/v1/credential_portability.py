"""Credential portability for the caller: their CLR 2.0 transcript and the badges they imported
from elsewhere. Mounted at "/" with full paths (/me/transcript/clr, /me/imported-badges).

`GET /me/transcript` is the credit transcript; the signed CLR 2.0 document is
`GET /me/transcript/clr` (optionally `?credential=<id>&credential=<id>` to choose)."""

import base64
import binascii
import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, require
from trellis.core.errors import DomainError
from trellis.credentials import queries_portability as queries
from trellis.credentials.models import ImportedBadge, Visibility
from trellis.credentials.services import imports
from trellis.credentials.services.transcripts import export_transcript
from trellis.districts.permissions import Perm

router = Router(tags=["credentials"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ImportedBadgeOut(Schema):
    id: uuid.UUID
    format: str
    credential_id: str
    issuer_name: str
    achievement_name: str
    issued_on: dt.datetime | None
    verified: bool
    verification: dict[str, Any]
    verified_at: dt.datetime
    visibility: str
    document: dict[str, Any]
    jwt: str
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: ImportedBadge) -> uuid.UUID:
        return obj.public_id


class ImportIn(Schema):
    badge: dict[str, Any] | str | None = None
    image_base64: str | None = None
    keep_unverified: bool = False
    visibility: str = Visibility.PRIVATE


class TranscriptQuery(Schema):
    credential: list[str] | None = None


@router.get("/me/transcript/clr", response={200: dict[str, Any], **ERRORS})
def clr_transcript(request: HttpRequest, filters: Query[TranscriptQuery]):
    """The caller's valid credentials as one signed CLR 2.0 ClrCredential."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return export_transcript(access=access, actor=request.user, credential_ids=filters.credential)


@router.get("/me/imported-badges", response={200: list[ImportedBadgeOut], **ERRORS})
@paginate(LimitOffsetPagination)
def imported_badges(request: HttpRequest):
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return queries.my_imported_badges(access, request.user)


@router.post("/me/imported-badges", response={201: ImportedBadgeOut, **ERRORS})
def import_badge(request: HttpRequest, body: ImportIn):
    """Import a badge: `badge` is the credential JSON object, a VC-JWT or OB 2.0 assertion, or
    `image_base64` a baked PNG/SVG. A badge that does not verify is refused (400
    `verification_failed`, with the itemised checks in details) unless `keep_unverified`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    if (body.badge is None) == (body.image_base64 is None):
        raise DomainError("badge_required", "Send either `badge` or `image_base64`.")
    data: bytes | str
    if body.image_base64 is not None:
        try:
            data = base64.b64decode(body.image_base64, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("bad_base64", "`image_base64` is not valid base64.") from None
    elif isinstance(body.badge, dict):
        data = json.dumps(body.badge)
    else:
        data = body.badge or ""
    badge = imports.import_badge(
        access=access,
        actor=request.user,
        data=data,
        keep_unverified=body.keep_unverified,
        visibility=body.visibility,
    )
    return 201, badge


@router.get("/me/imported-badges/{badge_id}", response={200: ImportedBadgeOut, **ERRORS})
def imported_badge(request: HttpRequest, badge_id: str):
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return queries.get_my_imported_badge(access, request.user, badge_id)


@router.delete("/me/imported-badges/{badge_id}", response={204: None, **ERRORS})
def delete_imported_badge(request: HttpRequest, badge_id: str):
    access = require(request, Perm.VIEW_OWN_LEARNING)
    badge = queries.get_my_imported_badge(access, request.user, badge_id)
    imports.delete_badge(access=access, actor=request.user, badge=badge)
    return 204, None

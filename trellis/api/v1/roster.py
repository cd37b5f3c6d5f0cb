"""Roster imports: upload (preview or apply), progress and results, applying a preview."""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, require
from trellis.districts.permissions import Perm
from trellis.roster import queries, services
from trellis.roster.models import COUNT_KEYS, RosterImport
from trellis.roster.parsing import MAX_UPLOAD_BYTES, UploadTooLarge

router = Router(tags=["roster"])


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class RosterImportSummaryOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    file_name: str
    format: RosterImport.Format
    source: RosterImport.Source
    status: RosterImport.Status
    phase: RosterImport.Phase
    step: str
    dry_run: bool
    full_sync: bool
    can_apply: bool
    total_rows: int
    processed_rows: int
    progress: int = Field(..., alias="percent", description="Percent of rows processed")
    counts: dict[str, int]
    error_count: int
    created_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    applied_at: dt.datetime | None

    @staticmethod
    def resolve_counts(obj: RosterImport) -> dict[str, int]:
        return {key: obj.count(key) for key in COUNT_KEYS}

    @staticmethod
    def resolve_created_by(obj: RosterImport) -> str | None:
        return obj.created_by.email if obj.created_by else None


class RosterImportOut(RosterImportSummaryOut):
    message: str
    errors: list[RowErrorOut] = Field(..., description="Row errors, the first 1,000")
    notices: list[str]
    preview: dict = Field(..., description="Samples of the changes: creates, updates, …")


@router.post(
    "/roster-imports",
    response={201: RosterImportOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut},
)
def create_roster_import(
    request: HttpRequest,
    file: File[list[UploadedFile]],
    format: Form[Literal["auto", "csv", "oneroster"]] = "auto",
    dry_run: Form[bool] = False,
    full_sync: Form[bool] = False,
    send_invitations: Form[bool] = False,
) -> tuple[int, RosterImport]:
    """Upload a roster (multipart `file`: a CSV, a OneRoster zip, or the OneRoster CSV files).

    The import runs in the background: poll `GET /roster-imports/{id}`. With `dry_run` it stops
    at a preview; without it, a file with invalid rows also stops at a preview (nothing written)
    until `POST /roster-imports/{id}/apply`.
    """
    access = require(request, Perm.IMPORT_ROSTER)
    if sum(upload.size or 0 for upload in file) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            "file_too_large", f"The upload is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
    item = services.start_import(
        access=access,
        actor=request.user,
        uploads=[services.Upload(name=upload.name or "", data=upload.read()) for upload in file],
        fmt=format,
        dry_run=dry_run,
        full_sync=full_sync,
        send_invitations=send_invitations,
        source=RosterImport.Source.API,
    )
    item.refresh_from_db()
    return 201, item


@router.get("/roster-imports", response=list[RosterImportSummaryOut])
@paginate(LimitOffsetPagination)
def list_roster_imports(request: HttpRequest) -> object:
    """The district's roster imports, newest first."""
    return queries.imports_for(require(request, Perm.IMPORT_ROSTER))


@router.get("/roster-imports/{import_id}", response={200: RosterImportOut, 404: ErrorOut})
def get_roster_import(request: HttpRequest, import_id: uuid.UUID) -> RosterImport:
    """Status, progress, counts, row errors and the preview of one import."""
    return queries.get_import(require(request, Perm.IMPORT_ROSTER), import_id)


@router.post(
    "/roster-imports/{import_id}/apply",
    response={200: RosterImportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def apply_roster_import(request: HttpRequest, import_id: uuid.UUID) -> RosterImport:
    """Apply the valid rows of a finished preview (runs in the background; poll the import)."""
    access = require(request, Perm.IMPORT_ROSTER)
    item = queries.get_import(access, import_id)
    return services.request_apply(access=access, actor=request.user, roster_import=item)

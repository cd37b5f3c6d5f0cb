"""Resumable evidence uploads (the API twin of the workspace's chunked uploads; see
trellis.microcredentials.services.uploads). Mounted at "/" with full paths (see api.py).

Start with POST /submissions/{id}/uploads, then PUT each chunk in order to /uploads/{id} with
`Content-Range: bytes start-end/total` and the raw bytes as the body (at most 8 MB; 4 MB
suggested). A wrong start is 409 `wrong_offset` with `error.details.received`; after a dropped
connection GET /uploads/{id} says where to continue. The last chunk answers 201 with the
artifact, or the reason the file was refused (the upload is then `failed`)."""

import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.api.v1.mc_earning import ArtifactOut, _artifact
from trellis.districts.permissions import Perm
from trellis.microcredentials.chunks import parse_content_range, read_chunk
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.queries import uploads as upload_queries
from trellis.microcredentials.services import uploads as services

router = Router(tags=["micro-credential uploads"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class UploadStartIn(Schema):
    part: uuid.UUID = Field(..., description="The artifact part the file is for")
    filename: str = Field(..., max_length=1000)
    size: int = Field(..., description="The whole file's size in bytes")
    description: str = ""


class UploadOut(Schema):
    id: uuid.UUID
    status: str = Field(..., description="receiving, complete, failed or abandoned")
    received: int = Field(..., description="Bytes stored so far: the next chunk starts here")
    size: int
    chunk_size: int = Field(..., description="The chunk size to send (bytes)")
    error: str = Field(..., description="Why a failed upload was refused")
    artifact: ArtifactOut | None = None


def _out(state: services.UploadState, request: HttpRequest) -> UploadOut:
    return UploadOut(
        id=state.id,
        status=state.status,
        received=state.received,
        size=state.size,
        chunk_size=state.chunk_size,
        error=state.error,
        artifact=_artifact(state.artifact, request) if state.artifact is not None else None,
    )


def _session(request: HttpRequest, upload_id: uuid.UUID) -> tuple:
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return access, upload_queries.get_upload_for(access, request.user, upload_id)


@router.post("/submissions/{submission_id}/uploads", response={201: UploadOut, **ERRORS})
def start_upload(
    request: HttpRequest, submission_id: uuid.UUID, payload: UploadStartIn
) -> tuple[int, UploadOut]:
    """Start an upload (or get the one already receiving the same file, to resume). 400
    `file_too_large`, `invalid_size`, `kind_not_accepted`, `too_many_files`; 409
    `too_many_uploads`, `submission_locked`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    submission = queries.get_own_submission(access, request.user, submission_id)
    session = services.start_upload(
        access=access,
        actor=request.user,
        submission=submission,
        part=queries.get_part(submission, payload.part),
        filename=payload.filename,
        size=payload.size,
        description=payload.description,
    )
    return 201, _out(services.status(access=access, actor=request.user, session=session), request)


@router.get("/uploads/{upload_id}", response={200: UploadOut, **ERRORS})
def upload_status(request: HttpRequest, upload_id: uuid.UUID) -> UploadOut:
    """Where an upload stands: `received` is where the next chunk starts."""
    access, session = _session(request, upload_id)
    return _out(services.status(access=access, actor=request.user, session=session), request)


@router.put("/uploads/{upload_id}", response={200: UploadOut, 201: UploadOut, **ERRORS})
def upload_chunk(request: HttpRequest, upload_id: uuid.UUID) -> tuple[int, UploadOut]:
    """The raw body is the chunk; `Content-Range: bytes start-end/total` says where it goes.
    400 `invalid_range`, `chunk_too_large`, `beyond_size` or the refusal of the finished file;
    409 `wrong_offset` (details.received), `upload_failed`, `upload_abandoned`."""
    access, session = _session(request, upload_id)
    data = read_chunk(request)
    start = parse_content_range(request.headers.get("Content-Range", ""), len(data), session.size)
    session = services.append_chunk(
        access=access, actor=request.user, session=session, offset=start, data=data
    )
    state = services.status(access=access, actor=request.user, session=session)
    return (201 if state.artifact is not None else 200), _out(state, request)


@router.delete("/uploads/{upload_id}", response={204: None, **ERRORS})
def cancel_upload(request: HttpRequest, upload_id: uuid.UUID) -> tuple[int, None]:
    """Cancel an unfinished upload and delete what was received."""
    access, session = _session(request, upload_id)
    services.abandon(access=access, actor=request.user, session=session)
    return 204, None

"""Resumable, chunked uploads of evidence files (a 200 MB video over school Wi-Fi survives a
dropped connection).

A session is started with the file's name and size (refused early when the size is over the
limit its extension suggests, or when the part cannot take another file). Chunks are appended in
order: each must start exactly at the bytes already received (otherwise 409 `wrong_offset`, whose
details carry the offset to continue from), is written to a temporary file under the media root's
`uploads-partial/` and fsynced before the session row counts it. When the last byte arrives the
file goes through `add_artifact` (the same sniffing, limits and storage as a one-shot upload); a
refused file fails the session with the reason. Temporary files are deleted when a session ends;
the cleanup task deletes expired sessions (24 hours) and any stray partial file.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials import filetypes
from trellis.microcredentials.models import (
    Artifact,
    RequirementPart,
    Submission,
    UploadSession,
    UploadStatus,
)
from trellis.microcredentials.services.artifacts import (
    DEFAULT_LIMITS,
    KIND_WORDS,
    MB,
    _accepted_text,
    _check_part,
    _clean_description,
    _size_text,
    add_artifact,
    upload_limit,
)
from trellis.microcredentials.services.submissions import _own, ensure_editable, event

PARTIAL_DIR = "uploads-partial"
CHUNK_SIZE = 4 * MB  # what clients are told to send
MAX_CHUNK = 8 * MB  # the most one request may carry
MAX_ACTIVE = 3  # uploads in progress at once per submission
LIFETIME = dt.timedelta(hours=24)
STALE = dt.timedelta(minutes=30)  # an idle session that may give way to a new one


def partial_dir() -> Path:
    """Where unfinished uploads are written: `uploads-partial/` beside the evidence files."""
    root = getattr(storages["default"], "location", "") or settings.MEDIA_ROOT
    path = Path(root) / PARTIAL_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def temp_path(session: UploadSession) -> Path:
    return partial_dir() / session.temp_name


def _delete_temp(path: Path) -> None:
    path.unlink(missing_ok=True)


def _own_upload(access: DistrictAccess, actor: Any, session: UploadSession) -> None:
    if session.submission.district_id != access.district.pk:
        raise Http404("No such upload.")
    if session.uploader_id != actor.pk:
        raise PermissionDenied("Only the educator who started this upload can continue it.")


def _locked(session: UploadSession) -> UploadSession:
    return (
        UploadSession.objects.select_for_update(of=("self",))
        .select_related("submission", "part", "artifact")
        .get(pk=session.pk)
    )


def _expired(session: UploadSession, now: dt.datetime | None = None) -> bool:
    return session.expires_at <= (now or timezone.now())


def _ensure_receiving(session: UploadSession) -> None:
    if session.status == UploadStatus.COMPLETE:
        raise ConflictError(
            "upload_complete",
            f"“{session.filename}” is already uploaded.",
            details={"received": session.received},
        )
    if session.status == UploadStatus.FAILED:
        raise ConflictError(
            "upload_failed",
            f"This upload failed: {session.error} Choose the file again to start over.",
            details={"received": session.received},
        )
    if session.status == UploadStatus.ABANDONED or _expired(session):
        raise ConflictError(
            "upload_abandoned",
            "This upload was cancelled or has expired (unfinished uploads are kept for 24 "
            "hours). Choose the file again to start over.",
            details={"received": session.received},
        )


def _file_kinds(part: RequirementPart) -> list[str]:
    return [kind for kind in (part.accepted_types or []) if kind in DEFAULT_LIMITS]


def _clean_size(size: Any) -> int:
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = -1
    if size <= 0:
        raise DomainError(
            "invalid_size", "The file's size is missing or not a positive whole number of bytes."
        )
    return size


def _check_size(part: RequirementPart, filename: str, size: int) -> None:
    """Refuse early what cannot fit: the limit of the kind the extension suggests, or else the
    largest limit this part allows. The bytes decide the real kind (and limit) at the end."""
    kinds = _file_kinds(part)
    if not kinds:
        raise DomainError(
            "kind_not_accepted",
            f"“{part.title}” does not take files; it takes {_accepted_text(part)}.",
            details={"field": "file"},
        )
    suggested = filetypes.kind_from_name(filename)
    if suggested in kinds:
        limit = upload_limit(suggested)
        if size > limit:
            raise DomainError(
                "file_too_large",
                f"The file is {_size_text(size)}; {KIND_WORDS[suggested]} may be at most "
                f"{_size_text(limit)}.",
                details={"field": "file"},
            )
        return
    largest = max(upload_limit(kind) for kind in kinds)
    if size > largest:
        raise DomainError(
            "file_too_large",
            f"The file is {_size_text(size)}; the largest accepted here is {_size_text(largest)}.",
            details={"field": "file"},
        )


@transaction.atomic
def start_upload(
    *,
    access: DistrictAccess,
    actor: Any,
    submission: Submission,
    part: RequirementPart,
    filename: str,
    size: Any,
    description: str = "",
) -> UploadSession:
    """A new upload session, or the one already receiving the same file (same part, name and
    size) so a reloaded page resumes it."""
    _own(access, actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    ensure_editable(submission)
    _check_part(submission, part)
    description = _clean_description(description)
    name = filetypes.display_name(filename)
    size = _clean_size(size)
    _check_size(part, name, size)
    now = timezone.now()
    active = UploadSession.objects.filter(
        submission=submission, status=UploadStatus.RECEIVING, expires_at__gt=now
    )
    same = active.filter(uploader=actor, part=part, filename=name, size=size).first()
    if same is not None:
        if description and description != same.description:
            same.description = description
            same.save(update_fields=["description", "updated_at"])
        return same
    if active.count() >= MAX_ACTIVE:
        for stale in active.filter(updated_at__lt=now - STALE):
            _end(stale, actor, UploadStatus.ABANDONED, "Given way to a newer upload.")
        if active.count() >= MAX_ACTIVE:
            raise ConflictError(
                "too_many_uploads",
                f"{MAX_ACTIVE} uploads are already in progress for this submission; let one "
                "finish or cancel it before starting another.",
                details={"field": "file"},
            )
    session = UploadSession(
        submission=submission,
        part=part,
        uploader=actor,
        filename=name,
        description=description,
        size=size,
        temp_name=f"{uuid.uuid4().hex}.part",
        expires_at=now + LIFETIME,
    )
    # Exclusive create: a random name never reuses someone else's file.
    with open(temp_path(session), "xb"):
        pass
    session.save()
    event(
        submission,
        actor,
        "upload_started",
        upload=str(session.public_id),
        part=str(part.public_id),
        size=size,
    )
    return session


def append_chunk(
    *, access: DistrictAccess, actor: Any, session: UploadSession, offset: Any, data: bytes
) -> UploadSession:
    """Append `data` at `offset` (which must equal the bytes received so far). The chunk is on
    disk (fsynced) before it counts. The last chunk finishes the upload (see `finish`); the
    returned session then has its artifact, or `finish`'s DomainError is raised."""
    _own_upload(access, actor, session)
    with transaction.atomic():
        session = _locked(session)
        _ensure_receiving(session)
        ensure_editable(session.submission)
        try:
            offset = int(offset)
        except (TypeError, ValueError):
            offset = -1
        if offset != session.received:
            raise ConflictError(
                "wrong_offset",
                f"The server has the first {session.received} bytes of this file; continue "
                f"from byte {session.received}.",
                details={"received": session.received},
            )
        if not data:
            raise DomainError("empty_chunk", "The chunk is empty.")
        if len(data) > MAX_CHUNK:
            raise DomainError(
                "chunk_too_large",
                f"A chunk may be at most {_size_text(MAX_CHUNK)}; this one is "
                f"{_size_text(len(data))}.",
                details={"max_chunk": MAX_CHUNK},
            )
        if offset + len(data) > session.size:
            raise DomainError(
                "beyond_size",
                f"The chunk goes past the end of the file: {session.size} bytes were declared.",
                details={"received": session.received, "size": session.size},
            )
        try:
            with open(temp_path(session), "r+b") as handle:
                handle.seek(offset)
                handle.write(data)
                handle.truncate()  # drop bytes a request that never counted may have left
                handle.flush()
                os.fsync(handle.fileno())
        except FileNotFoundError:
            raise ConflictError(
                "upload_lost",
                "The partly uploaded file is no longer on the server. Choose the file again to "
                "start over.",
            ) from None
        session.received = offset + len(data)
        session.save(update_fields=["received", "updated_at"])
    if session.received == session.size:
        finish(access=access, actor=actor, session=session)
        session.refresh_from_db()
    return session


def finish(*, access: DistrictAccess, actor: Any, session: UploadSession) -> Artifact:
    """Turn a fully received file into an Artifact through `add_artifact` (sniffing, limits,
    storage, the `artifact_added` event). A refused file fails the session with the reason (kept
    for `status`) and raises the DomainError; the temporary file is deleted either way."""
    _own_upload(access, actor, session)
    failure: DomainError | None = None
    with transaction.atomic():
        session = _locked(session)
        if session.status == UploadStatus.COMPLETE and session.artifact is not None:
            return session.artifact
        _ensure_receiving(session)
        if session.received != session.size:
            raise ConflictError(
                "upload_incomplete",
                f"The server has {session.received} of {session.size} bytes of this file.",
                details={"received": session.received},
            )
        path = temp_path(session)
        try:
            with transaction.atomic():
                try:
                    handle = open(path, "rb")  # noqa: SIM115 - closed below
                except FileNotFoundError:
                    raise DomainError(
                        "upload_lost",
                        "The uploaded file is no longer on the server. Choose the file again.",
                    ) from None
                with handle:
                    artifact = add_artifact(
                        access=access,
                        actor=actor,
                        submission=session.submission,
                        part=session.part,
                        upload=File(handle, name=session.filename),
                        description=session.description,
                    )
        except DomainError as exc:
            failure = exc
            _end(session, actor, UploadStatus.FAILED, exc.message, code=exc.code)
        else:
            session.status = UploadStatus.COMPLETE
            session.artifact = artifact
            session.save(update_fields=["status", "artifact", "updated_at"])
            transaction.on_commit(lambda: _delete_temp(path))
    if failure is not None:
        raise failure
    return artifact


def _end(session: UploadSession, actor: Any, status: str, reason: str, **data: Any) -> None:
    session.status = status
    session.error = reason[:500]
    session.save(update_fields=["status", "error", "updated_at"])
    path = temp_path(session)
    transaction.on_commit(lambda: _delete_temp(path))
    action = "upload_failed" if status == UploadStatus.FAILED else "upload_abandoned"
    event(session.submission, actor, action, upload=str(session.public_id), **data)


@dataclass(frozen=True)
class UploadState:
    id: uuid.UUID
    status: str  # receiving, complete, failed, abandoned (an expired one reads as abandoned)
    received: int
    size: int
    chunk_size: int
    error: str
    artifact: Artifact | None


def status(*, access: DistrictAccess, actor: Any, session: UploadSession) -> UploadState:
    """Where an upload stands: the bytes received (to resume from), or why it ended."""
    _own_upload(access, actor, session)
    session = UploadSession.objects.select_related("artifact").get(pk=session.pk)
    state, error = session.status, session.error
    if state == UploadStatus.RECEIVING and _expired(session):
        state = UploadStatus.ABANDONED
        error = "This upload expired (unfinished uploads are kept for 24 hours)."
    return UploadState(
        id=session.public_id,
        status=str(state),
        received=session.received,
        size=session.size,
        chunk_size=CHUNK_SIZE,
        error=error,
        artifact=session.artifact if state == UploadStatus.COMPLETE else None,
    )


@transaction.atomic
def abandon(*, access: DistrictAccess, actor: Any, session: UploadSession) -> UploadSession:
    """Cancel an unfinished upload and delete what was received. Cancelling one that already
    failed or was cancelled changes nothing; a complete one is a conflict (remove the file)."""
    _own_upload(access, actor, session)
    session = _locked(session)
    if session.status == UploadStatus.COMPLETE:
        raise ConflictError(
            "upload_complete",
            f"“{session.filename}” is already uploaded; remove it from the part instead.",
        )
    if session.status == UploadStatus.RECEIVING:
        _end(session, actor, UploadStatus.ABANDONED, "Cancelled.")
    return session


def clean_up_expired(*, now: dt.datetime | None = None) -> int:
    """Delete expired sessions (any status) with their temporary files, and partial files no
    session knows that are older than a session's lifetime. Returns the sessions deleted."""
    now = now or timezone.now()
    directory = partial_dir()
    deleted = 0
    for session in UploadSession.objects.filter(expires_at__lte=now).iterator():
        with transaction.atomic():
            if UploadSession.objects.filter(pk=session.pk).delete()[0]:
                deleted += 1
        _delete_temp(directory / session.temp_name)
    known = set(UploadSession.objects.values_list("temp_name", flat=True))
    cutoff = (now - LIFETIME).timestamp()
    for path in directory.glob("*.part"):
        if path.name not in known and path.stat().st_mtime < cutoff:
            _delete_temp(path)
    return deleted

"""Artifacts of a submission: uploaded files (type sniffed from the bytes, size limited per
kind, stored under a random name), links (video by URL), and completed catalog offerings
attached as evidence.

Limits per kind come from the setting MICRO_CREDENTIAL_UPLOAD_LIMITS (bytes, by kind); the
defaults are 20 MB for documents and images, 50 MB for audio and 200 MB for video.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import Enrollment, EnrollmentStatus
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.queries import DistrictAccess
from trellis.informal.models import InformalEntry
from trellis.informal.services.entries import mark_attached
from trellis.microcredentials import filetypes
from trellis.microcredentials.models import Artifact, RequirementPart, Submission
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.services.submissions import _locked, _own, ensure_editable, event

MB = 1024 * 1024
DEFAULT_LIMITS = {
    filetypes.DOCUMENT: 20 * MB,
    filetypes.IMAGE: 20 * MB,
    filetypes.AUDIO: 50 * MB,
    filetypes.VIDEO: 200 * MB,
}
MAX_DESCRIPTION = 300
MAX_URL = 500
KIND_WORDS = {
    "document": "documents",
    "image": "images",
    "video": "video",
    "audio": "audio",
    "link": "links",
}


def upload_limit(kind: str) -> int:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "MICRO_CREDENTIAL_UPLOAD_LIMITS", {})}
    return int(limits[kind])


def _size_text(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def _accepted(part: RequirementPart) -> list[str]:
    return list(part.accepted_types or [])


def _accepted_text(part: RequirementPart) -> str:
    return ", ".join(KIND_WORDS.get(k, k) for k in _accepted(part)) or "nothing"


def _check_part(submission: Submission, part: RequirementPart) -> None:
    if part.version_id != submission.version_id:
        raise DomainError(
            "unknown_part", "That part is not in this micro-credential.", details={"field": "part"}
        )
    if part.kind != RequirementPart.Kind.ARTIFACT:
        raise DomainError(
            "not_an_artifact_part",
            f"“{part.title}” takes a written answer, not files.",
            details={"field": "part"},
        )
    revisable = queries.revisable_part_ids(submission)
    if not queries.part_is_editable(submission, part, revisable):
        raise ConflictError(
            "part_locked",
            f"“{part.title}” met the rubric last time and stays as it was.",
            details={"field": "part"},
        )
    count = submission.artifacts.filter(part=part).count()
    if count >= part.max_files:
        raise DomainError(
            "too_many_files",
            f"“{part.title}” takes at most {part.max_files} item"
            f"{'s' if part.max_files != 1 else ''}; remove one to add another.",
            details={"field": "file"},
        )


def _clean_description(description: str) -> str:
    description = " ".join(str(description or "").split())
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            "description_too_long",
            f"The description is too long: at most {MAX_DESCRIPTION} characters.",
            details={"field": "description"},
        )
    return description


def _clean_url(url: str) -> str:
    url = str(url or "").strip()
    if len(url) > MAX_URL:
        raise DomainError(
            "url_too_long",
            f"The link is too long: at most {MAX_URL} characters.",
            details={"field": "url"},
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise DomainError(
            "invalid_url",
            "Enter a full web address starting with https:// (or http://).",
            details={"field": "url"},
        )
    return url


@transaction.atomic
def add_artifact(
    *,
    access: DistrictAccess,
    actor: Any,
    submission: Submission,
    part: RequirementPart,
    upload: Any = None,
    url: str = "",
    description: str = "",
) -> Artifact:
    """Add a file (`upload`: a Django UploadedFile or any named, seekable binary file) or a link."""
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    _check_part(submission, part)
    description = _clean_description(description)
    if upload is not None and url:
        raise DomainError(
            "file_or_link", "Upload a file or give a link, not both.", details={"field": "url"}
        )
    if upload is None and not str(url or "").strip():
        raise DomainError(
            "file_or_link_required",
            "Choose a file to upload or give a link.",
            details={"field": "file"},
        )
    if upload is None:
        artifact = _link(submission, part, actor, _clean_url(url), description)
    else:
        artifact = _file(submission, part, actor, upload, description)
    event(
        submission,
        actor,
        "artifact_added",
        artifact=str(artifact.public_id),
        part=str(part.public_id),
        kind=artifact.kind,
    )
    return artifact


def _link(
    submission: Submission, part: RequirementPart, actor: Any, url: str, description: str
) -> Artifact:
    if "link" not in _accepted(part):
        raise DomainError(
            "kind_not_accepted",
            f"“{part.title}” does not take links; it takes {_accepted_text(part)}.",
            details={"field": "url"},
        )
    return Artifact.objects.create(
        submission=submission,
        part=part,
        kind=Artifact.Kind.LINK,
        url=url,
        description=description,
        uploaded_by=actor,
    )


def _file(
    submission: Submission, part: RequirementPart, actor: Any, upload: Any, description: str
) -> Artifact:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    largest = max(upload_limit(kind) for kind in DEFAULT_LIMITS)
    if size > largest:
        raise DomainError(
            "file_too_large",
            f"The file is {_size_text(size)}; the largest accepted is {_size_text(largest)}.",
            details={"field": "file"},
        )
    try:
        found = filetypes.sniff(upload)
    except filetypes.UnsupportedFile as exc:
        raise DomainError("unsupported_file", str(exc), details={"field": "file"}) from None
    if found.kind not in _accepted(part):
        raise DomainError(
            "kind_not_accepted",
            f"This file is a {found.label}; “{part.title}” takes {_accepted_text(part)}.",
            details={"field": "file"},
        )
    limit = upload_limit(found.kind)
    if size > limit:
        raise DomainError(
            "file_too_large",
            f"The file is {_size_text(size)}; {KIND_WORDS[found.kind]} may be at most "
            f"{_size_text(limit)}.",
            details={"field": "file"},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    artifact = Artifact(
        submission=submission,
        part=part,
        kind=found.kind,
        original_name=filetypes.display_name(getattr(upload, "name", "") or ""),
        content_type=found.content_type,
        size=size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=actor,
    )
    # A random name: the user's file name never reaches the file system.
    artifact.file.save(f"{uuid.uuid4().hex}.{found.extension}", File(upload), save=False)
    try:
        artifact.save()
    except Exception:
        artifact.file.storage.delete(artifact.file.name)  # no orphan file without its row
        raise
    return artifact


@transaction.atomic
def remove_artifact(
    *, access: DistrictAccess, actor: Any, submission: Submission, artifact: Artifact
) -> None:
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    if artifact.submission_id != submission.pk:
        raise DomainError("unknown_artifact", "That artifact is not part of this submission.")
    revisable = queries.revisable_part_ids(submission)
    if not queries.part_is_editable(submission, artifact.part, revisable):
        raise ConflictError(
            "part_locked", f"“{artifact.part.title}” met the rubric last time and stays as it was."
        )
    name, storage = artifact.file.name, (artifact.file.storage if artifact.file else None)
    public_id = str(artifact.public_id)
    artifact.delete()
    event(submission, actor, "artifact_removed", artifact=public_id)
    if name and storage is not None:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attach_offering_evidence(
    *,
    access: DistrictAccess,
    actor: Any,
    submission: Submission,
    part: RequirementPart,
    enrollment: Enrollment,
) -> Artifact:
    """Attach one of the educator's completed catalog offerings as a link to its page."""
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    if (
        enrollment.educator_id != actor.pk
        or enrollment.district_id != access.district.pk
        or enrollment.status != EnrollmentStatus.COMPLETED
    ):
        raise DomainError(
            "not_completed",
            "Only offerings you have completed can be attached as evidence.",
            details={"field": "enrollment"},
        )
    _check_part(submission, part)
    offering = enrollment.offering
    url = reverse("catalog:offering", kwargs={"public_id": offering.public_id})
    if submission.artifacts.filter(url=url).exists():
        raise ConflictError(
            "already_attached",
            f"“{offering.title}” is already attached to this submission.",
            details={"field": "enrollment"},
        )
    when = enrollment.completed_at or timezone.now()
    artifact = Artifact.objects.create(
        submission=submission,
        part=part,
        kind=Artifact.Kind.LINK,
        url=url,
        description=f"Completed offering: {offering.title} ({when:%b %d, %Y})"[:MAX_DESCRIPTION],
        uploaded_by=actor,
    )
    event(
        submission,
        actor,
        "offering_attached",
        artifact=str(artifact.public_id),
        enrollment=str(enrollment.public_id),
    )
    audit.record(
        action="microcredential.submission.offering_attached",
        summary=f"Attached the completed offering “{offering.title}” as evidence",
        actor=actor,
        district=access.district,
        target=submission,
        target_label=submission.version.title,
    )
    return artifact


@transaction.atomic
def attach_informal_evidence(
    *,
    access: DistrictAccess,
    actor: Any,
    submission: Submission,
    part: RequirementPart,
    entry: InformalEntry,
) -> Artifact:
    """Attach one of the educator's informal-learning entries as a link to its page, which the
    submission's assessors may then open; the description carries what, when, time and link."""
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    if entry.educator_id != actor.pk or entry.district_id != access.district.pk:
        raise DomainError(
            "not_your_entry",
            "Only entries from your own informal learning log can be attached.",
            details={"field": "informal_entry"},
        )
    _check_part(submission, part)
    url = reverse("informal:entry", kwargs={"public_id": entry.public_id})
    if submission.artifacts.filter(url=url).exists():
        raise ConflictError(
            "already_attached",
            f"“{entry.title}” is already attached to this submission.",
            details={"field": "informal_entry"},
        )
    description = (
        f"Informal learning: {entry.title} ({entry.get_format_display()}, {entry.minutes} min, "
        f"{entry.learned_on:%b %d, %Y})" + (f" {entry.url}" if entry.url else "")
    )
    artifact = Artifact.objects.create(
        submission=submission,
        part=part,
        kind=Artifact.Kind.LINK,
        url=url,
        description=description[:MAX_DESCRIPTION],
        uploaded_by=actor,
    )
    mark_attached(entry)
    event(
        submission,
        actor,
        "informal_attached",
        artifact=str(artifact.public_id),
        entry=str(entry.public_id),
    )
    audit.record(
        action="microcredential.submission.informal_attached",
        summary=f"Attached the informal learning “{entry.title}” as evidence",
        actor=actor,
        district=access.district,
        target=submission,
        target_label=submission.version.title,
    )
    return artifact

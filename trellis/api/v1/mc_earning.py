"""Earning resources: start a micro-credential (a draft submission), the caller's submissions,
autosave answers, add artifacts, submit. Mounted at "/" with full paths (see api.py)."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.districts.permissions import Perm
from trellis.microcredentials.models import Artifact, Submission
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.services import artifacts as artifact_services
from trellis.microcredentials.services import submissions as services

router = Router(tags=["micro-credential submissions"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AnswerOut(Schema):
    part: uuid.UUID
    text: str
    revision: int = Field(..., description="Counts saves of this answer; 0 = never saved")


class ArtifactOut(Schema):
    id: uuid.UUID
    part: uuid.UUID
    kind: str = Field(..., description="document, image, video, audio or link")
    url: str = Field(..., description="The link, or the evidence file's URL for uploads")
    original_name: str
    content_type: str = Field(..., description="Sniffed from the file's bytes")
    size: int
    sha256: str
    description: str
    created_at: dt.datetime


class PartOut(Schema):
    id: uuid.UUID
    position: int
    kind: str = Field(..., description="overview, artifact or reflection")
    title: str
    required: bool
    editable: bool
    max_words: int | None
    max_files: int
    accepted_types: list[str]


class SubmissionOut(Schema):
    id: uuid.UUID
    micro_credential: uuid.UUID
    title: str
    version: int
    status: str = Field(
        ..., description="draft, submitted, in_assessment, not_yet, earned, appealed, withdrawn"
    )
    status_label: str
    attempt: int
    privacy_confirmed: bool
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    last_saved_at: dt.datetime | None
    expected_by: dt.datetime | None = Field(..., description="When feedback is expected")


class SubmissionDetailOut(SubmissionOut):
    parts: list[PartOut]
    answers: list[AnswerOut]
    artifacts: list[ArtifactOut]
    missing: list[str] = Field(..., description="What is still needed before submitting")


class SubmissionPatchIn(Schema):
    answers: dict[str, str] = Field(
        default_factory=dict, description="Text per part id (overview and reflection parts)"
    )
    base_revisions: dict[str, int] | None = Field(
        None, description="The revision each answer had when the client loaded it"
    )
    client_id: str = Field("", max_length=64, description="Which client or tab saves")
    privacy_confirmed: bool | None = None


class SaveOut(Schema):
    revisions: dict[str, int]
    saved_at: dt.datetime | None
    overwritten: list[str] = Field(
        ...,
        description="Answers another client saved after `base_revisions`: the last write "
        "won; the earlier text is kept in the history",
    )
    privacy_confirmed: bool


def _summary(submission: Submission, turnaround_days: int) -> dict[str, Any]:
    version = submission.version
    return {
        "id": submission.public_id,
        "micro_credential": version.micro_credential.public_id,
        "title": version.title,
        "version": version.number,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "attempt": submission.attempt,
        "privacy_confirmed": submission.privacy_confirmed,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "last_saved_at": submission.last_saved_at,
        "expected_by": queries.expected_by(submission, turnaround_days),
    }


def _artifact(artifact: Artifact, request: HttpRequest) -> ArtifactOut:
    url = artifact.url
    if artifact.file:
        url = request.build_absolute_uri(
            reverse("microcredentials:evidence", kwargs={"public_id": artifact.public_id})
        )
    return ArtifactOut(
        id=artifact.public_id,
        part=artifact.part.public_id,
        kind=artifact.kind,
        url=url,
        original_name=artifact.original_name,
        content_type=artifact.content_type,
        size=artifact.size,
        sha256=artifact.sha256,
        description=artifact.description,
        created_at=artifact.created_at,
    )


def _detail(submission: Submission, request: HttpRequest) -> SubmissionDetailOut:
    ws = queries.workspace(submission)
    return SubmissionDetailOut(
        **_summary(submission, ws.turnaround_days),
        parts=[
            PartOut(
                id=pv.part.public_id,
                position=pv.part.position,
                kind=pv.part.kind,
                title=pv.part.title,
                required=pv.part.required,
                editable=pv.editable,
                max_words=pv.part.max_words,
                max_files=pv.part.max_files,
                accepted_types=list(pv.part.accepted_types or []),
            )
            for pv in ws.parts
        ],
        answers=[
            AnswerOut(part=pv.part.public_id, text=pv.answer.text, revision=pv.answer.revision)
            for pv in ws.parts
            if pv.answer is not None
        ],
        artifacts=[_artifact(a, request) for pv in ws.parts for a in pv.artifacts],
        missing=ws.missing,
    )


@router.post(
    "/micro-credentials/{micro_credential_id}/submissions",
    response={201: SubmissionDetailOut, **ERRORS},
)
def start_submission(
    request: HttpRequest, micro_credential_id: uuid.UUID
) -> tuple[int, SubmissionDetailOut]:
    """Start a draft on the latest published version. 409 `submission_open` when one is open
    (its id is in `error.details.submission`), 409 `already_earned`, 400
    `prerequisites_missing`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    micro_credential = queries.get_published_micro_credential(access, micro_credential_id)
    submission = services.start_submission(
        access=access, actor=request.user, micro_credential=micro_credential
    )
    submission = queries.get_own_submission(access, request.user, submission.public_id)
    return 201, _detail(submission, request)


@router.get("/me/submissions", response=list[SubmissionOut])
@paginate(LimitOffsetPagination)
def my_submissions(request: HttpRequest) -> Any:
    """The caller's submissions (withdrawn ones left out), most recently changed first."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    days = queries.assessment_settings(access.district).turnaround_days
    return MappedPage(
        queries.my_submissions(access, request.user),
        lambda rows: [SubmissionOut(**_summary(s, days)) for s in rows],
    )


@router.get("/submissions/{submission_id}", response={200: SubmissionDetailOut, **ERRORS})
def get_submission(request: HttpRequest, submission_id: uuid.UUID) -> SubmissionDetailOut:
    """One of the caller's submissions with its parts, answers, artifacts and what is missing."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return _detail(queries.get_own_submission(access, request.user, submission_id), request)


@router.patch("/submissions/{submission_id}", response={200: SaveOut, **ERRORS})
def update_submission(
    request: HttpRequest, submission_id: uuid.UUID, payload: SubmissionPatchIn
) -> SaveOut:
    """Autosave answers (per part: the last write wins, every save kept as a revision) and the
    student-privacy confirmation. 409 `submission_locked` once submitted; 409 `part_locked`
    for a part that met the rubric when resubmitting."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    submission = queries.get_own_submission(access, request.user, submission_id)
    result: dict[str, Any] = {"revisions": {}, "saved_at": None, "overwritten": []}
    if payload.answers:
        result = services.save_answers(
            access=access,
            actor=request.user,
            submission=submission,
            answers=payload.answers,
            client_id=payload.client_id or "api",
            base_revisions=payload.base_revisions,
        )
    if payload.privacy_confirmed is not None:
        services.set_privacy(
            access=access,
            actor=request.user,
            submission=submission,
            confirmed=payload.privacy_confirmed,
        )
    if not payload.answers and payload.privacy_confirmed is None:
        services.ensure_editable(submission)
    submission.refresh_from_db()
    return SaveOut(
        revisions=result["revisions"],
        saved_at=result["saved_at"] or submission.last_saved_at,
        overwritten=result["overwritten"],
        privacy_confirmed=submission.privacy_confirmed,
    )


@router.post("/submissions/{submission_id}/artifacts", response={201: ArtifactOut, **ERRORS})
def add_artifact(
    request: HttpRequest,
    submission_id: uuid.UUID,
    part: Form[uuid.UUID],
    file: File[UploadedFile] = None,
    url: Form[str] = "",
    description: Form[str] = "",
) -> tuple[int, ArtifactOut]:
    """Multipart: `part` (the artifact part's id) and either `file` or `url` (http/https), plus
    an optional `description`. The type is sniffed from the bytes; 400 `unsupported_file`,
    `kind_not_accepted`, `file_too_large`, `too_many_files`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    submission = queries.get_own_submission(access, request.user, submission_id)
    artifact = artifact_services.add_artifact(
        access=access,
        actor=request.user,
        submission=submission,
        part=queries.get_part(submission, part),
        upload=file,
        url=url,
        description=description,
    )
    return 201, _artifact(artifact, request)


@router.post("/submissions/{submission_id}/submit", response={200: SubmissionDetailOut, **ERRORS})
def submit_submission(request: HttpRequest, submission_id: uuid.UUID) -> SubmissionDetailOut:
    """Submit (or resubmit after "not yet"). 400 `submission_incomplete` lists what is missing
    in `error.details.missing`; 409 `already_submitted`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    submission = queries.get_own_submission(access, request.user, submission_id)
    services.submit(access=access, actor=request.user, submission=submission)
    return _detail(queries.get_own_submission(access, request.user, submission_id), request)

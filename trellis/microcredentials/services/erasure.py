"""Erasing one educator's micro-credential work in one district, on a privacy request (policy
and orchestration: trellis/privacy).

A submission that did not earn goes whole (answers and their history, artifacts, events,
assessor assignments and scores, upload sessions). An earned one keeps its record and scores,
and the issued credential stays (third parties may be verifying it), but its artifacts (student
work samples) and their stored files go. Stored files are deleted once the transaction commits,
so a rollback never leaves rows pointing at missing files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from trellis.core.erasure import delete_counted
from trellis.microcredentials.models import (
    Answer,
    AnswerRevision,
    Artifact,
    Assignment,
    CriterionScore,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    UploadSession,
)
from trellis.microcredentials.services.uploads import partial_dir


def _not_earned(district: Any, user: Any) -> QuerySet:
    return (
        Submission.objects.filter(district=district, educator=user)
        .exclude(status=SubmissionStatus.EARNED)
        .filter(earned__isnull=True)
    )


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    """Kind → rows to delete, children before their parents."""
    attempts = _not_earned(district, user)
    every = Submission.objects.filter(district=district, educator=user)
    return {
        "microcredentials.criterion_scores": CriterionScore.objects.filter(
            assignment__submission__in=attempts
        ),
        "microcredentials.assignments": Assignment.objects.filter(submission__in=attempts),
        "microcredentials.answer_revisions": AnswerRevision.objects.filter(
            answer__submission__in=attempts
        ),
        "microcredentials.answers": Answer.objects.filter(submission__in=attempts),
        "microcredentials.submission_events": SubmissionEvent.objects.filter(
            submission__in=attempts
        ),
        # Of every submission, earned too: uploads name their files; artifacts are student work.
        "microcredentials.upload_sessions": UploadSession.objects.filter(submission__in=every),
        "microcredentials.artifacts": Artifact.objects.filter(submission__in=every),
        "microcredentials.submissions": attempts,
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    found = erasable(district, user)
    storage = Artifact._meta.get_field("file").storage
    names = [
        name for name in found["microcredentials.artifacts"].values_list("file", flat=True) if name
    ]
    partial = [
        partial_dir() / name
        for name in found["microcredentials.upload_sessions"].values_list("temp_name", flat=True)
        if name
    ]
    counts = delete_counted(found)
    transaction.on_commit(lambda: _delete_files(storage, names, partial))
    return counts


def _delete_files(storage: Any, names: list[str], partial: list[Path]) -> None:
    for name in names:
        storage.delete(name)
    for path in partial:
        path.unlink(missing_ok=True)

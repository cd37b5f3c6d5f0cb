"""Reads of resumable upload sessions, scoped to the caller's own submission."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.microcredentials.models import Submission, UploadSession


def get_own_upload(submission: Submission, user: Any, public_id: Any) -> UploadSession:
    """An upload session of `submission` started by `user` (404 for anyone else's)."""
    uuid = public_id_or_404(public_id, "upload")
    found = (
        UploadSession.objects.filter(submission=submission, uploader=user, public_id=uuid)
        .select_related("part", "artifact", "submission")
        .first()
    )
    if found is None:
        raise Http404("No such upload.")
    return found


def get_upload_for(access: Any, user: Any, public_id: Any) -> UploadSession:
    """An upload session by its id alone (the API), in the caller's district and their own."""
    uuid = public_id_or_404(public_id, "upload")
    found = (
        UploadSession.objects.filter(
            public_id=uuid, uploader=user, submission__district=access.district
        )
        .select_related("part", "artifact", "submission")
        .first()
    )
    if found is None:
        raise Http404("No such upload.")
    return found

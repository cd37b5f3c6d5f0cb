"""Resumable evidence uploads for the workspace (static/js/uploads.js): JSON endpoints over
trellis.microcredentials.services.uploads. The multipart form (views.earning.artifact_upload)
stays the way without JavaScript.

POST   submissions/<id>/uploads/        {part, filename, size, description} → 201 {id, received, …}
PUT    submissions/<id>/uploads/<id>/   body = chunk, `Content-Range: bytes start-end/total`
                                        → 200 {received, …}, or 201 {…, artifact} when complete
GET    submissions/<id>/uploads/<id>/   → {received, status, error, …} (to resume)
DELETE submissions/<id>/uploads/<id>/   → 204 (cancel)
Errors are `{"error": {"code", "message", "details"}}`; a wrong offset is 409 `wrong_offset`
with `details.received`. CSRF comes in the X-CSRFToken header.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.http import json_error, json_object
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.microcredentials.chunks import parse_content_range, read_chunk
from trellis.microcredentials.models import UploadSession
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.queries import uploads as upload_queries
from trellis.microcredentials.services import uploads as services


def upload_state(state: services.UploadState, url: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(state.id),
        "url": url,
        "status": state.status,
        "received": state.received,
        "size": state.size,
        "chunk_size": state.chunk_size,
        "error": state.error,
    }
    if state.artifact is not None:
        body["artifact"] = {
            "id": str(state.artifact.public_id),
            "name": state.artifact.original_name,
            "kind": state.artifact.kind,
            "size": state.artifact.size,
        }
    return body


def _url(session: UploadSession) -> str:
    return reverse(
        "microcredentials:upload",
        kwargs={"public_id": session.submission.public_id, "upload_id": session.public_id},
    )


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def upload_start(request: HttpRequest, public_id: str) -> JsonResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    try:
        body = json_object(request)
    except DomainError as exc:
        return json_error(exc)
    part = queries.get_part(submission, body.get("part"))
    try:
        session = services.start_upload(
            access=access,
            actor=request.user,
            submission=submission,
            part=part,
            filename=str(body.get("filename") or ""),
            size=body.get("size"),
            description=str(body.get("description") or ""),
        )
        state = services.status(access=access, actor=request.user, session=session)
    except DomainError as exc:
        return json_error(exc)
    return JsonResponse(upload_state(state, _url(session)), status=201)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "PUT", "DELETE"])
def upload(request: HttpRequest, public_id: str, upload_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    session = upload_queries.get_own_upload(submission, request.user, upload_id)
    try:
        if request.method == "DELETE":
            services.abandon(access=access, actor=request.user, session=session)
            return HttpResponse(status=204)
        if request.method == "PUT":
            data = read_chunk(request)
            start = parse_content_range(
                request.headers.get("Content-Range", ""), len(data), session.size
            )
            session = services.append_chunk(
                access=access, actor=request.user, session=session, offset=start, data=data
            )
        state = services.status(access=access, actor=request.user, session=session)
    except DomainError as exc:
        return json_error(exc)
    created = request.method == "PUT" and state.artifact is not None
    if created:
        messages.success(
            request, f"Added “{state.artifact.original_name}” to “{session.part.title}”."
        )
    return JsonResponse(upload_state(state, _url(session)), status=201 if created else 200)

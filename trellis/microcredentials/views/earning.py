"""Earning pages: start a micro-credential, the workspace (answers autosaved, artifacts, privacy,
submit), a part's version history, "My micro-credentials", withdrawing, and evidence files."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import ConflictError, DomainError
from trellis.core.http import json_error, json_object
from trellis.core.pagination import paginate
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.informal import queries as informal_queries
from trellis.microcredentials import filetypes
from trellis.microcredentials.models import MicroCredential, Submission
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.services import artifacts as artifact_services
from trellis.microcredentials.services import submissions as services
from trellis.microcredentials.services import uploads as upload_services


def definition_url(micro_credential: MicroCredential) -> str:
    """The definition page (helper E's), or My micro-credentials until it exists."""
    for name in ("microcredentials:definition", "microcredentials:detail"):
        try:
            return reverse(name, kwargs={"public_id": micro_credential.public_id})
        except NoReverseMatch:
            continue
    return reverse("microcredentials:my_micro_credentials")


def workspace_url(submission: Submission, anchor: str = "") -> str:
    url = reverse("microcredentials:workspace", kwargs={"public_id": submission.public_id})
    return f"{url}#{anchor}" if anchor else url


def local_time(moment: Any, district: Any) -> str:
    return timezone.localtime(moment, _zone(district)).strftime("%H:%M")


def _zone(district: Any) -> Any:
    try:
        return zoneinfo.ZoneInfo(district.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def start(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    micro_credential = queries.get_published_micro_credential(access, public_id)
    try:
        submission = services.start_submission(
            access=access, actor=request.user, micro_credential=micro_credential
        )
    except ConflictError as exc:
        if exc.code == "submission_open":
            existing = queries.get_own_submission(access, request.user, exc.details["submission"])
            messages.info(request, "You already have a submission for this; here it is.")
            return redirect(workspace_url(existing))
        messages.error(request, exc.message)
        return redirect(definition_url(micro_credential))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(definition_url(micro_credential))
    messages.success(request, "Your draft is started. Everything you type is saved as you go.")
    return redirect(workspace_url(submission))


@district_view(Perm.VIEW_OWN_LEARNING)
def my_micro_credentials(request: HttpRequest) -> HttpResponse:
    access = request.access
    settings = queries.assessment_settings(access.district)
    submissions = paginate(
        queries.my_submissions(access, request.user), request.GET.get("page"), per_page=20
    )
    rows = [
        {"submission": s, "expected_by": queries.expected_by(s, settings.turnaround_days)}
        for s in submissions
    ]
    earned = list(queries.my_earned(access, request.user)[:100])
    credentials = queries.credentials_of_awards(access, request.user, earned)
    for award in earned:
        award.credential = credentials.get(str(award.public_id))
    context = {
        "page": submissions,
        "rows": rows,
        "earned": earned,
        "turnaround_days": settings.turnaround_days,
        "tz": access.district.timezone,
    }
    return render(request, "microcredentials/my.html", context)


def _render_workspace(
    request: HttpRequest,
    submission: Submission,
    *,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    access = request.access
    ws = queries.workspace(submission)
    errors, posted = errors or {}, posted or {}
    for pv in ws.parts:
        key = str(pv.part.public_id)
        pv.error = errors.get(key, "")
        pv.upload_error = errors.get(f"upload-{key}", "")
        if key in posted:
            pv.text = posted[key]
    enrollments, informal_entries = [], []
    if ws.editable and any(not p.is_text and p.editable for p in ws.parts):
        enrollments = list(queries.completed_enrollments(access, request.user)[:50])
        informal_entries = list(informal_queries.own_entries(access, request.user)[:50])
    context = {
        "ws": ws,
        "submission": submission,
        "version": submission.version,
        "errors": errors,
        "enrollments": enrollments,
        "informal_entries": informal_entries,
        "accepted_formats": filetypes.ACCEPTED_FORMATS,
        "upload_chunk_size": upload_services.CHUNK_SIZE,
        "tz": access.district.timezone,
        "saved_label": local_time(submission.last_saved_at, access.district)
        if submission.last_saved_at
        else "",
    }
    return render(request, "microcredentials/workspace.html", context, status=status)


def _posted_answers(request: HttpRequest, submission: Submission) -> tuple[dict, dict]:
    answers, bases = {}, {}
    for key, value in request.POST.items():
        if key.startswith("answer-"):
            answers[key.removeprefix("answer-")] = value
        elif key.startswith("base-"):
            bases[key.removeprefix("base-")] = value
    return answers, bases


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET shows the workspace; POST is the Save / Submit buttons (the page without JS)."""
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    if request.method == "GET":
        return _render_workspace(request, submission)
    answers, bases = _posted_answers(request, submission)
    action = request.POST.get("action", "save")
    try:
        if answers:
            services.save_answers(
                access=access,
                actor=request.user,
                submission=submission,
                answers=answers,
                client_id="form",
                base_revisions=bases,
                explicit=True,
            )
        if "privacy_shown" in request.POST:
            services.set_privacy(
                access=access,
                actor=request.user,
                submission=submission,
                confirmed=request.POST.get("privacy_confirmed") == "on",
            )
        if action == "submit":
            submission = services.submit(access=access, actor=request.user, submission=submission)
    except DomainError as exc:
        submission.refresh_from_db()
        field = str(exc.details.get("field", "")) or "submit"
        return _render_workspace(
            request, submission, errors={field: exc.message}, posted=answers, status=exc.status
        )
    if action == "submit":
        messages.success(
            request,
            f"Submitted “{submission.version.title}”. An assessor will score it; expect "
            f"feedback within {queries.assessment_settings(access.district).turnaround_days} days.",
        )
    else:
        messages.success(request, "Saved.")
    return redirect(workspace_url(submission))


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def autosave(request: HttpRequest, public_id: str) -> JsonResponse:
    """The autosave endpoint of static/js/autosave.js: JSON in, JSON out."""
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    try:
        body = json_object(request)
    except DomainError as exc:
        return json_error(exc)
    try:
        result: dict[str, Any] = {}
        answers = body.get("answers") or {}
        if answers:
            result = services.save_answers(
                access=access,
                actor=request.user,
                submission=submission,
                answers=answers,
                client_id=str(body.get("client_id", "")),
                base_revisions=body.get("base_revisions") or {},
            )
        if isinstance(body.get("privacy_confirmed"), bool):
            services.set_privacy(
                access=access,
                actor=request.user,
                submission=submission,
                confirmed=body["privacy_confirmed"],
            )
    except DomainError as exc:
        return json_error(exc)
    submission.refresh_from_db(fields=["last_saved_at"])
    saved_at = result.get("saved_at") or submission.last_saved_at or timezone.now()
    return JsonResponse(
        {
            "revisions": result.get("revisions", {}),
            "overwritten": result.get("overwritten", []),
            "saved_at": saved_at.isoformat(),
            "saved_at_label": local_time(saved_at, access.district),
        }
    )


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def artifact_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    part = queries.get_part(submission, request.POST.get("part"))
    try:
        artifact_services.add_artifact(
            access=access,
            actor=request.user,
            submission=submission,
            part=part,
            upload=request.FILES.get("file"),
            url=request.POST.get("url", ""),
            description=request.POST.get("description", ""),
        )
    except DomainError as exc:
        submission.refresh_from_db()
        return _render_workspace(
            request, submission, errors={f"upload-{part.public_id}": exc.message}, status=exc.status
        )
    messages.success(request, f"Added to “{part.title}”.")
    return redirect(workspace_url(submission, f"part-{part.public_id}"))


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def offering_evidence(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    part = queries.get_part(submission, request.POST.get("part"))
    if "informal_entry" in request.POST:
        return _informal_evidence(request, submission, part)
    enrollment = queries.get_completed_enrollment(
        access, request.user, request.POST.get("enrollment")
    )
    try:
        artifact_services.attach_offering_evidence(
            access=access,
            actor=request.user,
            submission=submission,
            part=part,
            enrollment=enrollment,
        )
    except DomainError as exc:
        submission.refresh_from_db()
        return _render_workspace(
            request, submission, errors={f"upload-{part.public_id}": exc.message}, status=exc.status
        )
    messages.success(request, f"Attached “{enrollment.offering.title}” to “{part.title}”.")
    return redirect(workspace_url(submission, f"part-{part.public_id}"))


def _informal_evidence(request: HttpRequest, submission: Submission, part: Any) -> HttpResponse:
    """The informal-learning branch of `offering_evidence` (same form, another picker)."""
    access = request.access
    entry = informal_queries.own_entry(access, request.user, request.POST.get("informal_entry"))
    try:
        artifact_services.attach_informal_evidence(
            access=access, actor=request.user, submission=submission, part=part, entry=entry
        )
    except DomainError as exc:
        submission.refresh_from_db()
        return _render_workspace(
            request, submission, errors={f"upload-{part.public_id}": exc.message}, status=exc.status
        )
    messages.success(request, f"Attached “{entry.title}” to “{part.title}”.")
    return redirect(workspace_url(submission, f"part-{part.public_id}"))


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def artifact_remove(request: HttpRequest, public_id: str, artifact_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    artifact = queries.get_own_artifact(submission, artifact_id)
    try:
        artifact_services.remove_artifact(
            access=access, actor=request.user, submission=submission, artifact=artifact
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Removed.")
    return redirect(workspace_url(submission, f"part-{artifact.part.public_id}"))


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    error = ""
    if request.method == "POST":
        try:
            services.withdraw_submission(access=access, actor=request.user, submission=submission)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Withdrew “{submission.version.title}”.")
            return redirect("microcredentials:my_micro_credentials")
    return render(
        request,
        "microcredentials/withdraw.html",
        {"submission": submission, "error": error},
        status=409 if error else 200,
    )


@district_view(Perm.VIEW_OWN_LEARNING)
def answer_history(request: HttpRequest, public_id: str, part_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_own_submission(access, request.user, public_id)
    part = queries.get_part(submission, part_id)
    if part.kind not in queries.TEXT_KINDS:
        raise Http404("This part has no written answer.")
    page = paginate(queries.answer_history(submission, part), request.GET.get("page"), per_page=20)
    context = {
        "submission": submission,
        "part": part,
        "page": page,
        "tz": access.district.timezone,
    }
    return render(request, "microcredentials/answer_history.html", context)


@district_view(Perm.VIEW_OWN_LEARNING)
def evidence(request: HttpRequest, public_id: str) -> FileResponse:
    """An uploaded evidence file, only for its educator, assigned assessors and admins. Only
    images and PDFs may show in the browser; everything else downloads. Never under MEDIA_URL."""
    artifact = queries.get_evidence(request.access, request.user, public_id)
    base_type = artifact.content_type.split(";")[0].strip()
    inline = base_type in filetypes.INLINE_TYPES
    try:
        handle = artifact.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        content_type=artifact.content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=artifact.original_name or f"evidence.{base_type.split('/')[-1]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

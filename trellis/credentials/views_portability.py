"""Pages of credential portability: the CLR transcript download, imported badges, and bulk
issuance batches with their progress. Thin: services write, queries read."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.credentials import queries_portability as queries
from trellis.credentials.models import BatchStatus, Visibility
from trellis.credentials.services import batches as batch_services
from trellis.credentials.services import imports
from trellis.credentials.services.transcripts import export_transcript
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm

# --- CLR transcript ------------------------------------------------------------------------------


@district_view(Perm.VIEW_OWN_LEARNING)
def transcript(request: HttpRequest) -> HttpResponse:
    """GET: the valid credentials with checkboxes. POST: the signed CLR 2.0 JSON download."""
    credentials = list(queries.my_active_credentials(request.access, request.user))
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("credential")
        try:
            document = export_transcript(
                access=request.access,
                actor=request.user,
                credential_ids=chosen if request.POST.get("scope") == "chosen" else None,
            )
        except DomainError as problem:
            error = problem.message
        else:
            stamp = timezone.now().strftime("%Y-%m-%d")
            response = HttpResponse(
                json.dumps(document, indent=2, ensure_ascii=False),
                content_type="application/ld+json",
            )
            response["Content-Disposition"] = f'attachment; filename="clr-transcript-{stamp}.json"'
            return response
    return render(
        request,
        "credentials/clr_transcript.html",
        {
            "credentials": credentials,
            "error": error,
            "chosen": set(request.POST.getlist("credential")),
        },
        status=400 if error else 200,
    )


# --- imported badges -----------------------------------------------------------------------------


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the badge",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Open Badges 3.0 JSON, a VC-JWT, or an Open Badges 2.0 assertion (JSON).",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="A baked badge image (PNG or SVG, up to 5 MB) or a .json / .jwt file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,.json,.jwt,.txt"}),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        help_text="Public badges can be seen by anyone with the link.",
    )
    keep_unverified = forms.BooleanField(
        label="Keep it as unverified if it does not verify",
        required=False,
        help_text="Use this for badges whose issuer's key cannot be checked offline.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError("Paste a badge or choose a file.")
        if data.get("text", "").strip() and data.get("file"):
            raise forms.ValidationError("Paste a badge or choose a file, not both.")
        upload = data.get("file")
        if upload is not None and upload.size > imports.MAX_IMAGE_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return data


@district_view(Perm.VIEW_OWN_LEARNING)
def imported_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        queries.my_imported_badges(request.access, request.user), request.GET.get("page")
    )
    return render(
        request,
        "credentials/import_list.html",
        {"page": page, "query": query_without_page(request)},
    )


@district_view(Perm.VIEW_OWN_LEARNING)
def import_badge(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    failure = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        data = upload.read() if upload is not None else form.cleaned_data["text"]
        try:
            badge = imports.import_badge(
                access=request.access,
                actor=request.user,
                data=data,
                keep_unverified=form.cleaned_data["keep_unverified"],
                visibility=form.cleaned_data["visibility"],
            )
        except imports.VerificationFailed as problem:
            failure = problem.report
            form.add_error(None, problem.message)
        except DomainError as problem:
            form.add_error(None, problem.message)
        else:
            note = "" if badge.verified else " It is marked unverified."
            messages.success(request, f"Imported “{badge.achievement_name}”.{note}")
            return redirect("credentials_portability:imported_detail", badge.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "credentials/import_form.html", {"form": form, "failure": failure}, status=status
    )


@district_view(Perm.VIEW_OWN_LEARNING)
def imported_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    badge = queries.get_my_imported_badge(request.access, request.user, public_id)
    return render(
        request,
        "credentials/import_detail.html",
        {
            "badge": badge,
            "checks": badge.verification.get("checks", []),
            "document_json": json.dumps(badge.document, indent=2, ensure_ascii=False),
            "visibility_choices": Visibility.choices,
        },
    )


@require_POST
@district_view(Perm.VIEW_OWN_LEARNING)
def imported_reverify(request: HttpRequest, public_id: str) -> HttpResponse:
    badge = queries.get_my_imported_badge(request.access, request.user, public_id)
    badge = imports.reverify(access=request.access, actor=request.user, badge=badge)
    messages.success(
        request, "Checked again: " + ("it verifies." if badge.verified else "it does not verify.")
    )
    return redirect("credentials_portability:imported_detail", badge.public_id)


@require_POST
@district_view(Perm.VIEW_OWN_LEARNING)
def imported_visibility(request: HttpRequest, public_id: str) -> HttpResponse:
    badge = queries.get_my_imported_badge(request.access, request.user, public_id)
    try:
        imports.set_visibility(
            access=request.access,
            actor=request.user,
            badge=badge,
            visibility=request.POST.get("visibility", ""),
        )
    except DomainError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"Visibility: {badge.get_visibility_display()}.")
    return redirect("credentials_portability:imported_detail", badge.public_id)


@require_POST
@district_view(Perm.VIEW_OWN_LEARNING)
def imported_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    badge = queries.get_my_imported_badge(request.access, request.user, public_id)
    name = badge.achievement_name
    imports.delete_badge(access=request.access, actor=request.user, badge=badge)
    messages.success(request, f"Removed “{name}”.")
    return redirect("credentials_portability:imported_list")


# --- bulk issuance batches -----------------------------------------------------------------------


@district_view(Perm.MANAGE_CREDENTIALS)
def batch_list(request: HttpRequest) -> HttpResponse:
    page = paginate(queries.batches(request.access), request.GET.get("page"))
    rows = [(batch, batch_services.percent(batch)) for batch in page.object_list]
    return render(
        request,
        "credentials/batch_list.html",
        {"page": page, "rows": rows, "query": query_without_page(request)},
    )


def _batch_context(request: HttpRequest, public_id: str) -> dict:
    batch = queries.get_batch(request.access, public_id)
    failures = paginate(queries.failed_items(batch), request.GET.get("page"), per_page=50)
    return {
        "batch": batch,
        "percent": batch_services.percent(batch),
        "running": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING),
        "failures": failures,
        "query": query_without_page(request),
    }


@district_view(Perm.MANAGE_CREDENTIALS)
def batch_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    if request.method == "POST":
        batch = queries.get_batch(request.access, public_id)
        try:
            batch_services.retry_failed(access=request.access, actor=request.user, batch=batch)
        except DomainError as problem:
            messages.error(request, problem.message)
        else:
            messages.success(request, "The failed items are queued again.")
        return redirect("credentials_portability:batch_detail", batch.public_id)
    return render(request, "credentials/batch_detail.html", _batch_context(request, public_id))


@district_view(Perm.MANAGE_CREDENTIALS)
def batch_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress panel alone, polled by htmx every 2 s while the batch runs."""
    return render(request, "credentials/batch_progress.html", _batch_context(request, public_id))

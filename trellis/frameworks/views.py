"""Thin views for frameworks: browse, export, import (upload → preview → import), adopt, copy, edit."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.frameworks import queries, services
from trellis.frameworks.exporting import case_package
from trellis.frameworks.forms import CaseUploadForm, ConfirmImportForm, CopyForm
from trellis.frameworks.models import Framework


def _can_edit(request: HttpRequest, framework: Framework) -> bool:
    return (
        request.access.can(Perm.MANAGE_FRAMEWORKS)
        and framework.district_id == request.access.district.pk
    )


@district_view(Perm.VIEW_FRAMEWORKS)
def framework_list(request: HttpRequest) -> HttpResponse:
    page = paginate(queries.frameworks(request.access), request.GET.get("page"))
    context = {
        "page": page,
        "query": query_without_page(request),
        "can_manage": request.access.can(Perm.MANAGE_FRAMEWORKS),
    }
    return render(request, "frameworks/list.html", context)


@district_view(Perm.VIEW_FRAMEWORKS)
def framework_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    framework = queries.get_framework(request.access, public_id)
    context = {
        "framework": framework,
        "levels": queries.levels(framework),
        "rows": queries.tree(framework),
        "can_manage": request.access.can(Perm.MANAGE_FRAMEWORKS),
        "can_edit": _can_edit(request, framework),
        "copy_form": CopyForm(),
    }
    return render(request, "frameworks/detail.html", context)


@district_view(Perm.VIEW_FRAMEWORKS)
def framework_export(request: HttpRequest, public_id: str) -> HttpResponse:
    framework = queries.get_framework(request.access, public_id)
    response = HttpResponse(
        json.dumps(case_package(framework), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="case-{framework.public_id}.json"'
    return response


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_POST
def framework_adopt(request: HttpRequest, public_id: str) -> HttpResponse:
    framework = queries.get_framework(request.access, public_id)
    try:
        adopted = services.adopt_framework(
            access=request.access, actor=request.user, framework=framework
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("frameworks:detail", public_id=framework.public_id)
    messages.success(request, f"“{adopted.title}” is now the district's adopted framework.")
    return redirect("frameworks:detail", public_id=adopted.public_id)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_POST
def framework_copy(request: HttpRequest, public_id: str) -> HttpResponse:
    framework = queries.get_framework(request.access, public_id)
    form = CopyForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    try:
        copy = services.copy_framework(
            access=request.access, actor=request.user, framework=framework, title=title
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("frameworks:detail", public_id=framework.public_id)
    messages.success(request, f"Copied as “{copy.title}”. You can edit this copy.")
    return redirect("frameworks:detail", public_id=copy.public_id)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = CaseUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged, _preview = services.stage_case_upload(
                access=request.access,
                actor=request.user,
                data=upload.read(),
                filename=upload.name or "",
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("frameworks:import_preview", public_id=staged.public_id)
    status = 400 if form.errors else 200
    return render(request, "frameworks/import.html", {"form": form}, status=status)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, public_id: str) -> HttpResponse:
    upload = queries.get_case_upload(request.access, public_id)
    form = ConfirmImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_staged_upload(
                access=request.access,
                actor=request.user,
                upload=upload,
                purpose=form.cleaned_data["purpose"] or Framework.Purpose.EDUCATOR_PRACTICE,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("frameworks:import")
        verb = "Imported" if result.created else "Updated"
        messages.success(
            request,
            f"{verb} “{result.framework.title}”: {result.preview.items_created} new, "
            f"{result.preview.items_updated} updated, {result.preview.items_removed} removed.",
        )
        return redirect("frameworks:detail", public_id=result.framework.public_id)
    try:
        preview = services.preview_case_import(access=request.access, data=upload.content)
    except DomainError as exc:  # the rules changed since the upload; it can no longer be read
        messages.error(request, exc.message)
        return redirect("frameworks:import")
    context = {"upload": upload, "preview": preview, "form": form}
    return render(request, "frameworks/import_preview.html", context)

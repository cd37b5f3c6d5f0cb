"""Thin views for roster imports: upload, progress and preview, apply, the CSV template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.models import Role
from trellis.districts.permissions import Perm
from trellis.roster import queries, services
from trellis.roster.forms import CSV_COLUMN_HELP, RosterUploadForm
from trellis.roster.models import RosterImport
from trellis.roster.parsing import TEMPLATE_CSV

PREVIEW_LABELS = {
    "created": "To create",
    "updated": "To update",
    "unchanged": "Unchanged",
    "deactivated": "To deactivate",
    "skipped": "Skipped",
    "invalid": "Rows with errors",
    "new_accounts": "New accounts",
    "schools_created": "Schools to create",
}
APPLIED_LABELS = {
    **PREVIEW_LABELS,
    "created": "Created",
    "updated": "Updated",
    "deactivated": "Deactivated",
    "schools_created": "Schools created",
}


CHANGE_LABELS = {
    "email": "new e-mail",
    "full_name": "new name",
    "school": "school",
    "position": "position",
    "years_experience": "years of experience",
    "subjects": "subjects",
    "grade_bands": "grade bands",
    "source_id": "source id",
    "profile": "new profile",
}


def describe_change(change: str) -> str:
    """'+coach' → 'gains the coach role'; field names → words."""
    if change[:1] in "+-" and change[1:] in Role.values:
        verb = "gains" if change[0] == "+" else "loses"
        return f"{verb} the {Role(change[1:]).label.lower()} role"
    return CHANGE_LABELS.get(change, change)


@district_view(Perm.IMPORT_ROSTER)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.start_import(
                access=request.access,
                actor=request.user,
                uploads=[services.Upload(name=f.name, data=f.read()) for f in data["files"]],
                fmt=data["format"],
                dry_run=data["dry_run"],
                full_sync=data["full_sync"],
                send_invitations=data["send_invitations"],
                source=RosterImport.Source.WEB,
            )
        except DomainError as exc:
            form.add_error("files", exc.message)
        else:
            return redirect("roster:detail", public_id=item.public_id)
    page = paginate(queries.imports_for(request.access), request.GET.get("page"), per_page=20)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "columns": CSV_COLUMN_HELP,
    }
    return render(request, "roster/index.html", context, status=400 if form.errors else 200)


@district_view(Perm.IMPORT_ROSTER)
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    item = queries.get_import(request.access, public_id)
    labels = APPLIED_LABELS if item.applied_at else PREVIEW_LABELS
    context = {
        "item": item,
        "stats": [(label, item.count(key)) for key, label in labels.items()],
        "skipped": sorted((item.preview.get("skipped") or {}).items()),
        "updates": [
            {**entry, "changes": [describe_change(c) for c in entry["changes"]]}
            for entry in item.preview.get("updates", [])
        ],
    }
    template = "roster/detail.html#import-status" if request.htmx else "roster/detail.html"
    return render(request, template, context)


@district_view(Perm.IMPORT_ROSTER)
@require_POST
def apply(request: HttpRequest, public_id: str) -> HttpResponse:
    item = queries.get_import(request.access, public_id)
    try:
        services.request_apply(access=request.access, actor=request.user, roster_import=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The valid rows are being applied.")
    return redirect("roster:detail", public_id=item.public_id)


@district_view(Perm.IMPORT_ROSTER)
def template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trellis-roster.csv"'
    return response

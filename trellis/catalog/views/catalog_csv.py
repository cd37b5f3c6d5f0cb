"""The catalog as CSV (MANAGE_CATALOG): import with a check first, export of the filtered list,
and a template file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.catalog.forms_catalog import parse_filters
from trellis.catalog.forms_manage import CatalogImportForm
from trellis.catalog.queries import offerings as queries
from trellis.catalog.services import catalog_csv
from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@district_view(Perm.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def catalog_import(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        dry_run = request.POST.get("action") != "import"
        if form.is_valid():
            try:
                result = catalog_csv.import_catalog(
                    access=access,
                    actor=request.user,
                    data=form.cleaned_data["file"].read(),
                    dry_run=dry_run,
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
        if form.errors or (result and result.errors):
            status = 400
        elif result and result.written:
            messages.success(
                request,
                f"The catalog is imported: {result.created} offering(s) created, "
                f"{result.updated} updated, {result.unchanged} unchanged.",
            )
            return redirect("catalog:manage")
    context = {"form": form, "result": result, "columns": catalog_csv.CSV_COLUMNS}
    return render(request, "catalog/manage/import.html", context, status=status)


@district_view(Perm.MANAGE_CATALOG)
def catalog_export(request: HttpRequest) -> HttpResponse:
    """The catalog with the list's filters (status too); bad filter values are left out, as
    on the list page."""
    access = request.access
    parsed = parse_filters(request.GET, access=access)
    offerings = queries.offerings_for_export(access, parsed.filters)
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        catalog_csv.export_catalog(offerings), f"{access.district.slug}-catalog-{stamp}.csv"
    )


@district_view(Perm.MANAGE_CATALOG)
def catalog_template(request: HttpRequest) -> HttpResponse:
    return _csv_response(catalog_csv.template_csv(), "trellis-catalog.csv")

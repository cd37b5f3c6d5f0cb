"""Erasing an educator's personal data (district admins, MANAGE_PEOPLE): the preview with the
confirmation form, and the list of past erasures. Thin: queries and services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.privacy import queries, services
from trellis.privacy.forms import ErasureForm
from trellis.privacy.policy import KIND_LABELS


@district_view(Perm.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    educator = queries.educator_for(access, public_id)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.erase_educator(
                access,
                request.user,
                educator,
                reason=form.cleaned_data["reason"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"The personal data is erased ({record.total} records). Recorded below."
            )
            return redirect("privacy:erasures")
    context = {
        "preview": queries.preview(access, educator),
        "form": form,
        "is_self": educator.pk == request.user.pk,
    }
    return render(request, "privacy/erase.html", context, status=400 if form.errors else 200)


@district_view(Perm.MANAGE_PEOPLE)
@require_GET
def erasures(request: HttpRequest) -> HttpResponse:
    page = paginate(queries.erasure_records(request.access), request.GET.get("page"))
    for record in page.object_list:
        record.lines = [
            (KIND_LABELS.get(kind, kind), count) for kind, count in record.counts.items() if count
        ]
    context = {"page": page, "query": query_without_page(request)}
    return render(request, "privacy/erasures.html", context)

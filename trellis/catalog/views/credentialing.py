"""Issue credentials to an offering's completers: starts a bulk issuance batch and shows its
progress page. Needs the credentials permission (district admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from trellis.catalog import credentialing
from trellis.catalog.queries import enrolment as queries
from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@require_POST
@district_view(Perm.MANAGE_CREDENTIALS)
def issue_to_completers(request: HttpRequest, public_id: str) -> HttpResponse:
    offering = queries.get_requestable_offering(request.access, public_id)
    try:
        batch = credentialing.issue_for_completers(
            access=request.access, actor=request.user, offering=offering
        )
    except DomainError as problem:
        messages.error(request, problem.message)
        return redirect("catalog:offering_enrollments", public_id=offering.public_id)
    messages.success(request, f"Issuing credentials to {batch.total} completers.")
    return redirect("credentials_portability:batch_detail", batch.public_id)

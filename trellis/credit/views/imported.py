"""Imported credentials counted toward credit (MANAGE_CREDIT): the district's rule, the queue of
verified imports awaiting review, and counting or declining one. The API calls the same
services (trellis/api/v1/credit_imported.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import ConflictError, DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.credit import queries
from trellis.credit.forms import DeclineImportForm, ImportedRuleForm
from trellis.credit.rules.wording import number
from trellis.credit.services import imported
from trellis.credit.views.manage import add_domain_error
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


def _rule_form(row: Any, data: Any = None) -> ImportedRuleForm:
    each, cap = row.imported_credential_hours, row.imported_credential_cap_hours
    return ImportedRuleForm(
        data,
        initial={
            "hours_each": number(each) if each is not None else "",
            "cap_hours": number(cap) if cap is not None else "",
        },
    )


def _queue_page(
    request: HttpRequest, *, rule_form: ImportedRuleForm | None = None, status: int = 200
) -> HttpResponse:
    row = queries.credit_settings(request.access.district)
    rule_on = row.imported_credential_hours is not None
    page = (
        paginate(imported.awaiting_review(request.access), request.GET.get("page"))
        if rule_on
        else None
    )
    context = {
        "rule_form": rule_form or _rule_form(row),
        "rule_text": imported.describe_rule(row),
        "rule_on": rule_on,
        "hours_each": number(row.imported_credential_hours) if rule_on else "",
        "page": page,
        "query": query_without_page(request),
    }
    return render(request, "credit/imported.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _queue_page(request)
    form = _rule_form(queries.credit_settings(request.access.district), request.POST)
    if form.is_valid():
        try:
            row = imported.set_imported_credential_rule(
                access=request.access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The rule is saved. {imported.describe_rule(row)}")
            return redirect("credit:imported")
    return _queue_page(request, rule_form=form, status=400)


def _back_to_queue(request: HttpRequest) -> str:
    """The queue page the action was sent from (its `page`), so the reviewer stays in place."""
    page = request.POST.get("page", "")
    url = reverse("credit:imported")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def count(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        award = imported.count_imported_credential(
            access=request.access, actor=request.user, badge_public_id=public_id
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = award.educator.full_name or award.educator.email
        messages.success(request, f"“{award.title}” counts for {number(award.hours)} h for {who}.")
    return redirect(_back_to_queue(request))


def _review_page(
    request: HttpRequest,
    public_id: str,
    *,
    form: DeclineImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    review = queries.get_import_for_review(request.access, public_id)
    row = queries.credit_settings(request.access.district)
    context = {
        "review": review,
        "badge": review.badge,
        "checks": review.badge.verification.get("checks", []),
        "form": form or DeclineImportForm(),
        "rule_on": row.imported_credential_hours is not None,
        "hours_each": number(row.imported_credential_hours)
        if row.imported_credential_hours is not None
        else "",
    }
    return render(request, "credit/imported_review.html", context, status=status)


@district_view(Perm.MANAGE_CREDIT)
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    return _review_page(request, public_id)


@district_view(Perm.MANAGE_CREDIT)
@require_POST
def decline(request: HttpRequest, public_id: str) -> HttpResponse:
    queries.get_import_for_review(request.access, public_id)  # another district's: 404 first
    form = DeclineImportForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            row = imported.decline_imported_credential(
                access=request.access,
                actor=request.user,
                badge_public_id=public_id,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status if isinstance(exc, ConflictError) else 400
        else:
            messages.success(
                request,
                f"“{row.badge.achievement_name}” is declined; "
                f"{row.badge.owner.full_name or row.badge.owner.email} is told why.",
            )
            return redirect("credit:imported")
    return _review_page(request, public_id, form=form, status=status)

"""Approver pages: the inbox of requests waiting for me, one request with its decision form, and
the district's approval chain (district PD leaders)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.catalog.forms_enrolment import DecisionForm, RuleFormSet
from trellis.catalog.models import ApprovalStep
from trellis.catalog.queries import approvals as queries
from trellis.catalog.services import approvals as services
from trellis.catalog.services import chains
from trellis.catalog.views.enrolment import add_domain_error
from trellis.core.errors import ConflictError, DomainError
from trellis.core.pagination import paginate
from trellis.districts.decorators import district_view
from trellis.districts.models import Role
from trellis.districts.permissions import Perm


@district_view(Perm.APPROVE_REQUESTS)
def inbox(request: HttpRequest) -> HttpResponse:
    access = request.access
    page = paginate(
        queries.with_details(queries.decidable_steps(access, request.user)),
        request.GET.get("page"),
        per_page=20,
    )
    context = {
        "page": page,
        "rows": queries.inbox_rows(list(page.object_list)),
        "query": "",
        "tz": access.district.timezone,
        "decision_form": DecisionForm(),
    }
    return render(request, "catalog/approvals.html", context)


def _may_view(request: HttpRequest, step: ApprovalStep) -> bool:
    access = request.access
    return Role.DISTRICT_ADMIN in access.roles or queries.may_decide(
        access.district, request.user, step
    )


@district_view(Perm.APPROVE_REQUESTS)
@require_http_methods(["GET", "POST"])
def approval(request: HttpRequest, public_id: str) -> HttpResponse:
    """One request: details, the whole chain, and (while the step is open) approve or deny."""
    access = request.access
    step = queries.get_step(access, public_id)
    if not _may_view(request, step):
        raise DjangoPermissionDenied("This request is for another approver.")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.decide(
                    access=access,
                    actor=request.user,
                    step_or_enrollment=step,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except ConflictError as exc:
                messages.error(request, exc.message)
                return redirect("catalog:approvals")
            except DomainError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied(exc.message) from None
                add_domain_error(form, exc)
                status = exc.status
            else:
                educator = step.enrollment.educator.full_name
                title = step.enrollment.offering.title
                messages.success(
                    request,
                    f"You approved {educator} for “{title}”."
                    if approve
                    else f"You did not approve {educator} for “{title}”; they are told why.",
                )
                return redirect("catalog:approvals")
        else:
            status = 400
    row = queries.inbox_rows([step])[0]
    own = step.enrollment.educator_id == request.user.pk
    context = {
        "row": row,
        "step": step,
        "enrollment": step.enrollment,
        "chain": list(step.enrollment.approval_steps.all()),
        "form": form,
        "open": step.status == ApprovalStep.Status.PENDING
        and not own
        and queries.may_decide(access.district, request.user, step),
        "tz": access.district.timezone,
    }
    return render(request, "catalog/approval.html", context, status=status)


def _initial_rules(district: Any) -> list[dict[str, Any]]:
    return [
        {
            "approver": r.approver,
            "condition": r.condition,
            "days_to_decide": r.days_to_decide,
            "ORDER": position,
        }
        for position, r in enumerate(queries.effective_rules(district), start=1)
    ]


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def approval_chain(request: HttpRequest) -> HttpResponse:
    access = request.access
    formset = RuleFormSet(
        request.POST if request.method == "POST" else None,
        initial=_initial_rules(access.district),
        prefix="rules",
    )
    status, chain_error = 200, ""
    if request.method == "POST":
        if formset.is_valid():
            rules = [
                (
                    form.cleaned_data["approver"],
                    form.cleaned_data["condition"],
                    form.cleaned_data["days_to_decide"],
                )
                for form in formset.ordered_forms
            ]
            try:
                chains.set_approval_chain(access=access, actor=request.user, rules=rules)
            except DomainError as exc:
                chain_error = exc.message
                status = exc.status
            else:
                messages.success(
                    request,
                    "The approval chain is saved. It applies to new requests; requests already "
                    "waiting keep their steps.",
                )
                return redirect("catalog:approval_chain")
        else:
            status = 400
    context = {
        "formset": formset,
        "chain_error": chain_error,
        "configured": queries.chain_configured(access.district),
        "has_rules": bool(queries.chain_rules(access.district)),
    }
    return render(request, "catalog/approval_chain.html", context, status=status)

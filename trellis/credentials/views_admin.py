"""Issuing admin pages (Perm.MANAGE_CREDENTIALS): issued credentials with revoke, suspend and
reinstate, retry of failed issuance; the issuer profile; the signing keys with rotate and revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.credentials import queries
from trellis.credentials.forms import IssuedFilterForm, IssuerProfileForm, ReasonForm
from trellis.credentials.models import KeyStatus
from trellis.credentials.services import keys, lifecycle
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@district_view(Perm.MANAGE_CREDENTIALS)
def issued_list(request: HttpRequest) -> HttpResponse:
    form = IssuedFilterForm(request.GET or None)
    status = search = ""
    if form.is_valid():
        status, search = form.cleaned_data["status"], form.cleaned_data["q"]
    rows = queries.district_credentials(request.access, status=status, search=search)
    page = paginate(rows, request.GET.get("page"))
    return render(
        request,
        "credentials/admin_list.html",
        {
            "form": form,
            "page_obj": page,
            "credentials": page.object_list,
            "query_prefix": query_without_page(request),
            "failures": queries.failed_issues(request.access),
            "filtered": bool(status or search),
        },
    )


REASON_ACTIONS = {
    "revoke": (lifecycle.revoke_credential, "is revoked"),
    "suspend": (lifecycle.suspend_credential, "is suspended"),
    "unsuspend": (lifecycle.unsuspend_credential, "is valid again"),
}


def _reason_action(request: HttpRequest, public_id: Any, action: str) -> HttpResponse:
    credential = queries.get_for_access(request.access, request.user, public_id)
    form = ReasonForm(request.POST or None, required=action != "unsuspend")
    change, outcome = REASON_ACTIONS[action]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                change(
                    request.access,
                    credential.public_id,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"“{credential.achievement_name}” {outcome}.")
                return redirect("credentials:admin")
        status = 400
    return render(
        request,
        "credentials/admin_reason.html",
        {"credential": credential, "form": form, "action": action},
        status=status,
    )


@district_view(Perm.MANAGE_CREDENTIALS)
def revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _reason_action(request, public_id, "revoke")


@district_view(Perm.MANAGE_CREDENTIALS)
def suspend(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _reason_action(request, public_id, "suspend")


@district_view(Perm.MANAGE_CREDENTIALS)
def unsuspend(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _reason_action(request, public_id, "unsuspend")


@require_POST
@district_view(Perm.MANAGE_CREDENTIALS)
def retry(request: HttpRequest) -> HttpResponse:
    try:
        credential = lifecycle.retry_issue(
            request.access,
            source_kind=request.POST.get("source_kind", ""),
            source_key=request.POST.get("source_key", ""),
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, f"Still not issued: {error.message}")
    else:
        messages.success(request, f"Issued “{credential.achievement_name}”.")
    return redirect("credentials:admin")


@district_view(Perm.MANAGE_CREDENTIALS)
def issuer_profile(request: HttpRequest) -> HttpResponse:
    issuer = keys.ensure_issuer(request.access.district)
    form = IssuerProfileForm(request.POST or None, instance=issuer)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lifecycle.update_issuer_profile(
                    request.access,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in lifecycle.PROFILE_FIELDS},
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "The issuer profile is saved.")
                return redirect("credentials:admin_issuer")
        status = 400
    return render(
        request,
        "credentials/admin_issuer.html",
        {"form": form, "issuer": issuer},
        status=status,
    )


@district_view(Perm.MANAGE_CREDENTIALS)
def key_list(request: HttpRequest) -> HttpResponse:
    issuer = keys.ensure_issuer(request.access.district)
    rows = list(queries.keys_of(request.access))
    return render(
        request,
        "credentials/admin_keys.html",
        {
            "issuer": issuer,
            "keys": rows,
            "uses_did_web": keys.uses_did_web(),
            "did": keys.did_web(request.access.district) if keys.uses_did_web() else "",
            "reason_form": ReasonForm(),
            "revoked": KeyStatus.REVOKED,
        },
    )


@require_POST
@district_view(Perm.MANAGE_CREDENTIALS)
def key_rotate(request: HttpRequest) -> HttpResponse:
    try:
        keys.rotate_key(request.access, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "A new signing key is active; the old one still verifies what it signed."
        )
    return redirect("credentials:admin_keys")


@require_POST
@district_view(Perm.MANAGE_CREDENTIALS)
def key_revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
    try:
        keys.revoke_key(
            request.access, public_id, reason=request.POST.get("reason", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The key is revoked: what it signed no longer verifies.")
    return redirect("credentials:admin_keys")

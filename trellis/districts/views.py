"""Thin views for district administration: people, invitations, schools, the audit log, joining."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trellis.accounts.models import User
from trellis.audit.queries import filter_events
from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts import queries, services
from trellis.districts.decorators import district_view
from trellis.districts.forms import (
    AcceptInvitationForm,
    AuditFilterForm,
    InvitationCsvForm,
    InvitationForm,
    SchoolForm,
)
from trellis.districts.middleware import SESSION_KEY
from trellis.districts.models import Invitation
from trellis.districts.permissions import Perm


@require_POST
def switch_district(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    wanted = request.POST.get("district", "")
    district = next((d for d in request.user_districts if str(d.public_id) == wanted), None)
    if district is None:
        raise Http404("No such district.")
    request.session[SESSION_KEY] = str(district.public_id)
    messages.success(request, f"You are now working in {district.name}.")
    return redirect("dashboard:home")


@district_view(Perm.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = InvitationForm(request.POST or None, district=access.district)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(access=access, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("districts:invitations")
    return _render_invitations(request, form=form, status=400 if form.errors else 200)


def _render_invitations(
    request: HttpRequest, *, status: int = 200, **extra: object
) -> HttpResponse:
    access = request.access
    status_filter = request.GET.get("status", "")
    if status_filter not in Invitation.Status.values:
        status_filter = ""
    page = paginate(
        queries.invitations(access.district, status=status_filter), request.GET.get("page")
    )
    context = {
        "form": extra.get("form") or InvitationForm(district=access.district),
        "csv_form": extra.get("csv_form") or InvitationCsvForm(),
        "csv_errors": extra.get("csv_errors") or [],
        "page": page,
        "status_filter": status_filter,
        "statuses": Invitation.Status.choices,
        "query": query_without_page(request),
    }
    return render(request, "districts/invitations.html", context, status=status)


@district_view(Perm.MANAGE_PEOPLE)
@require_POST
def invite_csv(request: HttpRequest) -> HttpResponse:
    form = InvitationCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_invitations(request, csv_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.invite_from_csv(
            access=request.access, actor=request.user, data=upload.read()
        )
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _render_invitations(request, csv_form=form, status=400)
    if result.errors:
        messages.error(request, f"Nothing was sent: {len(result.errors)} row(s) need fixing.")
        return _render_invitations(request, csv_form=form, csv_errors=result.errors, status=400)
    messages.success(request, f"{len(result.invitations)} invitation(s) sent.")
    return redirect("districts:invitations")


@district_view(Perm.MANAGE_PEOPLE)
def invitation_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "email,full_name,roles,school\nmaria.lopez@example.org,Maria Lopez,educator,\n"
        "sam.lee@example.org,Sam Lee,educator;coach,\n",
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="trellis-invitations.csv"'
    return response


@district_view(Perm.MANAGE_PEOPLE)
@require_POST
def revoke_invitation(request: HttpRequest, public_id: str) -> HttpResponse:
    invitation = queries.get_invitation(request.access, public_id)
    try:
        services.revoke_invitation(access=request.access, actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation for {invitation.email} is revoked.")
    return redirect("districts:invitations")


@district_view(Perm.MANAGE_PEOPLE)
@require_POST
def resend_invitation(request: HttpRequest, public_id: str) -> HttpResponse:
    invitation = queries.get_invitation(request.access, public_id)
    try:
        services.resend_invitation(access=request.access, actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"A new link was sent to {invitation.email}.")
    return redirect("districts:invitations")


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "districts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if existing is not None:
        form = None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.accept_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
                current_user=request.user if request.user.is_authenticated else None,
            )
        except DomainError as exc:
            error = exc.message
        else:
            if not request.user.is_authenticated:
                login(request, user, backend="trellis.accounts.backends.EmailBackend")
            request.session[SESSION_KEY] = str(invitation.district.public_id)
            messages.success(request, f"Welcome to {invitation.district.name}!")
            return redirect("dashboard:home")
    context = {"invitation": invitation, "form": form, "existing": existing, "error": error}
    status = 400 if request.method == "POST" else 200
    return render(request, "districts/accept_invitation.html", context, status=status)


@district_view(Perm.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def schools(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.create_school(access=access, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, f"{school.name} is added.")
            return redirect("districts:schools")
    context = {"form": form, "schools": queries.schools_with_counts(access.district)}
    return render(request, "districts/schools.html", context, status=400 if form.errors else 200)


@district_view(Perm.VIEW_AUDIT_LOG)
@vary_on_headers("HX-Request")  # the same URL answers with a page or, for htmx, a partial
def audit_log(request: HttpRequest) -> HttpResponse:
    district = request.access.district
    events = queries.audit_events(district)
    actions = list(events.order_by("action").values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, actions=actions)
    if form.is_bound:
        form.is_valid()  # a wrong field shows its error; the valid fields still filter
        data = form.cleaned_data
        events = filter_events(
            events,
            action=data.get("action", ""),
            actor_email=data.get("actor", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
    page = paginate(events, request.GET.get("page"), per_page=50)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    template = (
        "districts/audit_log.html#audit-table" if request.htmx else "districts/audit_log.html"
    )
    return render(request, template, context)

"""Volunteering: an educator offers to lead, present, mentor or assess; PD leaders follow up."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.voice import queries, services
from trellis.voice.forms import OfferFilterForm, OfferStatusForm, VolunteerForm
from trellis.voice.models import VolunteerKind
from trellis.voice.services import VOLUNTEER_TRANSITIONS
from trellis.voice.views import add_error, district_cmap


def _optional_url(name: str, query: str = "") -> str:
    """A link into an app that may not be installed yet (the quality app's proposal form)."""
    try:
        return reverse(name) + query
    except NoReverseMatch:
        return ""


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def volunteer(request: HttpRequest) -> HttpResponse:
    access = request.access
    cmap = district_cmap(access)
    kind = request.GET.get("kind", "")
    initial = {"kind": kind if kind in VolunteerKind.values else ""}
    form = VolunteerForm(request.POST or None, cmap=cmap, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_to_volunteer(
                access=access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                f"Thank you! Your offer to {offer.get_kind_display().lower()} is sent to the "
                "district PD team.",
            )
            return redirect("voice:volunteer")
    context = {
        "form": form,
        "offers": queries.my_offers(access, request.user),
        "propose_url": _optional_url("quality:propose", "?kind=facilitate"),
    }
    return render(request, "voice/volunteer.html", context, status=400 if form.errors else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def volunteer_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    offer = queries.get_my_offer(access, request.user, public_id)
    try:
        services.withdraw_offer(access=access, actor=request.user, offer=offer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You withdrew your offer to {offer.get_kind_display().lower()}.")
    return redirect("voice:volunteer")


@district_view(Perm.VIEW_DEMAND)
def volunteers(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = OfferFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    rows = queries.offers_for(
        access, kind=filters.get("kind") or "", status=filters.get("status") or ""
    )
    page = paginate(rows, request.GET.get("page"), per_page=25)
    items = [
        {
            "offer": offer,
            "form": OfferStatusForm(
                statuses=sorted(VOLUNTEER_TRANSITIONS[offer.status]),
                prefix=str(offer.public_id),
            )
            if VOLUNTEER_TRANSITIONS[offer.status]
            else None,
        }
        for offer in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "items": items,
        "query": query_without_page(request),
        "assessor_pool_url": _optional_url("microcredentials:assessment_assessors"),
    }
    return render(request, "voice/volunteers.html", context)


@district_view(Perm.VIEW_DEMAND)
@require_POST
def volunteer_status(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    offer = queries.get_offer(access, public_id)
    form = OfferStatusForm(
        request.POST,
        statuses=sorted(VOLUNTEER_TRANSITIONS[offer.status]),
        prefix=str(offer.public_id),
    )
    if not form.is_valid():
        messages.error(request, "Choose a status this offer can move to.")
        return redirect("voice:volunteers")
    try:
        services.set_offer_status(
            access=access,
            actor=request.user,
            offer=offer,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        add_error(form, exc)
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{offer.volunteer}'s offer is now {offer.get_status_display().lower()}; "
            "they are told.",
        )
    return redirect("voice:volunteers")

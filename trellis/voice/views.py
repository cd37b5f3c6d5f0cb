"""Topic requests: the list with filters, asking, editing, withdrawing, upvoting, and the PD
leader's answer. Volunteering is in views_volunteer.py, the demand report in views_demand.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.models import Offering, OfferingStatus
from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.growth.models import LearningFormat
from trellis.voice import queries, services
from trellis.voice.forms import RequestFilterForm, RequestStatusForm, TopicRequestForm
from trellis.voice.models import RequestStatus, TopicRequest
from trellis.voice.services import REQUEST_TRANSITIONS


def district_cmap(access: Any) -> Any:
    framework = growth_queries.adopted_framework(access.district)
    return growth_queries.competency_map(framework) if framework else None


def add_error(form: Any, exc: DomainError) -> None:
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)


def _similar(access: Any, exc: DomainError) -> TopicRequest | None:
    public_id = exc.details.get("similar") if exc.details else None
    if not public_id:
        return None
    return TopicRequest.objects.filter(district=access.district, public_id=public_id).first()


@district_view(Perm.VIEW_OWN_LEARNING)
def home(request: HttpRequest) -> HttpResponse:
    access = request.access
    cmap = district_cmap(access)
    schools = list(access.district.schools.order_by("name", "pk"))
    form = RequestFilterForm(request.GET or None, cmap=cmap, schools=schools)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a wrong value shows its error; the valid fields still filter
        filters = form.cleaned_data
    competency_key = filters.get("competency") or ""
    competency: Any = None
    if competency_key == queries.NO_COMPETENCY:
        competency = queries.NO_COMPETENCY
    elif competency_key and cmap is not None:
        competency = cmap.by_public_id().get(competency_key)
    school_key = filters.get("school") or ""
    school = next((s for s in schools if str(s.public_id) == school_key), None)
    rows = queries.requests_for(
        access,
        status=filters.get("status") or "",
        competency=competency,
        school=school,
        search=filters.get("q") or "",
        sort=filters.get("sort") or "votes",
    )
    page = paginate(rows, request.GET.get("page"), per_page=20)
    voted = queries.voted_request_ids(request.user, [r.pk for r in page.object_list])
    context = {
        "form": form,
        "page": page,
        "voted": voted,
        "query": query_without_page(request),
        "can_manage": access.can(Perm.VIEW_DEMAND),
        "mine": queries.my_requests(access, request.user).filter(status=RequestStatus.OPEN)[:5],
    }
    return render(request, "voice/home.html", context)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    access = request.access
    cmap = district_cmap(access)
    initial = {"competency": request.GET.get("competency", "")}
    form = TopicRequestForm(request.POST or None, cmap=cmap, initial=initial)
    similar, similar_exact = None, False
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_request(
                access=access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_error(form, exc)
            similar, similar_exact = _similar(access, exc), bool(exc.details.get("exact"))
        else:
            messages.success(request, f"Your request “{created.title}” is posted.")
            return redirect("voice:request", public_id=created.public_id)
    context = {
        "form": form,
        "similar": similar,
        "similar_exact": similar_exact,
        "topic_request": None,
    }
    return render(request, "voice/request_form.html", context, status=400 if form.errors else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_request(access, request.user, public_id)
    status_form = None
    if access.can(Perm.VIEW_DEMAND) and REQUEST_TRANSITIONS.get(found.status):
        status_form = _status_form(access, found)
    return render(request, "voice/request.html", _detail_context(request, found, status_form))


def _status_form(access: Any, found: TopicRequest, data: Any = None) -> RequestStatusForm:
    offerings = list(
        Offering.objects.filter(
            district=access.district,
            status__in=[OfferingStatus.PUBLISHED, OfferingStatus.DRAFT],
        )
        .only("pk", "public_id", "title")
        .order_by("title", "pk")
    )
    statuses = [s for s, _ in RequestStatus.choices if s in REQUEST_TRANSITIONS[found.status]]
    initial = {"offering": str(found.offering.public_id) if found.offering else ""}
    return RequestStatusForm(data, statuses=statuses, offerings=offerings, initial=initial)


def _detail_context(request: HttpRequest, found: TopicRequest, status_form: Any) -> dict:
    return {
        "r": found,
        "voted": bool(queries.voted_request_ids(request.user, [found.pk])),
        "is_mine": found.requester_id == request.user.pk,
        "status_form": status_form,
        "format_label": dict(LearningFormat.choices).get(found.preferred_format, ""),
    }


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_request(access, request.user, public_id)
    if found.requester_id != request.user.pk or not found.is_open:
        messages.error(request, "Only an open request of yours can be edited.")
        return redirect("voice:request", public_id=found.public_id)
    cmap = district_cmap(access)
    initial = {
        "title": found.title,
        "details": found.details,
        "competency": str(found.competency.public_id) if found.competency else "",
        "preferred_format": found.preferred_format,
    }
    form = TopicRequestForm(request.POST or None, cmap=cmap, initial=initial)
    similar, similar_exact = None, False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_request(
                access=access, actor=request.user, topic_request=found, **form.cleaned_data
            )
        except DomainError as exc:
            add_error(form, exc)
            similar, similar_exact = _similar(access, exc), bool(exc.details.get("exact"))
        else:
            messages.success(request, "Your request is saved.")
            return redirect("voice:request", public_id=found.public_id)
    context = {
        "form": form,
        "similar": similar,
        "similar_exact": similar_exact,
        "topic_request": found,
    }
    return render(request, "voice/request_form.html", context, status=400 if form.errors else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def request_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_request(access, request.user, public_id)
    try:
        services.withdraw_request(access=access, actor=request.user, topic_request=found)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("voice:request", public_id=found.public_id)
    messages.success(request, f"You withdrew “{found.title}”.")
    return redirect("voice:home")


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def request_vote(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_request(access, request.user, public_id)
    try:
        now_voted = services.toggle_vote(access=access, actor=request.user, topic_request=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if now_voted:
            messages.success(request, f"You upvoted “{found.title}”.")
        else:
            messages.success(request, f"You took back your upvote of “{found.title}”.")
    target = request.POST.get("next", "")
    if target.startswith("/voice/") and not target.startswith("//"):
        return redirect(target)
    return redirect("voice:request", public_id=found.public_id)


@district_view(Perm.VIEW_DEMAND)
@require_POST
def request_status(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_request(access, request.user, public_id)
    if not REQUEST_TRANSITIONS.get(found.status):
        messages.error(request, f"A {found.get_status_display().lower()} request is final.")
        return redirect("voice:request", public_id=found.public_id)
    form = _status_form(access, found, request.POST)
    if form.is_valid():
        try:
            services.set_request_status(
                access=access,
                actor=request.user,
                topic_request=found,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                offering=form.cleaned_data["offering"],
            )
        except DomainError as exc:
            add_error(form, exc)
        else:
            messages.success(request, "The request is updated; the requester and voters are told.")
            return redirect("voice:request", public_id=found.public_id)
    return render(request, "voice/request.html", _detail_context(request, found, form), status=400)

"""Thin views: the educator's log, the bookmarklet's entry page, the district's counting rules
and the xAPI integrations page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate
from trellis.credit.queries.renewal import district_today
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.informal import queries
from trellis.informal.forms import EntryForm, IntegrationForm, RulesForm
from trellis.informal.models import EntrySource
from trellis.informal.services import entries, integrations, rules


def _competencies(access: Any) -> list:
    framework = growth_queries.adopted_framework(access.district)
    return list(growth_queries.competency_map(framework).competencies) if framework else []


def _show(form: Any, error: DomainError) -> None:
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _bookmarklet(request: HttpRequest) -> str:
    target = request.build_absolute_uri(reverse("informal:new"))
    return (
        "javascript:(function(){window.open('" + target + "?source=bookmarklet&url='"
        "+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title),"
        "'trellis_log','width=520,height=760');})();"
    )


def _entry_fields(form: EntryForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "url": data["url"],
        "minutes": data["minutes"],
        "format": data["format"],
        "learned_on": data["learned_on"],
        "competency": data["competency"] or None,
        "reflection": data["reflection"],
    }


def _new_form(request: HttpRequest, competencies: list) -> EntryForm:
    initial = {
        "learned_on": district_today(request.access.district),
        "format": "video",
        "quick_minutes": "30",
        "url": request.GET.get("url", "")[:1000],
        "title": request.GET.get("title", "")[:200],
    }
    return EntryForm(initial=initial, competencies=competencies)


@district_view(Perm.VIEW_OWN_LEARNING)
def log(request: HttpRequest) -> HttpResponse:
    access = request.access
    competencies = _competencies(access)
    page = paginate(queries.own_entries(access, request.user), request.GET.get("page"), per_page=20)
    context = {
        "form": _new_form(request, competencies),
        "page": page,
        "totals": queries.totals(access, request.user),
        "rules": queries.rules_for(access.district),
        "bookmarklet": _bookmarklet(request),
    }
    return render(request, "informal/log.html", context)


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    access = request.access
    competencies = _competencies(access)
    source = request.GET.get("source") or request.POST.get("source") or EntrySource.MANUAL
    if request.method == "POST":
        form = EntryForm(request.POST, competencies=competencies)
        if form.is_valid():
            try:
                entry = entries.create_entry(
                    access=access, actor=request.user, source=source, **_entry_fields(form)
                )
            except DomainError as error:
                _show(form, error)
            else:
                messages.success(request, f"Logged “{entry.title}”. {entry.credit_note}")
                return redirect("informal:log")
    else:
        form = _new_form(request, competencies)
    return render(request, "informal/entry_form.html", {"form": form, "source": source})


@district_view(Perm.VIEW_OWN_LEARNING)
def entry(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.visible_entry(request.access, request.user, public_id)
    return render(
        request,
        "informal/entry.html",
        {"entry": found, "is_owner": found.educator_id == request.user.pk},
    )


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.own_entry(access, request.user, public_id)
    competencies = _competencies(access)
    if request.method == "POST":
        form = EntryForm(request.POST, competencies=competencies)
        if form.is_valid():
            try:
                entries.update_entry(
                    access=access, actor=request.user, entry=found, **_entry_fields(form)
                )
            except DomainError as error:
                _show(form, error)
            else:
                messages.success(request, f"Saved “{form.cleaned_data['title']}”.")
                return redirect("informal:log")
    else:
        quick = str(found.minutes) if found.minutes in (15, 30, 45, 60) else "custom"
        form = EntryForm(
            initial={
                "title": found.title,
                "url": found.url,
                "format": found.format,
                "quick_minutes": quick,
                "minutes": found.minutes,
                "learned_on": found.learned_on,
                "competency": str(found.competency.public_id) if found.competency else "",
                "reflection": found.reflection,
            },
            competencies=competencies,
        )
    return render(request, "informal/entry_form.html", {"form": form, "entry": found})


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def delete(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.own_entry(request.access, request.user, public_id)
    try:
        entries.delete_entry(access=request.access, actor=request.user, entry=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Deleted “{found.title}”.")
    return redirect("informal:log")


@district_view(Perm.MANAGE_CREDIT)
@require_http_methods(["GET", "POST"])
def rules_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    current = queries.rules_for(access.district)
    if request.method == "POST":
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                rules.update_rules(access=access, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _show(form, error)
            else:
                messages.success(request, "Saved the rules for informal learning.")
                return redirect("informal:rules")
    else:
        form = RulesForm(
            initial={
                "counts_toward_credit": current.counts_toward_credit if current else False,
                "yearly_cap_hours": current.yearly_cap_hours if current else None,
                "entry_cap_hours": current.entry_cap_hours if current else None,
                "requires_reflection": current.requires_reflection if current else True,
                "counted_formats": current.counted_formats if current else [],
            }
        )
    return render(request, "informal/rules.html", {"form": form})


def _integrations_page(request: HttpRequest, form: IntegrationForm, **extra: Any) -> HttpResponse:
    context = {
        "form": form,
        "integrations": queries.integrations(request.access),
        "endpoint": request.build_absolute_uri("/xapi/"),
        **extra,
    }
    return render(request, "informal/integrations.html", context)


@district_view(Perm.MANAGE_INTEGRATIONS)
@require_http_methods(["GET", "POST"])
def integrations_page(request: HttpRequest) -> HttpResponse:
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = integrations.create_integration(
                access=request.access, actor=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            _show(form, error)
        else:
            # The secret is in this one response only; it is never stored in clear.
            return _integrations_page(request, IntegrationForm(), shown=created, secret=secret)
    return _integrations_page(request, form)


@district_view(Perm.MANAGE_INTEGRATIONS)
@require_POST
def integration_rotate(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.integration(request.access, public_id)
    rotated, secret = integrations.rotate_secret(
        access=request.access, actor=request.user, integration=found
    )
    return _integrations_page(request, IntegrationForm(), shown=rotated, secret=secret)


@district_view(Perm.MANAGE_INTEGRATIONS)
@require_POST
def integration_deactivate(request: HttpRequest, public_id: str) -> HttpResponse:
    found = queries.integration(request.access, public_id)
    try:
        integrations.deactivate_integration(
            access=request.access, actor=request.user, integration=found
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Switched off “{found.name}”; its credentials no longer work.")
    return redirect("informal:integrations")

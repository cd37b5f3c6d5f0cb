"""Thin views for the educator directory: who is in the district, their roles and profile."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.districts import queries, services
from trellis.districts.decorators import district_view
from trellis.districts.forms import PeopleFilterForm, RolesForm
from trellis.districts.models import Role
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.growth.pages.coaching import coaching_panel


@district_view(Perm.VIEW_SCHOOL_STAFF)
@vary_on_headers("HX-Request")  # the same URL answers with a page or, for htmx, a partial
def people(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = PeopleFilterForm(request.GET or None, district=access.district)
    filters: dict = {}
    if form.is_bound:
        form.is_valid()  # a wrong field shows its error; the valid fields still filter
        filters = form.cleaned_data
    people_qs = queries.members(
        access,
        role=filters.get("role", ""),
        school=filters.get("school"),
        search=filters.get("q", ""),
    )
    page = paginate(people_qs, request.GET.get("page"), per_page=25)
    user_ids = [person.pk for person in page.object_list]
    roles = queries.roles_by_user(access.district, user_ids)
    profiles = growth_queries.profiles_for_users(access.district, user_ids)
    rows = [
        {
            "person": person,
            "roles": [Role(r).label for r in roles.get(person.pk, [])],
            "profile": profiles.get(person.pk),
        }
        for person in page.object_list
    ]
    context = {"form": form, "page": page, "rows": rows, "query": query_without_page(request)}
    template = "growth/people.html#people-table" if request.htmx else "growth/people.html"
    return render(request, template, context)


@district_view(Perm.VIEW_SCHOOL_STAFF)
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    member = queries.members(access).filter(public_id=public_id).first()
    if member is None:
        raise Http404("No such person.")
    current_roles = queries.roles_by_user(access.district, [member.pk]).get(member.pk, [])
    form = None
    if access.can(Perm.MANAGE_PEOPLE):
        form = RolesForm(
            request.POST or None, district=access.district, initial={"roles": current_roles}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.set_roles(
                    access=access,
                    actor=request.user,
                    user=member,
                    roles=form.cleaned_data["roles"],
                    school=form.cleaned_data["school"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Roles of {member} are saved.")
                return redirect("growth:person", public_id=member.public_id)
    elif request.method == "POST":
        raise PermissionDenied  # may see the person, may not change their roles
    context = {
        "member": member,
        "roles": [Role(r).label for r in current_roles],
        "profile": growth_queries.profile_for(member, access.district),
        "form": form,
        "coaching": coaching_panel(access, member),
    }
    return render(
        request,
        "growth/person.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )

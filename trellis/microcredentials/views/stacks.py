"""Stacks: everyone sees the active ones; authors create, edit, deactivate and reactivate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.microcredentials.forms_authoring import StackForm
from trellis.microcredentials.models import DefinitionVersion, Stack
from trellis.microcredentials.queries import definitions as queries
from trellis.microcredentials.services import stacks as services
from trellis.microcredentials.views.authoring import add_domain_error


@district_view(Perm.VIEW_OWN_LEARNING)
def stack_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    author = queries.can_author(access)
    rows = queries.district_stacks(access)
    if not author:
        rows = rows.filter(is_active=True)
    rows = list(rows)
    titles = dict(
        DefinitionVersion.objects.filter(
            micro_credential__district=access.district, status=DefinitionVersion.Status.PUBLISHED
        ).values_list("micro_credential_id", "title")
    )
    context = {
        "stacks": [
            {
                "stack": stack,
                "members": sorted(
                    ((m, titles.get(m.pk, m.slug)) for m in stack.members.all()), key=lambda r: r[1]
                ),
            }
            for stack in rows
        ],
        "can_author": author,
    }
    return render(request, "microcredentials/stacks.html", context)


def _form(request: HttpRequest, stack: Stack | None) -> StackForm:
    return StackForm(
        request.POST or None,
        member_choices=queries.published_choices(request.access),
        initial=StackForm.initial_for(stack) if stack else {},
    )


def _form_page(request: HttpRequest, form: StackForm, stack: Stack | None) -> HttpResponse:
    return render(
        request,
        "microcredentials/stack_form.html",
        {"form": form, "stack": stack},
        status=400 if form.errors else 200,
    )


@district_view(Perm.MANAGE_MICRO_CREDENTIALS)
@require_http_methods(["GET", "POST"])
def stack_new(request: HttpRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            stack = services.create_stack(
                access=request.access, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The stack “{stack.title}” is saved.")
            return redirect("microcredentials:stacks")
    return _form_page(request, form, None)


@district_view(Perm.MANAGE_MICRO_CREDENTIALS)
@require_http_methods(["GET", "POST"])
def stack_edit(request: HttpRequest, stack_id: str) -> HttpResponse:
    stack = queries.get_stack(request.access, stack_id)
    form = _form(request, stack)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_stack(
                access=request.access, actor=request.user, stack=stack, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"The stack “{form.cleaned_data['title']}” is saved.")
            return redirect("microcredentials:stacks")
    return _form_page(request, form, stack)


@district_view(Perm.MANAGE_MICRO_CREDENTIALS)
@require_POST
def stack_active(request: HttpRequest, stack_id: str) -> HttpResponse:
    stack = queries.get_stack(request.access, stack_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_stack_active(
            access=request.access, actor=request.user, stack=stack, active=active
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The stack “{stack.title}” is {'active' if active else 'deactivated'}."
        )
    return redirect("microcredentials:stacks")

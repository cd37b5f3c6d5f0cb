"""Thin views for editing a district's own framework: details, scale and items."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.frameworks import queries, services
from trellis.frameworks.forms import FrameworkDetailsForm, ItemForm, NewItemForm, ScaleForm
from trellis.frameworks.models import Framework, FrameworkItem

# The kind a new child usually has, given its parent's kind (None: a top-level item).
_CHILD_KIND = {
    None: FrameworkItem.Kind.DOMAIN,
    FrameworkItem.Kind.DOMAIN: FrameworkItem.Kind.COMPETENCY,
    FrameworkItem.Kind.STANDARD: FrameworkItem.Kind.COMPETENCY,
    FrameworkItem.Kind.COMPETENCY: FrameworkItem.Kind.INDICATOR,
    FrameworkItem.Kind.INDICATOR: FrameworkItem.Kind.INDICATOR,
}


def _editable(request: HttpRequest, public_id: str) -> tuple[Framework, HttpResponse | None]:
    """The framework, or a redirect explaining why it cannot be edited here."""
    framework = queries.get_framework(request.access, public_id)
    if framework.is_library:
        messages.error(
            request, "Library frameworks are read-only. Copy it to your district to edit it."
        )
        return framework, redirect("frameworks:detail", public_id=framework.public_id)
    return framework, None


def _back(framework: Framework, item: FrameworkItem | None = None) -> HttpResponse:
    response = redirect("frameworks:detail", public_id=framework.public_id)
    if item is not None:
        response["Location"] += f"#item-{item.public_id}"
    return response


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    initial = {
        "title": framework.title,
        "description": framework.description,
        "version": framework.version,
    }
    form = FrameworkDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_framework_details(
                access=request.access, actor=request.user, framework=framework, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Framework details saved.")
            return _back(framework)
    context = {"framework": framework, "form": form}
    return render(
        request, "frameworks/details_form.html", context, status=400 if form.errors else 200
    )


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def scale_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    form = ScaleForm(request.POST or None, initial=ScaleForm.initial_for(queries.levels(framework)))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_scale(
                access=request.access, actor=request.user, framework=framework, levels=form.levels()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Proficiency scale saved.")
            return _back(framework)
    context = {"framework": framework, "form": form}
    return render(
        request, "frameworks/scale_form.html", context, status=400 if form.errors else 200
    )


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, public_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent = queries.get_item(framework, parent_id) if parent_id else None
    form = NewItemForm(
        request.POST or None, initial={"kind": _CHILD_KIND[parent.kind if parent else None]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(
                access=request.access,
                actor=request.user,
                framework=framework,
                parent=parent,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added “{item}”.")
            return _back(framework, item)
    context = {"framework": framework, "form": form, "parent": parent, "item": None}
    return render(request, "frameworks/item_form.html", context, status=400 if form.errors else 200)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, public_id: str, item_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    item = queries.get_item(framework, item_id)
    initial = {
        "human_code": item.human_code,
        "title": item.title,
        "statement": item.statement,
        "description": item.description,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(
                access=request.access, actor=request.user, item=item, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Saved “{item}”.")
            return _back(framework, item)
    context = {"framework": framework, "form": form, "parent": item.parent, "item": item}
    return render(request, "frameworks/item_form.html", context, status=400 if form.errors else 200)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_POST
def item_delete(request: HttpRequest, public_id: str, item_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    item = queries.get_item(framework, item_id)
    try:
        services.delete_item(access=request.access, actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(framework, item)
    messages.success(request, f"Deleted “{item}”.")
    return _back(framework, item.parent)


@district_view(Perm.MANAGE_FRAMEWORKS)
@require_POST
def item_move(request: HttpRequest, public_id: str, item_id: str) -> HttpResponse:
    framework, refused = _editable(request, public_id)
    if refused:
        return refused
    item = queries.get_item(framework, item_id)
    try:
        services.move_item(
            access=request.access,
            actor=request.user,
            item=item,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(framework, item)

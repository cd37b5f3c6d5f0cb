"""Authoring definitions (MANAGE_MICRO_CREDENTIALS): create, edit the draft (fields, parts and
their rubric criteria), publish, start a new version, retire, reinstate, import JSON."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.ids import public_id_or_404
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.microcredentials.forms_authoring import (
    CriterionForm,
    DefinitionForm,
    ImportForm,
    PartForm,
)
from trellis.microcredentials.models import DefinitionVersion, MicroCredential, RubricCriterion
from trellis.microcredentials.queries import definitions as queries
from trellis.microcredentials.services import definition_json, definition_parts, definitions

AUTHOR = Perm.MANAGE_MICRO_CREDENTIALS


def add_domain_error(form: Any, exc: DomainError) -> None:
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)


def _definition_form(request: HttpRequest, version: DefinitionVersion | None) -> DefinitionForm:
    access = request.access
    framework = growth_queries.adopted_framework(access.district)
    return DefinitionForm(
        request.POST or None,
        request.FILES or None,
        cmap=growth_queries.competency_map(framework) if framework else None,
        prerequisite_choices=queries.published_choices(
            access, exclude=version.micro_credential if version else None
        ),
        initial=DefinitionForm.initial_for(version),
        current=list(version.competencies.all()) if version else None,
    )


def _save_image(request: HttpRequest, form: DefinitionForm, version: DefinitionVersion) -> None:
    image = form.cleaned_data.get("image")
    if image is False:  # "clear" ticked
        definitions.set_image(
            access=request.access, actor=request.user, version=version, upload=None
        )
    elif image:
        definitions.set_image(
            access=request.access, actor=request.user, version=version, upload=image
        )


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = _definition_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("image"):
                definitions.sniff_image(form.cleaned_data["image"])  # refuse before writing
            version = definitions.create_micro_credential(
                access=request.access, actor=request.user, **form.service_fields()
            )
            _save_image(request, form, version)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"“{version.title}” is a draft. Add its parts and rubric, then publish it."
            )
            return redirect("microcredentials:edit", public_id=version.micro_credential.public_id)
    context = {"form": form, "mc": None, "version": None}
    return render(
        request,
        "microcredentials/authoring/create.html",
        context,
        status=400 if form.errors else 200,
    )


def _draft_or_404(
    request: HttpRequest, public_id: str
) -> tuple[MicroCredential, DefinitionVersion]:
    micro_credential = queries.get_micro_credential(request.access, public_id)
    draft = queries.draft_of(micro_credential)
    if draft is None:
        raise Http404("This micro-credential has no draft version: start a new version first.")
    return micro_credential, draft


def _edit_page(
    request: HttpRequest,
    micro_credential: MicroCredential,
    draft: DefinitionVersion,
    form: DefinitionForm,
    *,
    part_form: PartForm | None = None,
    criterion_forms: dict[int, CriterionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = queries.full_version(draft.pk)
    parts = list(version.parts.all())
    criterion_forms = criterion_forms or {}
    context = {
        "mc": micro_credential,
        "version": version,
        "form": form,
        "parts": [
            {
                "part": part,
                "criterion_form": criterion_forms.get(part.pk)
                or CriterionForm(prefix=f"p{part.pk}"),
            }
            for part in parts
        ],
        "part_form": part_form
        or PartForm(initial={"kind": "overview", "required": True, "max_files": 3}),
        "blockers": definitions.publish_problems(version),
    }
    return render(request, "microcredentials/authoring/edit.html", context, status=status)


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    form = _definition_form(request, draft)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("image"):
                definitions.sniff_image(form.cleaned_data["image"])
            definitions.update_version(
                access=request.access, actor=request.user, version=draft, **form.service_fields()
            )
            _save_image(request, form, draft)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The draft is saved.")
            return redirect("microcredentials:edit", public_id=micro_credential.public_id)
    return _edit_page(request, micro_credential, draft, form, status=400 if form.errors else 200)


def _part(draft: DefinitionVersion, part_id: str) -> Any:
    return queries.get_part(draft, part_id)


@district_view(AUTHOR)
@require_POST
def part_add(request: HttpRequest, public_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    part_form = PartForm(request.POST)
    if part_form.is_valid():
        try:
            definition_parts.add_part(
                access=request.access, actor=request.user, version=draft, **part_form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(part_form, exc)
        else:
            messages.success(request, f"Added the part “{part_form.cleaned_data['title']}”.")
            return redirect("microcredentials:edit", public_id=micro_credential.public_id)
    return _edit_page(
        request,
        micro_credential,
        draft,
        _unbound_form(request, draft),
        part_form=part_form,
        status=400,
    )


def _unbound_form(request: HttpRequest, draft: DefinitionVersion) -> DefinitionForm:
    framework = growth_queries.adopted_framework(request.access.district)
    return DefinitionForm(
        cmap=growth_queries.competency_map(framework) if framework else None,
        prerequisite_choices=queries.published_choices(
            request.access, exclude=draft.micro_credential
        ),
        initial=DefinitionForm.initial_for(draft),
        current=list(draft.competencies.all()),
    )


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, public_id: str, part_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    part = _part(draft, part_id)
    form = PartForm(request.POST or None, initial=PartForm.initial_for(part))
    if request.method == "POST" and form.is_valid():
        try:
            definition_parts.update_part(
                access=request.access, actor=request.user, part=part, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Part {part.position} is saved.")
            return redirect("microcredentials:edit", public_id=micro_credential.public_id)
    context = {"mc": micro_credential, "version": draft, "part": part, "form": form}
    return render(
        request,
        "microcredentials/authoring/part_form.html",
        context,
        status=400 if form.errors else 200,
    )


@district_view(AUTHOR)
@require_POST
def part_action(request: HttpRequest, public_id: str, part_id: str) -> HttpResponse:
    """Move up, move down or remove a part (the button's `action`)."""
    micro_credential, draft = _draft_or_404(request, public_id)
    part = _part(draft, part_id)
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            definition_parts.move_part(
                access=request.access, actor=request.user, part=part, direction=action
            )
        elif action == "remove":
            definition_parts.remove_part(access=request.access, actor=request.user, part=part)
            messages.success(request, f"Removed the part “{part.title}”.")
        else:
            messages.error(request, "Choose to move the part up or down, or to remove it.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("microcredentials:edit", public_id=micro_credential.public_id)


@district_view(AUTHOR)
@require_POST
def criterion_add(request: HttpRequest, public_id: str, part_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    part = _part(draft, part_id)
    form = CriterionForm(request.POST, prefix=f"p{part.pk}")
    if form.is_valid():
        try:
            definition_parts.add_criterion(
                access=request.access,
                actor=request.user,
                part=part,
                name=form.cleaned_data["name"],
                levels=form.levels(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Added the criterion “{form.cleaned_data['name']}”.")
            return redirect("microcredentials:edit", public_id=micro_credential.public_id)
    return _edit_page(
        request,
        micro_credential,
        draft,
        _unbound_form(request, draft),
        criterion_forms={part.pk: form},
        status=400,
    )


def _criterion(draft: DefinitionVersion, criterion_id: str) -> RubricCriterion:
    key = public_id_or_404(criterion_id, "criterion")
    found = (
        RubricCriterion.objects.filter(part__version=draft, public_id=key)
        .select_related("part")
        .first()
    )
    if found is None:
        raise Http404("No such criterion.")
    return found


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, public_id: str, criterion_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    criterion = _criterion(draft, criterion_id)
    form = CriterionForm(
        request.POST or None, initial=CriterionForm.initial_for(criterion.levels, criterion.name)
    )
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                definition_parts.remove_criterion(
                    access=request.access, actor=request.user, criterion=criterion
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Removed the criterion “{criterion.name}”.")
            return redirect("microcredentials:edit", public_id=micro_credential.public_id)
        if form.is_valid():
            try:
                definition_parts.update_criterion(
                    access=request.access,
                    actor=request.user,
                    criterion=criterion,
                    name=form.cleaned_data["name"],
                    levels=form.levels(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"The criterion “{form.cleaned_data['name']}” is saved.")
                return redirect("microcredentials:edit", public_id=micro_credential.public_id)
    context = {"mc": micro_credential, "version": draft, "criterion": criterion, "form": form}
    return render(
        request,
        "microcredentials/authoring/criterion_form.html",
        context,
        status=400 if form.errors else 200,
    )


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, public_id: str) -> HttpResponse:
    micro_credential, draft = _draft_or_404(request, public_id)
    error = ""
    if request.method == "POST":
        try:
            definitions.publish_version(access=request.access, actor=request.user, version=draft)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Version {draft.number} of “{draft.title}” is published.")
            return redirect("microcredentials:definition", public_id=micro_credential.public_id)
    context = {
        "mc": micro_credential,
        "version": draft,
        "blockers": definitions.publish_problems(draft),
        "error": error,
        "current": definitions.latest_published(micro_credential),
    }
    return render(
        request, "microcredentials/authoring/publish.html", context, status=409 if error else 200
    )


@district_view(AUTHOR)
@require_POST
def new_version(request: HttpRequest, public_id: str) -> HttpResponse:
    micro_credential = queries.get_micro_credential(request.access, public_id)
    try:
        draft = definitions.new_version(
            access=request.access, actor=request.user, micro_credential=micro_credential
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("microcredentials:definition", public_id=micro_credential.public_id)
    messages.success(
        request,
        f"Version {draft.number} is a draft copied from the published version: edit it, then publish it.",
    )
    return redirect("microcredentials:edit", public_id=micro_credential.public_id)


@district_view(AUTHOR)
@require_POST
def change_status(request: HttpRequest, public_id: str) -> HttpResponse:
    micro_credential = queries.get_micro_credential(request.access, public_id)
    action = request.POST.get("action", "")
    service = {"retire": definitions.retire, "reinstate": definitions.reinstate}.get(action)
    if service is None:
        messages.error(request, "Choose to retire or to reinstate the micro-credential.")
    else:
        try:
            service(access=request.access, actor=request.user, micro_credential=micro_credential)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                "It is retired: nobody can start it, and earned ones stay valid."
                if action == "retire"
                else "It is published again.",
            )
    return redirect("microcredentials:definition", public_id=micro_credential.public_id)


@district_view(AUTHOR)
@require_http_methods(["GET", "POST"])
def import_json(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = definition_json.import_document(
                access=request.access, actor=request.user, raw=form.raw()
            )
        except definition_json.ImportRefused as exc:
            problems = exc.problems
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Imported “{version.title}” as draft version {version.number}: check it, then publish it.",
            )
            return redirect("microcredentials:edit", public_id=version.micro_credential.public_id)
    context = {"form": form, "problems": problems, "format": definition_json.FORMAT}
    status = 400 if (form.errors or problems) else 200
    return render(request, "microcredentials/authoring/import.html", context, status=status)

"""Browsing micro-credentials: the list (everyone with VIEW_OWN_LEARNING; authors also see drafts
and retired ones) and the definition page; the JSON export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.catalog.offering_choices import credit_text, hours_text
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.microcredentials.models import DefinitionVersion, MicroCredential
from trellis.microcredentials.queries import definitions as queries
from trellis.microcredentials.services import definition_json
from trellis.microcredentials.services.definitions import publish_problems


def competency_groups(district: object) -> list[tuple[str, list[tuple[str, str]]]]:
    framework = growth_queries.adopted_framework(district)
    if framework is None:
        return []
    cmap = growth_queries.competency_map(framework)
    return [
        (group.title, [(str(item.public_id), str(item)) for item in group.competencies])
        for group in cmap.groups
    ]


@district_view(Perm.VIEW_OWN_LEARNING)
def definition_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    author = queries.can_author(access)
    text = " ".join(request.GET.get("q", "").split())[:200]
    competency_value = request.GET.get("competency", "")
    competency = queries.competency_or_none(access, competency_value) if competency_value else None
    status = request.GET.get("status", "") if author else ""
    problems = []
    if competency_value and competency is None:
        problems.append(
            "That competency is not in the district's framework: showing every competency."
        )
    if status and status not in MicroCredential.Status.values:
        problems.append(
            f"Unknown status “{status}”: showing every status. Choose one of: "
            f"{', '.join(MicroCredential.Status.values)}."
        )
        status = ""
    filters = queries.DefinitionFilters(text=text, competency=competency, status=status)
    page = paginate(
        queries.search_versions(access, filters), request.GET.get("page"), per_page=queries.PER_PAGE
    )
    cards = [
        {
            "version": version,
            "mc": version.micro_credential,
            "hours_text": hours_text(version.estimated_hours),
            "credit_text": credit_text(version.credit_amount, version.credit_unit),
            "competencies": list(version.competencies.all()),
        }
        for version in page.object_list
    ]
    context = {
        "page": page,
        "cards": cards,
        "query": query_without_page(request),
        "q": text,
        "competency": str(competency.public_id) if competency else "",
        "competency_groups": competency_groups(access.district),
        "status": status,
        "statuses": MicroCredential.Status.choices,
        "counts": queries.status_counts(access) if author else {},
        "can_author": author,
        "filtered": bool(text or competency or status),
        "problems": problems,
    }
    return render(request, "microcredentials/list.html", context, status=400 if problems else 200)


@district_view(Perm.VIEW_OWN_LEARNING)
def definition_page(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    micro_credential = queries.get_micro_credential(access, public_id)
    chosen = queries.version_for_page(access, micro_credential, request.GET.get("version"))
    version = queries.full_version(chosen.pk)
    author = queries.can_author(access)
    parts = list(version.parts.all())
    context = {
        "mc": micro_credential,
        "version": version,
        "parts": parts,
        "competencies": list(version.competencies.all()),
        "prerequisites": queries.prerequisite_titles(version),
        "stacks": queries.stacks_of(micro_credential),
        "hours_text": hours_text(version.estimated_hours),
        "credit_text": credit_text(version.credit_amount, version.credit_unit),
        "can_author": author,
        "history": queries.version_history(micro_credential) if author else [],
        "draft": queries.draft_of(micro_credential) if author else None,
        "blockers": publish_problems(version)
        if author and version.status == DefinitionVersion.Status.DRAFT
        else [],
        "is_latest_published": version.status == DefinitionVersion.Status.PUBLISHED,
    }
    return render(request, "microcredentials/definition.html", context)


@district_view(Perm.VIEW_OWN_LEARNING)
def export_json(request: HttpRequest, public_id: str) -> HttpResponse:
    """The latest published version (authors: the version asked for) as the exchange document."""
    access = request.access
    micro_credential = queries.get_micro_credential(access, public_id)
    version = queries.version_for_page(access, micro_credential, request.GET.get("version"))
    response = HttpResponse(
        definition_json.export_json(version), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{micro_credential.slug}-v{version.number}.json"'
    )
    return response

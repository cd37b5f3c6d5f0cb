"""Reads of micro-credential definitions, scoped to the caller's district. Everyone with
VIEW_OWN_LEARNING sees published (and retired) micro-credentials' published versions; authors
(MANAGE_MICRO_CREDENTIALS) also see drafts and every version."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    Stack,
)

PER_PAGE = 20
VISIBLE = (MicroCredential.Status.PUBLISHED, MicroCredential.Status.RETIRED)


def can_author(access: DistrictAccess) -> bool:
    return access.can(Perm.MANAGE_MICRO_CREDENTIALS)


@dataclass(frozen=True)
class DefinitionFilters:
    text: str = ""
    competency: FrameworkItem | None = None
    status: str = ""  # authors: a MicroCredential status; others always "published"


def competency_or_none(access: DistrictAccess, value: str) -> FrameworkItem | None:
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return FrameworkItem.objects.filter(framework__district=access.district, public_id=key).first()


def _subtree(item: FrameworkItem) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in FrameworkItem.objects.filter(framework_id=item.framework_id).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    found, stack = [], [item.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children[pk])
    return found


def search_versions(
    access: DistrictAccess, filters: DefinitionFilters, *, published_only: bool = False
) -> QuerySet[DefinitionVersion]:
    """One row per micro-credential: its latest published version (authors, unless
    `published_only`: its latest version, draft included), filtered, by title. Competencies and
    the micro-credential come along."""
    author = can_author(access) and not published_only
    latest = DefinitionVersion.objects.filter(micro_credential=OuterRef("micro_credential"))
    if not author:
        latest = latest.filter(status=DefinitionVersion.Status.PUBLISHED)
    rows = DefinitionVersion.objects.filter(
        micro_credential__district=access.district,
        pk=Subquery(latest.order_by("-number").values("pk")[:1]),
    )
    if not author:
        rows = rows.filter(micro_credential__status=MicroCredential.Status.PUBLISHED)
    elif filters.status:
        rows = rows.filter(micro_credential__status=filters.status)
    if filters.text:
        for word in filters.text.split()[:8]:
            rows = rows.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(key_method__icontains=word)
                | Q(issuer_name__icontains=word)
            )
    if filters.competency is not None:
        rows = rows.filter(competencies__in=_subtree(filters.competency)).distinct()
    return (
        rows.select_related("micro_credential")
        .prefetch_related(
            Prefetch("competencies", queryset=FrameworkItem.objects.order_by("human_code", "pk"))
        )
        .order_by("title", "pk")
    )


def status_counts(access: DistrictAccess) -> dict[str, int]:
    counts = dict.fromkeys(MicroCredential.Status.values, 0)
    for status in MicroCredential.objects.filter(district=access.district).values_list(
        "status", flat=True
    ):
        counts[status] += 1
    return counts


def get_micro_credential(access: DistrictAccess, public_id: object) -> MicroCredential:
    key = public_id_or_404(public_id, "micro-credential")
    rows = MicroCredential.objects.filter(district=access.district, public_id=key)
    if not can_author(access):
        rows = rows.filter(status__in=VISIBLE)
    found = rows.first()
    if found is None:
        raise Http404("No such micro-credential.")
    return found


def version_for_page(
    access: DistrictAccess, micro_credential: MicroCredential, number: str | None = None
) -> DefinitionVersion:
    """The latest published version; authors may choose any version by number and, with no
    published one yet, see the draft."""
    versions = micro_credential.versions.all()
    if can_author(access):
        if number:
            try:
                chosen = versions.filter(number=int(number)).first()
            except ValueError:
                chosen = None
            if chosen is None:
                raise Http404("No such version.")
            return chosen
        found = versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
        return found or versions.order_by("-number").first()
    found = versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if found is None:
        raise Http404("No such micro-credential.")
    return found


def full_version(version_pk: int) -> DefinitionVersion:
    """A version with its parts, criteria, competencies and prerequisites loaded (5 queries)."""
    return (
        DefinitionVersion.objects.select_related("micro_credential")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=RequirementPart.objects.order_by("position").prefetch_related("criteria"),
            ),
            Prefetch("competencies", queryset=FrameworkItem.objects.select_related("framework")),
            "prerequisites",
        )
        .get(pk=version_pk)
    )


def prerequisite_titles(version: DefinitionVersion) -> list[tuple[MicroCredential, str]]:
    """Each prerequisite with the title of its latest published version (one query)."""
    prerequisites = list(version.prerequisites.all())
    titles = {}
    for mc_id, title in DefinitionVersion.objects.filter(
        micro_credential__in=prerequisites, status=DefinitionVersion.Status.PUBLISHED
    ).values_list("micro_credential_id", "title"):
        titles[mc_id] = title
    return [(mc, titles.get(mc.pk, mc.slug)) for mc in prerequisites]


def stacks_of(micro_credential: MicroCredential) -> list[Stack]:
    return list(micro_credential.stacks.filter(is_active=True).order_by("title"))


def version_history(micro_credential: MicroCredential) -> list[DefinitionVersion]:
    return list(micro_credential.versions.order_by("-number"))


def draft_of(micro_credential: MicroCredential) -> DefinitionVersion | None:
    return micro_credential.versions.filter(status=DefinitionVersion.Status.DRAFT).first()


def published_choices(
    access: DistrictAccess, exclude: MicroCredential | None = None
) -> list[tuple[str, str]]:
    """(public id, title) of the district's published micro-credentials, by title."""
    rows = DefinitionVersion.objects.filter(
        micro_credential__district=access.district,
        micro_credential__status=MicroCredential.Status.PUBLISHED,
        status=DefinitionVersion.Status.PUBLISHED,
    )
    if exclude is not None:
        rows = rows.exclude(micro_credential=exclude)
    return [
        (str(public_id), title)
        for public_id, title in rows.order_by("title").values_list(
            "micro_credential__public_id", "title"
        )
    ]


def district_stacks(access: DistrictAccess) -> QuerySet[Stack]:
    return (
        Stack.objects.filter(district=access.district)
        .prefetch_related("members")
        .order_by("-is_active", "title")
    )


def get_stack(access: DistrictAccess, public_id: object) -> Stack:
    key = public_id_or_404(public_id, "stack")
    found = Stack.objects.filter(district=access.district, public_id=key).first()
    if found is None:
        raise Http404("No such stack.")
    return found


def get_part(version: DefinitionVersion, public_id: object) -> RequirementPart:
    key = public_id_or_404(public_id, "part")
    found = version.parts.filter(public_id=key).first()
    if found is None:
        raise Http404("No such part.")
    return found

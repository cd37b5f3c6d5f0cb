"""Reads: the library plus the caller's own district. Another district's framework is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import CaseUpload, Framework, FrameworkItem, ProficiencyLevel


def frameworks(access: DistrictAccess, *, purpose: str = "") -> QuerySet[Framework]:
    """Library frameworks and the district's own, adopted first, then the district's, then library."""
    found = Framework.objects.filter(
        Q(district__isnull=True) | Q(district=access.district)
    ).annotate(item_count=Count("items"))
    if purpose:
        found = found.filter(purpose=purpose)
    return found.order_by("-is_adopted", F("district_id").asc(nulls_last=True), "title", "id")


def get_framework(access: DistrictAccess, public_id: Any) -> Framework:
    framework = (
        Framework.objects.filter(Q(district__isnull=True) | Q(district=access.district))
        .select_related("copied_from")
        .filter(public_id=public_id_or_404(public_id, "framework"))
        .first()
    )
    if framework is None:
        raise Http404("No such framework.")
    return framework


def adopted_framework(access: DistrictAccess) -> Framework | None:
    return Framework.objects.filter(district=access.district, is_adopted=True).first()


def get_item(framework: Framework, public_id: Any) -> FrameworkItem:
    item = (
        FrameworkItem.objects.filter(
            framework=framework, public_id=public_id_or_404(public_id, "item")
        )
        .select_related("framework", "parent")
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    return item


def levels(framework: Framework) -> list[ProficiencyLevel]:
    return list(framework.levels.order_by("value"))


def items(framework: Framework, *, kind: str = "") -> QuerySet[FrameworkItem]:
    """A flat list in tree order, each row carrying its parent's public id (one query a page)."""
    found = FrameworkItem.objects.filter(framework=framework).annotate(
        parent_public_id=F("parent__public_id")
    )
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("depth", "position", "id")


@dataclass(frozen=True)
class TreeRow:
    """One item in display order. After it, the page opens a nested list (it has children) or
    closes `closes` nested lists (it is the last item of those lists)."""

    item: FrameworkItem
    level: int  # 1 for top-level items, as in aria-level
    has_children: bool
    closes: range


def tree(framework: Framework) -> list[TreeRow]:
    """The whole tree, depth first, from one query (rendered as nested lists without recursion)."""
    all_items = list(FrameworkItem.objects.filter(framework=framework).order_by("position", "id"))
    children: dict[int | None, list[FrameworkItem]] = {}
    for item in all_items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[tuple[FrameworkItem, int]] = []
    stack = [(item, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, depth = stack.pop()
        ordered.append((item, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(item.pk, [])))
    rows = []
    for n, (item, depth) in enumerate(ordered):
        next_depth = ordered[n + 1][1] if n + 1 < len(ordered) else 0
        rows.append(
            TreeRow(
                item=item,
                level=depth + 1,
                has_children=item.pk in children,
                closes=range(max(0, depth - next_depth)),
            )
        )
    return rows


def get_case_upload(access: DistrictAccess, public_id: Any) -> CaseUpload:
    upload = CaseUpload.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "upload")
    ).first()
    if upload is None:
        raise Http404("No such upload. It may have been imported already or expired.")
    return upload

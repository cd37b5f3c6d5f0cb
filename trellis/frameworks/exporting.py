"""A framework as a CASE 1.1 CFPackage: database rows → `case` dataclasses → dict (three queries).

The tree (`parent`, `position`) is the truth for isChildOf links, since districts edit it; stored
associations lend their original identifiers and carry every other association type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from trellis.frameworks import case
from trellis.frameworks.models import Framework, FrameworkAssociation, FrameworkItem
from trellis.frameworks.queries import tree
from trellis.frameworks.services.tree import item_key


def document_key(framework: Framework) -> str:
    return framework.case_identifier or str(framework.public_id)


def case_package(
    framework: Framework, *, base_url: str = "", now: dt.datetime | None = None
) -> dict[str, Any]:
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    page = f"{base_url}/frameworks/{framework.public_id}/"
    doc_id = document_key(framework)
    rows = tree(framework)
    by_pk = {row.item.pk: row.item for row in rows}
    district_name = framework.district.name if framework.district_id else ""
    document = case.CaseDocument(
        identifier=doc_id,
        title=framework.title,
        uri=framework.case_uri or page,
        creator=framework.creator or district_name or "Trellis",
        publisher=framework.publisher,
        description=framework.description,
        version=framework.version,
        language=framework.language,
        subject=framework.subject,
        last_change=framework.updated_at,
        scale=tuple(
            {
                "value": level.value,
                "label": level.label,
                "description": level.description,
                "is_target": level.is_target,
            }
            for level in framework.levels.order_by("value")
        ),
    )
    items = [_item(row.item, page) for row in rows]
    stored = list(framework.associations.order_by("id"))
    tree_links = _tree_links(framework, stored, by_pk)
    links = [
        case.child_link(
            item_key(row.item),
            item_key(by_pk[row.item.parent_id]) if row.item.parent_id else doc_id,
            sequence=row.item.position + 1,
            identifier=tree_links[row.item.pk].case_identifier if row.item.pk in tree_links else "",
            uri=tree_links[row.item.pk].case_uri if row.item.pk in tree_links else "",
        )
        for row in rows
    ]
    used = {link.pk for link in tree_links.values()}
    links += [_association(link, by_pk) for link in stored if link.pk not in used]
    return case.export_package(document, items, links, now=now or timezone.now())


def _item(item: FrameworkItem, page: str) -> case.CaseItem:
    statement = item.statement or item.title
    return case.CaseItem(
        identifier=item_key(item),
        full_statement=statement,
        uri=item.case_uri or f"{page}#item-{item.public_id}",
        # A title cut from the statement at import is not a separate abbreviated statement.
        abbreviated_statement="" if statement.startswith(item.title) else item.title,
        human_code=item.human_code,
        notes=item.description,
        item_type=item.case_item_type or item.get_kind_display(),
        education_levels=tuple(str(level) for level in item.education_levels or ()),
        last_change=item.updated_at,
    )


def _tree_links(
    framework: Framework, stored: list[FrameworkAssociation], by_pk: dict[int, FrameworkItem]
) -> dict[int, FrameworkAssociation]:
    """For each item, the stored isChildOf row that says what the tree says (if any)."""
    doc_ids = {framework.case_identifier, str(framework.public_id)} - {""}
    found: dict[int, FrameworkAssociation] = {}
    for link in stored:
        item = by_pk.get(link.origin_id)
        if link.association_type != "isChildOf" or item is None or item.pk in found:
            continue
        if item.parent_id:
            matches = link.destination_id == item.parent_id
        else:
            matches = link.destination_id is None and link.destination_identifier in doc_ids
        if matches:
            found[item.pk] = link
    return found


def _association(
    link: FrameworkAssociation, by_pk: dict[int, FrameworkItem]
) -> case.CaseAssociation:
    destination = by_pk.get(link.destination_id) if link.destination_id else None
    origin_id = item_key(by_pk[link.origin_id])
    destination_id = item_key(destination) if destination else link.destination_identifier
    return case.CaseAssociation(
        # Without a CASE identifier, derive one from what the link joins: stable across exports.
        identifier=link.case_identifier or f"{link.association_type}:{origin_id}:{destination_id}",
        association_type=link.association_type,
        origin_identifier=origin_id,
        destination_identifier=destination_id,
        uri=link.case_uri,
        destination_uri=link.destination_uri,
        destination_title=link.destination_title,
        sequence_number=link.sequence_number,
    )

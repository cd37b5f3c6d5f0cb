"""Writing a CASE 1.1 CFPackage from plain data.

The output validates against the official CASE 1.1 CFPackage JSON schema: identifiers are UUIDs
(a non-UUID identifier from an older import is replaced by a stable derived UUID), every required
field is present, and nothing outside the schema is added except under `extensions`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from trellis.frameworks.case.model import (
    DERIVED_NAMESPACE,
    SCALE_EXTENSION,
    CaseAssociation,
    CaseDocument,
    CaseItem,
)

CASE_VERSION = "1.1"


def as_uuid(identifier: str) -> str:
    """The identifier itself when it is a UUID (lower case), else a stable UUID derived from it."""
    try:
        return str(uuid.UUID(identifier))
    except ValueError:
        return str(uuid.uuid5(DERIVED_NAMESPACE, identifier))


def child_link(
    child: str, parent: str, *, sequence: int, identifier: str = "", uri: str = ""
) -> CaseAssociation:
    """The isChildOf association placing `child` under `parent` (an item or the document)."""
    identifier = identifier or str(uuid.uuid5(DERIVED_NAMESPACE, f"isChildOf:{child}:{parent}"))
    return CaseAssociation(
        identifier=identifier,
        association_type="isChildOf",
        origin_identifier=child,
        destination_identifier=parent,
        uri=uri,
        sequence_number=sequence,
    )


def _stamp(moment: dt.datetime | None, default: dt.datetime) -> str:
    moment = moment or default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _optional(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], ())}


def _item_label(item: CaseItem) -> str:
    return item.human_code or item.abbreviated_statement or item.full_statement[:120]


def export_package(
    document: CaseDocument,
    items: Sequence[CaseItem],
    associations: Sequence[CaseAssociation],
    *,
    now: dt.datetime,
) -> dict[str, Any]:
    """A CASE 1.1 CFPackage dict. `associations` include the isChildOf links (see `child_link`)."""
    doc_id = as_uuid(document.identifier)
    doc_uri = document.uri or f"urn:uuid:{doc_id}"
    nodes: dict[str, tuple[str, str, str]] = {
        document.identifier: (doc_id, doc_uri, document.title)
    }
    for item in items:
        item_id = as_uuid(item.identifier)
        nodes[item.identifier] = (item_id, item.uri or f"urn:uuid:{item_id}", _item_label(item))
    cf_document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": document.creator or "Trellis",
        "title": document.title,
        "lastChangeDateTime": _stamp(document.last_change, now),
        "caseVersion": CASE_VERSION,
        **_optional(
            publisher=document.publisher,
            description=document.description,
            version=document.version,
            language=document.language,
            adoptionStatus=document.adoption_status,
            officialSourceURL=document.official_source_url,
            subject=[s.strip() for s in document.subject.split(",") if s.strip()],
        ),
    }
    if document.scale:
        cf_document["extensions"] = {SCALE_EXTENSION: [dict(level) for level in document.scale]}
    cf_items = [
        {
            "identifier": nodes[item.identifier][0],
            "uri": nodes[item.identifier][1],
            "fullStatement": item.full_statement,
            "lastChangeDateTime": _stamp(item.last_change, now),
            **_optional(
                humanCodingScheme=item.human_code,
                abbreviatedStatement=item.abbreviated_statement,
                notes=item.notes,
                CFItemType=item.item_type,
                listEnumeration=item.list_enumeration,
                language=item.language,
                educationLevel=list(item.education_levels),
            ),
        }
        for item in items
    ]
    return {
        "CFDocument": cf_document,
        "CFItems": cf_items,
        "CFAssociations": [_association(a, nodes, now) for a in associations],
    }


def _node(
    identifier: str, uri: str, title: str, nodes: dict[str, tuple[str, str, str]]
) -> dict[str, str]:
    if identifier in nodes:
        node_id, node_uri, node_title = nodes[identifier]
        return {"title": node_title, "identifier": node_id, "uri": node_uri}
    # Outside this framework: LinkGenURI identifiers need not be UUIDs, so keep the original.
    return {"title": title or identifier, "identifier": identifier, "uri": uri or identifier}


def _association(
    association: CaseAssociation, nodes: dict[str, tuple[str, str, str]], now: dt.datetime
) -> dict[str, Any]:
    identifier = as_uuid(association.identifier)
    return {
        "identifier": identifier,
        "uri": association.uri or f"urn:uuid:{identifier}",
        "associationType": association.association_type,
        "originNodeURI": _node(
            association.origin_identifier,
            association.origin_uri,
            association.origin_title,
            nodes,
        ),
        "destinationNodeURI": _node(
            association.destination_identifier,
            association.destination_uri,
            association.destination_title,
            nodes,
        ),
        "lastChangeDateTime": _stamp(association.last_change, now),
        **_optional(sequenceNumber=association.sequence_number),
    }

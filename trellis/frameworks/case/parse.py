"""Reading CASE 1.0 and 1.1 CFPackage JSON (and pre-1.0 OpenSALT shapes) into plain data."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from trellis.frameworks.case.model import (
    ASSOCIATION_TYPES,
    COMPETENCY,
    DOMAIN,
    EXTENSION_TYPE_PATTERN,
    INDICATOR,
    KIND_WORDS,
    MAX_ASSOCIATIONS,
    MAX_DEPTH,
    MAX_IDENTIFIER_LENGTH,
    MAX_ITEMS,
    MAX_PACKAGE_BYTES,
    SCALE_EXTENSION,
    STANDARD,
    CaseAssociation,
    CaseDocument,
    CaseError,
    CaseItem,
    CasePackage,
    SkippedAssociation,
)

# ---------------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------------


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()  # NUL cannot be stored by PostgreSQL


def _text(obj: dict, key: str, warnings: list[str], where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, str):
        return _clean(value)
    warnings.append(f"{where}: “{key}” is not text and was ignored.")
    return ""


def _link(value: Any) -> tuple[str, str, str]:
    """(identifier, uri, title) of a LinkURI object, or of a bare URI string (pre-1.0 files)."""
    if isinstance(value, dict):
        return tuple(  # type: ignore[return-value]
            _clean(v) if isinstance(v, str) else ""
            for v in (value.get("identifier"), value.get("uri"), value.get("title"))
        )
    if isinstance(value, str) and value.strip():
        uri = _clean(value)
        return uri.rstrip("/").rsplit("/", 1)[-1], uri, ""
    return "", "", ""


def _when(value: Any, warnings: list[str], where: str) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        warnings.append(f"{where}: lastChangeDateTime “{value[:40]}” is not a date; ignored.")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _levels(item: dict) -> tuple[str, ...]:
    raw = item.get("educationLevel", item.get("educationalLevel"))  # the latter: pre-1.0 spelling
    values = raw if isinstance(raw, list) else str(raw).split(",") if raw else []
    return tuple(_clean(str(v)) for v in values if str(v).strip())


def _identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CaseError("missing_identifier", f"{where} has no identifier.")
    identifier = _clean(value)
    if len(identifier) > MAX_IDENTIFIER_LENGTH:
        raise CaseError(
            "identifier_too_long",
            f"{where} has an identifier longer than {MAX_IDENTIFIER_LENGTH} characters.",
        )
    return identifier


def decode_json(data: bytes | str) -> Any:
    if len(data) > MAX_PACKAGE_BYTES:
        raise CaseError(
            "file_too_large",
            f"The file is larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB; "
            "CASE packages of that size cannot be imported here.",
        )
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise CaseError("bad_encoding", "The file is not UTF-8 text. Export it as JSON.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseError(
            "not_json",
            f"The file is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
        ) from None
    except RecursionError:
        raise CaseError("too_deep", "The JSON is nested too deeply to be a CASE package.") from None


def _list(raw: dict, key: str, limit: int) -> list:
    value = raw.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError("wrong_shape", f"“{key}” must be a list.")
    if len(value) > limit:
        raise CaseError(
            f"too_many_{'items' if key == 'CFItems' else 'associations'}",
            f"The package has {len(value):,} {key}; at most {limit:,} can be imported.",
        )
    bad = next((n for n, entry in enumerate(value, 1) if not isinstance(entry, dict)), None)
    if bad is not None:
        raise CaseError("wrong_shape", f"Entry {bad} of “{key}” is not an object.")
    return value


def parse_package(data: bytes | str) -> CasePackage:
    """Read a CASE 1.0 or 1.1 CFPackage (tolerating pre-1.0 OpenSALT shapes) or raise CaseError."""
    raw = decode_json(data)
    if not isinstance(raw, dict):
        raise CaseError("not_a_package", "The JSON is not a CASE CFPackage (expected an object).")
    doc_raw = raw.get("CFDocument")
    if not isinstance(doc_raw, dict):
        raise CaseError(
            "missing_document", "The file has no CFDocument: it is not a CASE CFPackage."
        )
    warnings: list[str] = []
    _note_unkept(raw, warnings)
    document = _parse_document(doc_raw, warnings)
    items = _parse_items(_list(raw, "CFItems", MAX_ITEMS), document, warnings)
    associations, skipped = _parse_associations(
        _list(raw, "CFAssociations", MAX_ASSOCIATIONS), document, items, warnings
    )
    parents, positions, depths = _build_tree(items, associations, document, warnings)
    ordered = sorted(items.values(), key=lambda i: (depths[i.identifier], positions[i.identifier]))
    has_children = {p for p in parents.values() if p}
    kinds = {
        i.identifier: kind_for(i.item_type, depths[i.identifier], i.identifier in has_children)
        for i in ordered
    }
    return CasePackage(
        document=document,
        items=_tree_order(ordered, parents, positions),
        associations=associations,
        parents=parents,
        positions=positions,
        depths=depths,
        kinds=kinds,
        skipped=skipped,
        warnings=warnings,
    )


_KEPT_ITEM_KEYS = {
    "identifier", "uri", "fullStatement", "abbreviatedStatement", "humanCodingScheme", "notes",
    "CFItemType", "CFItemTypeURI", "listEnumeration", "language", "educationLevel",
    "educationalLevel", "lastChangeDateTime", "CFDocumentURI",
}  # fmt: skip


def _has_content(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    return value not in (None, "", [])


def _note_unkept(raw: dict, warnings: list[str]) -> None:
    """Say which parts of the file Trellis does not keep, so nothing is dropped silently."""
    extra = sorted(
        key
        for key, value in raw.items()
        if key not in {"CFDocument", "CFItems", "CFAssociations"} and _has_content(value)
    )
    if extra:
        warnings.append(f"Not imported: {', '.join(extra)} (definitions and rubrics are not kept).")
    items = raw.get("CFItems") if isinstance(raw.get("CFItems"), list) else []
    counts: dict[str, int] = {}
    for item in items:
        for key in item if isinstance(item, dict) else ():
            if key not in _KEPT_ITEM_KEYS:
                counts[key] = counts.get(key, 0) + 1
    if counts:
        listed = ", ".join(f"{key} ({n} items)" for key, n in sorted(counts.items()))
        warnings.append(f"Item fields not kept: {listed}.")
    if any(isinstance(i, dict) and "educationalLevel" in i for i in items):
        warnings.append("“educationalLevel” (a pre-1.0 spelling) was read as educationLevel.")


def _parse_document(raw: dict, warnings: list[str]) -> CaseDocument:
    identifier = _identifier(raw.get("identifier"), "The CFDocument")
    title = _text(raw, "title", warnings, "CFDocument")
    if not title:
        warnings.append("The CFDocument has no title; it is called “Untitled framework”.")
    if isinstance(raw.get("CFPackageURI"), str):
        warnings.append("CFPackageURI is a plain string (a pre-1.0 shape); read tolerantly.")
    subject = raw.get("subject")
    extensions = raw.get("extensions") if isinstance(raw.get("extensions"), dict) else {}
    scale = extensions.get(SCALE_EXTENSION) if isinstance(extensions, dict) else None
    return CaseDocument(
        identifier=identifier,
        title=title or "Untitled framework",
        uri=_text(raw, "uri", warnings, "CFDocument"),
        creator=_text(raw, "creator", warnings, "CFDocument"),
        publisher=_text(raw, "publisher", warnings, "CFDocument"),
        description=_text(raw, "description", warnings, "CFDocument"),
        version=_text(raw, "version", warnings, "CFDocument"),
        language=_text(raw, "language", warnings, "CFDocument"),
        subject=", ".join(str(s) for s in subject) if isinstance(subject, list) else "",
        adoption_status=_text(raw, "adoptionStatus", warnings, "CFDocument"),
        official_source_url=_text(raw, "officialSourceURL", warnings, "CFDocument"),
        last_change=_when(raw.get("lastChangeDateTime"), warnings, "CFDocument"),
        case_version="1.1" if raw.get("caseVersion") == "1.1" else "1.0",
        scale=tuple(s for s in scale if isinstance(s, dict)) if isinstance(scale, list) else (),
    )


def _parse_items(
    raw_items: list[dict], document: CaseDocument, warnings: list[str]
) -> dict[str, CaseItem]:
    items: dict[str, CaseItem] = {}
    for number, raw in enumerate(raw_items, 1):
        identifier = _identifier(raw.get("identifier"), f"CFItem {number}")
        if identifier in items or identifier == document.identifier:
            raise CaseError(
                "duplicate_identifier",
                f"The identifier {identifier} is used more than once; identifiers must be unique.",
                {"identifier": identifier},
            )
        where = f"CFItem {identifier}"
        statement = _text(raw, "fullStatement", warnings, where)
        abbreviated = _text(raw, "abbreviatedStatement", warnings, where)
        code = _text(raw, "humanCodingScheme", warnings, where)
        if not statement:
            statement = abbreviated or code or "Untitled item"
            warnings.append(f"{where} has no fullStatement; “{statement[:60]}” is used.")
        items[identifier] = CaseItem(
            identifier=identifier,
            full_statement=statement,
            uri=_text(raw, "uri", warnings, where),
            abbreviated_statement=abbreviated,
            human_code=code,
            notes=_text(raw, "notes", warnings, where),
            item_type=_text(raw, "CFItemType", warnings, where)
            or _link(raw.get("CFItemTypeURI"))[2],
            list_enumeration=_text(raw, "listEnumeration", warnings, where),
            language=_text(raw, "language", warnings, where),
            education_levels=_levels(raw),
            last_change=_when(raw.get("lastChangeDateTime"), warnings, where),
        )
    return items


def _parse_associations(
    raw_list: list[dict],
    document: CaseDocument,
    items: dict[str, CaseItem],
    warnings: list[str],
) -> tuple[list[CaseAssociation], list[SkippedAssociation]]:
    kept: list[CaseAssociation] = []
    skipped: list[SkippedAssociation] = []
    seen: set[str] = set()
    by_uri = {i.uri: i.identifier for i in items.values() if i.uri}
    for number, raw in enumerate(raw_list, 1):
        kind = raw.get("associationType") if isinstance(raw.get("associationType"), str) else ""
        identifier = raw.get("identifier") if isinstance(raw.get("identifier"), str) else ""
        label = identifier or f"association {number}"

        def skip(reason: str, label: str = label, kind: str = kind) -> None:
            skipped.append(SkippedAssociation(label, kind or "(none)", reason))

        if not identifier.strip() or len(identifier) > MAX_IDENTIFIER_LENGTH:
            skip("it has no usable identifier")
            continue
        if identifier in seen:
            skip("its identifier appears earlier in the file")
            continue
        seen.add(identifier)
        if kind not in ASSOCIATION_TYPES and not EXTENSION_TYPE_PATTERN.match(kind):
            skip(f"“{kind or '(none)'}” is not a CASE association type")
            continue
        origin, origin_uri, origin_title = _link(raw.get("originNodeURI"))
        destination, destination_uri, destination_title = _link(raw.get("destinationNodeURI"))
        origin = origin if origin in items else by_uri.get(origin_uri, origin)
        destination = (
            destination if destination in items else by_uri.get(destination_uri, destination)
        )
        if not origin or not destination:
            skip("its origin or destination has no identifier")
            continue
        if origin not in items:
            skip(f"its origin {origin} is not an item of this framework")
            continue
        if kind == "isChildOf" and destination not in items and destination != document.identifier:
            skip(
                f"the parent {destination} is not in this file; the item is placed at the top level"
            )
            continue
        if len(destination) > MAX_IDENTIFIER_LENGTH:
            skip("its destination identifier is too long")
            continue
        sequence = raw.get("sequenceNumber")
        kept.append(
            CaseAssociation(
                identifier=_clean(identifier),
                association_type=kind,
                origin_identifier=origin,
                destination_identifier=destination,
                uri=_text(raw, "uri", warnings, f"CFAssociation {identifier}"),
                origin_uri=origin_uri,
                origin_title=origin_title,
                destination_uri=destination_uri,
                destination_title=destination_title,
                sequence_number=sequence
                if isinstance(sequence, int) and not isinstance(sequence, bool)
                else None,
                last_change=_when(
                    raw.get("lastChangeDateTime"), warnings, f"CFAssociation {identifier}"
                ),
            )
        )
    return kept, skipped


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key where "1.10" follows "1.9"; numbers and words never compare with each other."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", text)
        if part
    )


def _build_tree(
    items: dict[str, CaseItem],
    associations: list[CaseAssociation],
    document: CaseDocument,
    warnings: list[str],
) -> tuple[dict[str, str | None], dict[str, int], dict[str, int]]:
    file_order = {identifier: n for n, identifier in enumerate(items)}
    candidates: dict[str, list[CaseAssociation]] = {}
    for association in associations:
        if association.association_type == "isChildOf":
            candidates.setdefault(association.origin_identifier, []).append(association)
    parents: dict[str, str | None] = dict.fromkeys(items)
    sequence: dict[str, int | None] = dict.fromkeys(items)
    for child, links in candidates.items():
        chosen = min(links, key=lambda a: (a.sequence_number is None, a.sequence_number or 0))
        if len(links) > 1:
            warnings.append(
                f"CFItem {child} has {len(links)} parents; it is placed under the first and the "
                "other links are kept as associations."
            )
        parents[child] = (
            None
            if chosen.destination_identifier == document.identifier
            else chosen.destination_identifier
        )
        sequence[child] = chosen.sequence_number
    depths: dict[str, int] = {}
    for start in items:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in depths:
            if node in path:
                cycle = path[path.index(node) :]
                raise CaseError(
                    "cycle",
                    "The isChildOf associations form a cycle: " + " → ".join([*cycle, node]) + ".",
                    {"identifiers": cycle},
                )
            path.append(node)
            node = parents[node]
        base = -1 if node is None else depths[node]
        for offset, identifier in enumerate(reversed(path), 1):
            depths[identifier] = base + offset
    deepest = max(depths.values(), default=0)
    if deepest >= MAX_DEPTH:
        raise CaseError(
            "too_deep", f"The tree is {deepest + 1} levels deep; at most {MAX_DEPTH} are supported."
        )
    siblings: dict[str | None, list[str]] = {}
    for identifier, parent in parents.items():
        siblings.setdefault(parent, []).append(identifier)
    positions: dict[str, int] = {}
    for group in siblings.values():
        group.sort(
            key=lambda i: (
                sequence[i] is None,
                sequence[i] or 0,
                _natural(items[i].list_enumeration),
                _natural(items[i].human_code),
                file_order[i],
            )
        )
        positions.update({identifier: n for n, identifier in enumerate(group)})
    return parents, positions, depths


def _tree_order(
    items: list[CaseItem], parents: dict[str, str | None], positions: dict[str, int]
) -> list[CaseItem]:
    """Depth-first: each parent followed by its children, siblings in position order."""
    children: dict[str | None, list[CaseItem]] = {}
    for item in items:
        children.setdefault(parents[item.identifier], []).append(item)
    ordered: list[CaseItem] = []
    stack = sorted(children.get(None, []), key=lambda i: positions[i.identifier], reverse=True)
    while stack:
        item = stack.pop()
        ordered.append(item)
        below = sorted(children.get(item.identifier, []), key=lambda i: positions[i.identifier])
        stack.extend(reversed(below))
    return ordered


def kind_for(item_type: str, depth: int, has_children: bool) -> str:
    """Our kind for a CASE item: from its CFItemType when it says, else from its place in the tree."""
    words = item_type.lower()
    for kind, keys in KIND_WORDS.items():
        if any(key in words for key in keys):
            return kind
    if not has_children:
        return COMPETENCY if depth < 3 else INDICATOR
    return (DOMAIN, STANDARD)[depth] if depth < 2 else COMPETENCY

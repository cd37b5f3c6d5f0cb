"""Sharing definitions between districts as JSON ("trellis.micro-credential/1", described in
docs/micro-credentials.md). Export writes a published version; import checks the whole document
first (every problem with its path, e.g. `parts[2].criteria[0].levels`) and writes nothing unless
it is all valid."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
)
from trellis.microcredentials.services import definitions
from trellis.microcredentials.services.definition_fields import (
    MAX_CRITERIA,
    MAX_PARTS,
    check_criterion,
    check_part_fields,
    check_version_fields,
)

FORMAT = "trellis.micro-credential/1"
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 8


def _text(value: Any) -> str:
    return format(value, "f") if value is not None else ""


def export_version(version: DefinitionVersion) -> dict[str, Any]:
    """The JSON document of one version (published ones are what districts share)."""
    micro_credential = version.micro_credential
    parts = version.parts.prefetch_related("criteria")
    return {
        "format": FORMAT,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "source": {
            "district": micro_credential.district.slug,
            "slug": micro_credential.slug,
            "version": version.number,
            "status": version.status,
        },
        "micro_credential": {
            "slug": micro_credential.slug,
            "title": version.title,
            "issuer": {"name": version.issuer_name, "url": version.issuer_url},
            "summary": version.summary,
            "key_method": version.key_method,
            "method_components": list(version.method_components),
            "research": version.research,
            "resources": [dict(r) for r in version.resources],
            "competencies": [
                {
                    "case_identifier": item.case_identifier,
                    "human_code": item.human_code,
                    "title": item.title,
                }
                for item in version.competencies.order_by("human_code", "pk")
            ],
            "credit": {"amount": _text(version.credit_amount), "unit": version.credit_unit},
            "estimated_hours": _text(version.estimated_hours),
            "prerequisites": sorted(version.prerequisites.values_list("slug", flat=True)),
            "parts": [
                {
                    "kind": part.kind,
                    "title": part.title,
                    "prompt": part.prompt,
                    "required": part.required,
                    "accepted_types": list(part.accepted_types),
                    "max_files": part.max_files,
                    "max_words": part.max_words,
                    "criteria": [
                        {"name": c.name, "levels": [dict(level) for level in c.levels]}
                        for c in part.criteria.all()
                    ],
                }
                for part in parts
            ],
        },
    }


def export_json(version: DefinitionVersion) -> str:
    return json.dumps(export_version(version), indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ImportRefused(DomainError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(
            "invalid_document",
            f"The document was not imported ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}): " + "; ".join(str(p) for p in problems[:5]),
            details={"problems": [{"path": p.path, "message": p.message} for p in problems]},
        )
        self.problems = problems


def _depth(value: Any, level: int = 0) -> int:
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def parse_document(raw: str | bytes) -> dict[str, Any]:
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise ImportRefused(
            [ImportProblem("", f"The document is larger than 1 MB ({size} bytes).")]
        )
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused([ImportProblem("", f"This is not valid JSON ({exc}).")]) from None
    if not isinstance(document, dict):
        raise ImportRefused([ImportProblem("", "The document must be a JSON object.")])
    if _depth(document) > MAX_DEPTH:
        raise ImportRefused(
            [ImportProblem("", f"The document nests deeper than {MAX_DEPTH} levels.")]
        )
    return document


def _competencies(district: Any, values: Any, problems: list[ImportProblem]) -> list[FrameworkItem]:
    """Match by CASE identifier, then by human code, in the district's adopted framework."""
    path = "micro_credential.competencies"
    if not isinstance(values, list):
        problems.append(ImportProblem(path, "Give a list of competencies."))
        return []
    adopted = FrameworkItem.objects.filter(framework__district=district, framework__is_adopted=True)
    identifiers = [str(v.get("case_identifier") or "") for v in values if isinstance(v, dict)]
    codes = [str(v.get("human_code") or "") for v in values if isinstance(v, dict)]
    rows = list(
        adopted.filter(
            Q(case_identifier__in=[i for i in identifiers if i])
            | Q(human_code__in=[c for c in codes if c])
        )
    )
    by_identifier = {row.case_identifier: row for row in rows if row.case_identifier}
    by_code = {row.human_code: row for row in rows if row.human_code}
    found: list[FrameworkItem] = []
    for index, value in enumerate(values):
        if not isinstance(value, dict):
            problems.append(
                ImportProblem(f"{path}[{index}]", "Give case_identifier and human_code.")
            )
            continue
        item = by_identifier.get(str(value.get("case_identifier") or "")) or by_code.get(
            str(value.get("human_code") or "")
        )
        if item is None:
            problems.append(
                ImportProblem(
                    f"{path}[{index}]",
                    f"No competency “{value.get('human_code') or value.get('case_identifier')}” in "
                    f"{district.name}'s adopted framework.",
                )
            )
        elif item not in found:
            found.append(item)
    return found


@dataclass
class CheckedDocument:
    slug: str
    fields: dict[str, Any]
    parts: list[tuple[dict[str, Any], list[dict[str, Any]]]]


def check_document(district: Any, document: dict[str, Any]) -> CheckedDocument:
    problems: list[ImportProblem] = []
    if document.get("format") != FORMAT:
        raise ImportRefused(
            [ImportProblem("format", f"Expected “{FORMAT}”, found “{document.get('format')}”.")]
        )
    body = document.get("micro_credential")
    if not isinstance(body, dict):
        raise ImportRefused(
            [ImportProblem("micro_credential", "Missing the micro_credential object.")]
        )
    issuer = body.get("issuer") if isinstance(body.get("issuer"), dict) else {}
    credit = body.get("credit") if isinstance(body.get("credit"), dict) else {}
    items = _competencies(district, body.get("competencies", []), problems)
    fields = {
        "title": body.get("title"),
        "issuer_name": issuer.get("name"),
        "issuer_url": issuer.get("url"),
        "summary": body.get("summary"),
        "key_method": body.get("key_method"),
        "method_components": body.get("method_components", []),
        "research": body.get("research"),
        "resources": body.get("resources", []),
        "competencies": items,
        "credit_amount": credit.get("amount", "0"),
        "credit_unit": credit.get("unit", "clock_hour"),
        "estimated_hours": body.get("estimated_hours", "10"),
        "prerequisites": body.get("prerequisites", []),
    }
    clean, field_problems = check_version_fields(district, fields)
    renamed = {"issuer_name": "issuer.name", "issuer_url": "issuer.url"}
    renamed |= {"credit_amount": "credit.amount", "credit_unit": "credit.unit"}
    problems += [
        ImportProblem(f"micro_credential.{renamed.get(p.field, p.field)}", p.message)
        for p in field_problems
    ]
    slug = slugify(str(body.get("slug") or clean["title"]))[:80]
    if not slug:
        problems.append(ImportProblem("micro_credential.slug", "Give a slug (letters, digits, -)."))
    parts: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    raw_parts = body.get("parts", [])
    if not isinstance(raw_parts, list):
        problems.append(ImportProblem("micro_credential.parts", "Give a list of parts."))
        raw_parts = []
    if len(raw_parts) > MAX_PARTS:
        problems.append(ImportProblem("micro_credential.parts", f"At most {MAX_PARTS} parts."))
    for p_index, raw in enumerate(raw_parts[:MAX_PARTS]):
        path = f"micro_credential.parts[{p_index}]"
        if not isinstance(raw, dict):
            problems.append(ImportProblem(path, "Each part is an object."))
            continue
        part_fields = {
            key: raw[key]
            for key in (
                "kind",
                "title",
                "prompt",
                "required",
                "accepted_types",
                "max_files",
                "max_words",
            )
            if key in raw
        }
        clean_part, part_problems = check_part_fields(part_fields)
        problems += [ImportProblem(f"{path}.{p.field}", p.message) for p in part_problems]
        criteria = []
        raw_criteria = raw.get("criteria", [])
        if not isinstance(raw_criteria, list) or len(raw_criteria) > MAX_CRITERIA:
            problems.append(
                ImportProblem(
                    f"{path}.criteria", f"Give a list of at most {MAX_CRITERIA} criteria."
                )
            )
            raw_criteria = []
        for c_index, criterion in enumerate(raw_criteria):
            c_path = f"{path}.criteria[{c_index}]"
            if not isinstance(criterion, dict):
                problems.append(ImportProblem(c_path, "Each criterion is an object."))
                continue
            clean_criterion, c_problems = check_criterion(
                criterion.get("name"), criterion.get("levels")
            )
            problems += [ImportProblem(f"{c_path}.{p.field}", p.message) for p in c_problems]
            criteria.append(clean_criterion)
        parts.append((clean_part, criteria))
    if problems:
        raise ImportRefused(problems)
    return CheckedDocument(slug=slug, fields=clean, parts=parts)


@transaction.atomic
def import_document(*, access: DistrictAccess, actor: Any, raw: str | bytes) -> DefinitionVersion:
    """A new micro-credential (draft), or a new draft version when the slug already exists."""
    definitions.require_author(access)
    checked = check_document(access.district, parse_document(raw))
    existing = (
        MicroCredential.objects.select_for_update()
        .filter(district=access.district, slug=checked.slug)
        .first()
    )
    if existing is None:
        version = definitions.create_micro_credential(
            access=access, actor=actor, slug=checked.slug, **checked.fields
        )
    else:
        version = definitions.empty_draft(existing, actor)
        version.title = checked.fields["title"]
        version.save()
        version = definitions.update_version(
            access=access, actor=actor, version=version, **checked.fields
        )
    for position, (part_fields, criteria) in enumerate(checked.parts, start=1):
        part = RequirementPart.objects.create(version=version, position=position, **part_fields)
        RubricCriterion.objects.bulk_create(
            RubricCriterion(part=part, position=index, **criterion)
            for index, criterion in enumerate(criteria, start=1)
        )
    audit.record(
        action="micro_credential.imported",
        summary=f"Imported “{version.title}” as draft version {version.number}",
        actor=actor,
        district=access.district,
        target=version.micro_credential,
        data={"version": version.number, "parts": len(checked.parts)},
    )
    return version

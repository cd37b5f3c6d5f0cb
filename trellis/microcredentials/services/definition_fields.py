"""Checking a definition version's fields, its parts and its rubric criteria. Shared by the
authoring services, the forms and the JSON import: `check_*` collect every problem (the import
reports them all, with their paths); the services raise the first one."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from trellis.core.errors import DomainError
from trellis.credit.rules.model import Unit
from trellis.frameworks.models import FrameworkItem
from trellis.microcredentials.models import Artifact, MicroCredential, RequirementPart

VERSION_FIELDS = (
    "title",
    "issuer_name",
    "issuer_url",
    "summary",
    "key_method",
    "method_components",
    "research",
    "resources",
    "competencies",
    "credit_amount",
    "credit_unit",
    "estimated_hours",
    "prerequisites",
)
TEXT_LIMITS = {  # field: (label, max length, required even in a draft)
    "title": ("title", 200, True),
    "issuer_name": ("issuing organisation", 200, False),
    "issuer_url": ("issuer's web address", 500, False),
    "summary": ("summary", 300, False),
    "key_method": ("key method", 20000, False),
    "research": ("supporting research", 20000, False),
}
MAX_COMPONENTS = 12
MAX_COMPONENT_LENGTH = 500
MAX_RESOURCES = 20
MAX_PARTS = 12
MAX_CRITERIA = 8
MAX_LEVELS = 6
MAX_FILES = 20
MAX_WORDS = 20000
UNITS = tuple(unit.value for unit in Unit)
ARTIFACT_TYPES = tuple(Artifact.Kind.values)
LEVEL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str

    def error(self) -> DomainError:
        return DomainError(self.code, self.message, details={"field": self.field})


def raise_first(problems: list[FieldProblem]) -> None:
    if problems:
        raise problems[0].error()


def decimal_or_none(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def is_web_address(text: str) -> bool:
    try:
        _url(text)
    except ValidationError:
        return False
    return True


def _number(
    problems: list[FieldProblem], field: str, label: str, value: Any, low: Decimal, high: Decimal
) -> Decimal:
    number = decimal_or_none(value)
    if number is None:
        problems.append(FieldProblem(field, f"bad_{field}", f"The {label} must be a number."))
        return low
    if not low <= number <= high:
        problems.append(
            FieldProblem(
                field, f"bad_{field}", f"The {label} must be between {low} and {high} ({number})."
            )
        )
    elif number != number.quantize(Decimal("0.01")):
        problems.append(
            FieldProblem(field, f"bad_{field}", f"The {label} has at most 2 decimal places.")
        )
    return number


def _adopted_items(
    district: Any, values: Any, keep: set[int] | None = None
) -> tuple[list[FrameworkItem], list[str]]:
    """Items of the district's adopted framework, given as objects or public ids (in order).
    Items in `keep` (already linked, perhaps from a framework the district used before) stay
    allowed."""
    wanted: list[tuple[str, Any]] = []
    unknown: list[str] = []
    for value in values or []:
        key = value.public_id if isinstance(value, FrameworkItem) else value
        try:
            wanted.append((str(value), uuid.UUID(str(key))))
        except ValueError:
            unknown.append(str(value))
    found = {
        item.public_id: item
        for item in FrameworkItem.objects.filter(
            Q(framework__is_adopted=True) | Q(pk__in=keep or ()),
            framework__district=district,
            public_id__in=[key for _text, key in wanted],
        )
    }
    items: dict[int, FrameworkItem] = {}
    for text, key in wanted:
        item = found.get(key)
        if item is None:
            unknown.append(text)
        else:
            items.setdefault(item.pk, item)
    return list(items.values()), unknown


def resolve_published(district: Any, values: Any) -> tuple[list[MicroCredential], list[str]]:
    wanted: list[tuple[str, Any]] = []
    unknown: list[str] = []
    for value in values or []:
        if isinstance(value, MicroCredential):
            wanted.append((value.slug, ("pk", value.pk)))
            continue
        text = str(value).strip()
        try:
            wanted.append((text, ("public_id", uuid.UUID(text))))
        except ValueError:
            wanted.append((text, ("slug", text)))
    rows = MicroCredential.objects.filter(
        district=district, status=MicroCredential.Status.PUBLISHED
    ).filter(
        Q(pk__in=[k for _t, (kind, k) in wanted if kind == "pk"])
        | Q(public_id__in=[k for _t, (kind, k) in wanted if kind == "public_id"])
        | Q(slug__in=[k for _t, (kind, k) in wanted if kind == "slug"])
    )
    by_key: dict[tuple[str, Any], MicroCredential] = {}
    for mc in rows:
        by_key[("pk", mc.pk)] = by_key[("public_id", mc.public_id)] = by_key[("slug", mc.slug)] = mc
    found: dict[int, MicroCredential] = {}
    for text, key in wanted:
        mc = by_key.get(key)
        if mc is None:
            unknown.append(text)
        else:
            found.setdefault(mc.pk, mc)
    return list(found.values()), unknown


def check_version_fields(
    district: Any,
    fields: dict[str, Any],
    *,
    defaults: dict[str, Any] | None = None,
    keep_competencies: set[int] | None = None,
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Normalise the fields of a draft version (missing ones take `defaults`) and list problems.
    Prerequisite cycles are checked by the service, which knows the micro-credential."""
    unknown_fields = sorted(set(fields) - set(VERSION_FIELDS))
    if unknown_fields:
        raise TypeError(f"Unknown definition fields: {', '.join(unknown_fields)}")
    data = {**(defaults or {}), **fields}
    clean: dict[str, Any] = {}
    problems: list[FieldProblem] = []

    def problem(field: str, code: str, message: str) -> None:
        problems.append(FieldProblem(field, code, message))

    for field, (label, limit, required) in TEXT_LIMITS.items():
        text = str(data.get(field) or "").strip()
        if required and not text:
            problem(field, f"{field}_required", f"Enter the {label}.")
        elif len(text) > limit:
            problem(
                field,
                f"{field}_too_long",
                f"The {label} is too long: at most {limit} characters ({len(text)} given).",
            )
        clean[field] = text
    if clean["issuer_url"] and not is_web_address(clean["issuer_url"]):
        problem("issuer_url", "bad_issuer_url", "The issuer's web address is not a web address.")

    components = data.get("method_components") or []
    if isinstance(components, str):
        components = components.splitlines()
    if not isinstance(components, list | tuple):
        problem("method_components", "bad_method_components", "Give the components as a list.")
        components = []
    components = [" ".join(str(c).split()) for c in components if str(c).strip()]
    if len(components) > MAX_COMPONENTS:
        problem(
            "method_components",
            "too_many_components",
            f"At most {MAX_COMPONENTS} method components ({len(components)} given).",
        )
    long_one = next((c for c in components if len(c) > MAX_COMPONENT_LENGTH), None)
    if long_one:
        problem(
            "method_components",
            "component_too_long",
            f"Each method component has at most {MAX_COMPONENT_LENGTH} characters: "
            f"“{long_one[:40]}…”.",
        )
    clean["method_components"] = components

    clean["resources"] = []
    resources = data.get("resources") or []
    if not isinstance(resources, list | tuple):
        problem("resources", "bad_resources", "Give the resources as a list of {title, url}.")
        resources = []
    if len(resources) > MAX_RESOURCES:
        problem("resources", "too_many_resources", f"At most {MAX_RESOURCES} resources.")
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            problem("resources", "bad_resource", f"Resource {index} needs a title and a url.")
            continue
        title = " ".join(str(resource.get("title") or "").split())
        url = str(resource.get("url") or "").strip()
        if not title or len(title) > 200:
            problem(
                "resources",
                "bad_resource",
                f"Resource {index} needs a title (200 characters at most).",
            )
        elif not url or len(url) > 500 or not is_web_address(url):
            problem(
                "resources",
                "bad_resource",
                f"Resource {index} (“{title}”) needs a web address starting with http:// or "
                "https://.",
            )
        else:
            clean["resources"].append({"title": title, "url": url})

    unit = str(data.get("credit_unit") or "").strip()
    if unit not in UNITS:
        problem(
            "credit_unit",
            "bad_credit_unit",
            f"Unknown credit unit “{unit}”. Choose one of: {', '.join(UNITS)}.",
        )
    clean["credit_unit"] = unit
    clean["credit_amount"] = _number(
        problems,
        "credit_amount",
        "credit amount",
        data.get("credit_amount", 0),
        Decimal(0),
        Decimal("9999.99"),
    )
    clean["estimated_hours"] = _number(
        problems,
        "estimated_hours",
        "estimated hours",
        data.get("estimated_hours", 10),
        Decimal("0.25"),
        Decimal("9999.99"),
    )

    items, unknown = _adopted_items(district, data.get("competencies"), keep_competencies)
    if unknown:
        problem(
            "competencies",
            "unknown_competency",
            f"Unknown competenc{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}: "
            f"choose competencies of {district.name}'s adopted framework.",
        )
    clean["competencies"] = items

    prerequisites, missing = resolve_published(district, data.get("prerequisites"))
    if missing:
        problem(
            "prerequisites",
            "unknown_prerequisite",
            f"Unknown prerequisite{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
            "choose published micro-credentials of the district.",
        )
    clean["prerequisites"] = prerequisites
    return clean, problems


PART_FIELDS = ("kind", "title", "prompt", "required", "accepted_types", "max_files", "max_words")


def check_part_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    unknown_fields = sorted(set(fields) - set(PART_FIELDS))
    if unknown_fields:
        raise TypeError(f"Unknown part fields: {', '.join(unknown_fields)}")
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    kind = str(fields.get("kind") or "").strip()
    if kind not in RequirementPart.Kind.values:
        problems.append(
            FieldProblem(
                "kind",
                "bad_kind",
                f"Unknown kind of part “{kind}”. Choose one of: "
                f"{', '.join(RequirementPart.Kind.values)}.",
            )
        )
    clean["kind"] = kind
    for field, label, limit in (("title", "title", 200), ("prompt", "prompt", 10000)):
        text = str(fields.get(field) or "").strip()
        if not text:
            problems.append(FieldProblem(field, f"{field}_required", f"Enter the part's {label}."))
        elif len(text) > limit:
            problems.append(
                FieldProblem(
                    field,
                    f"{field}_too_long",
                    f"The part's {label} has at most {limit} characters ({len(text)} given).",
                )
            )
        clean[field] = text
    clean["required"] = bool(fields.get("required", True))
    types = fields.get("accepted_types") or []
    if isinstance(types, str):
        types = [types]
    types = list(dict.fromkeys(str(t).strip() for t in types if str(t).strip()))
    bad = [t for t in types if t not in ARTIFACT_TYPES]
    if bad:
        problems.append(
            FieldProblem(
                "accepted_types",
                "bad_accepted_types",
                f"Unknown artifact type{'s' if len(bad) > 1 else ''} {', '.join(bad)}. Choose from: "
                f"{', '.join(ARTIFACT_TYPES)}.",
            )
        )
    if kind == RequirementPart.Kind.ARTIFACT and not types:
        problems.append(
            FieldProblem(
                "accepted_types",
                "accepted_types_required",
                "An artifact part accepts at least one type of artifact (document, image, video, "
                "audio or link).",
            )
        )
    is_artifact = kind == RequirementPart.Kind.ARTIFACT
    clean["accepted_types"] = [t for t in types if t in ARTIFACT_TYPES] if is_artifact else []
    clean["max_files"] = 3
    raw_files = fields.get("max_files")
    if is_artifact and raw_files not in (None, ""):
        try:
            clean["max_files"] = int(str(raw_files))
        except ValueError:
            clean["max_files"] = 0
        if not 1 <= clean["max_files"] <= MAX_FILES:
            problems.append(
                FieldProblem(
                    "max_files",
                    "bad_max_files",
                    f"The number of files must be a whole number between 1 and {MAX_FILES}.",
                )
            )
    raw_words = fields.get("max_words")
    clean["max_words"] = None
    if raw_words not in (None, ""):
        try:
            clean["max_words"] = int(str(raw_words))
        except ValueError:
            clean["max_words"] = 0
        if not 1 <= clean["max_words"] <= MAX_WORDS:
            problems.append(
                FieldProblem(
                    "max_words",
                    "bad_max_words",
                    f"The word limit must be a whole number between 1 and {MAX_WORDS}, or empty.",
                )
            )
    return clean, problems


def check_criterion(name: Any, levels: Any) -> tuple[dict[str, Any], list[FieldProblem]]:
    """A criterion's name and its levels, lowest first: keys unique, "not_yet" first, then
    "proficient" somewhere after it; every level has a descriptor."""
    problems: list[FieldProblem] = []
    text = " ".join(str(name or "").split())
    if not text:
        problems.append(FieldProblem("name", "name_required", "Name the criterion."))
    elif len(text) > 200:
        problems.append(
            FieldProblem("name", "name_too_long", "A criterion's name has at most 200 characters.")
        )
    clean_levels: list[dict[str, str]] = []
    if not isinstance(levels, list | tuple) or not levels:
        problems.append(FieldProblem("levels", "levels_required", "Give the criterion's levels."))
        return {"name": text, "levels": clean_levels}, problems
    if len(levels) > MAX_LEVELS:
        problems.append(
            FieldProblem("levels", "too_many_levels", f"At most {MAX_LEVELS} levels per criterion.")
        )
    for index, level in enumerate(levels, start=1):
        if not isinstance(level, dict):
            problems.append(
                FieldProblem("levels", "bad_level", f"Level {index} needs a key and a descriptor.")
            )
            continue
        key = str(level.get("key") or "").strip()
        label = (
            " ".join(str(level.get("label") or "").split()) or key.replace("_", " ").capitalize()
        )
        descriptor = str(level.get("descriptor") or "").strip()
        if not LEVEL_KEY.match(key):
            problems.append(
                FieldProblem(
                    "levels",
                    "bad_level_key",
                    f"Level {index}: the key “{key}” must be lower-case letters, digits and _ "
                    "(e.g. not_yet, proficient, exemplary).",
                )
            )
        elif any(existing["key"] == key for existing in clean_levels):
            problems.append(
                FieldProblem("levels", "duplicate_level", f"The level “{key}” appears twice.")
            )
        if not descriptor:
            problems.append(
                FieldProblem(
                    "levels",
                    "descriptor_required",
                    f"Describe what the level “{label}” looks like.",
                )
            )
        elif len(descriptor) > 2000 or len(label) > 80:
            problems.append(
                FieldProblem(
                    "levels",
                    "level_too_long",
                    f"Level “{label}”: a label has at most 80 characters, a descriptor 2000.",
                )
            )
        clean_levels.append({"key": key, "label": label, "descriptor": descriptor})
    keys = [level["key"] for level in clean_levels]
    if "not_yet" not in keys or "proficient" not in keys:
        problems.append(
            FieldProblem(
                "levels",
                "levels_incomplete",
                "A criterion needs at least the levels “not_yet” and “proficient”, each with a "
                "descriptor.",
            )
        )
    elif keys[0] != "not_yet":
        problems.append(
            FieldProblem(
                "levels",
                "levels_order",
                "Levels are ordered lowest first: “not_yet” comes first.",
            )
        )
    return {"name": text, "levels": clean_levels}, problems

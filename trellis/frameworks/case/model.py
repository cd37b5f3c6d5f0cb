"""The plain data of a CASE package: limits, association types, dataclasses and the error."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

MAX_PACKAGE_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 20_000
MAX_ASSOCIATIONS = 100_000
MAX_DEPTH = 12
MAX_IDENTIFIER_LENGTH = 100

ASSOCIATION_TYPES = frozenset(
    {
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
        "isTranslationOf",
    }
)
EXTENSION_TYPE_PATTERN = re.compile(r"^ext:[A-Za-z0-9|.\-_]+$")
# Stable namespace for identifiers derived from non-UUID ones (CASE 1.1 requires UUIDs).
DERIVED_NAMESPACE = uuid.UUID("6f1c2a3e-9b7d-4c1e-8a55-2f0e3d4b7a10")

# Item kinds (the values of FrameworkItem.Kind) and the CASE item types that imply them.
DOMAIN, STANDARD, COMPETENCY, INDICATOR = "domain", "standard", "competency", "indicator"
KIND_WORDS = {
    DOMAIN: ("domain", "strand", "category", "frame"),
    STANDARD: ("standard", "cluster", "anchor", "benchmark"),
    COMPETENCY: ("competency", "competence", "skill", "objective", "outcome", "expectation"),
    INDICATOR: ("indicator", "element", "component", "sub-standard", "descriptor", "evidence"),
}
SCALE_EXTENSION = "trellisProficiencyScale"  # CFDocument extension carrying our scale


class CaseError(Exception):
    """The package cannot be imported at all; `code` is stable, `message` tells what to fix."""

    def __init__(self, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.details = code, message, details or {}


@dataclass(frozen=True)
class CaseDocument:
    identifier: str
    title: str
    uri: str = ""
    creator: str = ""
    publisher: str = ""
    description: str = ""
    version: str = ""
    language: str = ""
    subject: str = ""
    adoption_status: str = ""
    official_source_url: str = ""
    last_change: dt.datetime | None = None
    case_version: str = "1.1"
    scale: tuple[dict, ...] = ()  # proficiency levels: {value, label, description, is_target}


@dataclass(frozen=True)
class CaseItem:
    identifier: str
    full_statement: str
    uri: str = ""
    abbreviated_statement: str = ""
    human_code: str = ""
    notes: str = ""
    item_type: str = ""
    list_enumeration: str = ""
    language: str = ""
    education_levels: tuple[str, ...] = ()
    last_change: dt.datetime | None = None


@dataclass(frozen=True)
class CaseAssociation:
    identifier: str
    association_type: str
    origin_identifier: str
    destination_identifier: str
    uri: str = ""
    origin_uri: str = ""
    origin_title: str = ""
    destination_uri: str = ""
    destination_title: str = ""
    sequence_number: int | None = None
    last_change: dt.datetime | None = None


@dataclass(frozen=True)
class SkippedAssociation:
    identifier: str
    association_type: str
    reason: str


@dataclass
class CasePackage:
    document: CaseDocument
    items: list[CaseItem]  # parents before children, siblings in order
    associations: list[CaseAssociation]  # every kept association, isChildOf included
    parents: dict[str, str | None]  # item identifier → parent item identifier (None: top level)
    positions: dict[str, int]  # item identifier → order among its siblings
    depths: dict[str, int]
    kinds: dict[str, str]
    skipped: list[SkippedAssociation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

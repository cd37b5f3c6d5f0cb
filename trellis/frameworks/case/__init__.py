"""CASE (1EdTech Competencies and Academic Standards Exchange) packages as plain data, no Django.

`parse_package` reads CASE 1.0/1.1 CFPackage JSON into dataclasses plus the warnings and skipped
associations to show a person; `export_package` writes a CASE 1.1 CFPackage dict. Anything that
cannot be imported safely raises `CaseError` before any write happens.
"""

from trellis.frameworks.case.export import CASE_VERSION, as_uuid, child_link, export_package
from trellis.frameworks.case.model import (
    ASSOCIATION_TYPES,
    COMPETENCY,
    DOMAIN,
    INDICATOR,
    MAX_DEPTH,
    MAX_IDENTIFIER_LENGTH,
    MAX_ITEMS,
    MAX_PACKAGE_BYTES,
    STANDARD,
    CaseAssociation,
    CaseDocument,
    CaseError,
    CaseItem,
    CasePackage,
    SkippedAssociation,
)
from trellis.frameworks.case.parse import kind_for, parse_package

__all__ = [
    "ASSOCIATION_TYPES",
    "CASE_VERSION",
    "COMPETENCY",
    "DOMAIN",
    "INDICATOR",
    "MAX_DEPTH",
    "MAX_IDENTIFIER_LENGTH",
    "MAX_ITEMS",
    "MAX_PACKAGE_BYTES",
    "STANDARD",
    "CaseAssociation",
    "CaseDocument",
    "CaseError",
    "CaseItem",
    "CasePackage",
    "SkippedAssociation",
    "as_uuid",
    "child_link",
    "export_package",
    "kind_for",
    "parse_package",
]

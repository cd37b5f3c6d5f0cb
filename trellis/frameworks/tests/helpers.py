"""Shared pieces of the framework tests: the real CASE files, the CASE 1.1 schema, snapshots."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from trellis.audit.models import AuditEvent
from trellis.frameworks.models import (
    CaseUpload,
    Framework,
    FrameworkAssociation,
    FrameworkItem,
    ProficiencyLevel,
)

# The project's shared folder sits beside the repository (never an absolute path).
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CASE_DIR = SHARED / "data" / "case"
SCHEMA_DIR = SHARED / "data" / "standards" / "schemas" / "case_v1p1"

ACT_MATH = "act-holistic-framework-math.case-v1p0.json"
SMARTLEVEL = "opensalt-smartlevel-test-framework.json"
CCSS_SAMPLE = "opensalt-what-standards-could-be-ccss-math.json"


def real_case_file(name: str) -> bytes:
    path = CASE_DIR / name
    if not path.is_file():
        pytest.skip(f"the shared CASE samples are not available ({path})")
    return path.read_bytes()


@cache
def _case_validator() -> Any:
    from jsonschema import Draft201909Validator, FormatChecker
    from referencing import Registry, Resource

    if not SCHEMA_DIR.is_dir():
        return None
    registry = Registry()
    for path in SCHEMA_DIR.glob("*.json"):  # sibling files, resolved locally by their $id
        schema = json.loads(path.read_text())
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    package = json.loads((SCHEMA_DIR / "case_v1p1_cfpackage-jsonschema1.json").read_text())
    return Draft201909Validator(package, registry=registry, format_checker=FormatChecker())


def case_schema_errors(package: dict) -> list[str]:
    """Problems of `package` against the official CASE 1.1 CFPackage schema ([] when valid)."""
    validator = _case_validator()
    if validator is None:
        pytest.skip(f"the CASE 1.1 schemas are not available ({SCHEMA_DIR})")
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(package)
    ]


def framework_snapshot() -> dict[str, Any]:
    """Everything a framework write could change."""
    return {
        "frameworks": list(
            Framework.objects.order_by("pk").values_list(
                "pk", "district_id", "title", "is_adopted", "updated_at"
            )
        ),
        "items": list(
            FrameworkItem.objects.order_by("pk").values_list(
                "pk", "parent_id", "title", "statement", "human_code", "position"
            )
        ),
        "levels": list(
            ProficiencyLevel.objects.order_by("pk").values_list(
                "framework_id", "value", "label", "is_target"
            )
        ),
        "associations": FrameworkAssociation.objects.count(),
        "uploads": CaseUpload.objects.count(),
        "audit": AuditEvent.objects.count(),
    }

"""JSON Schema validation of credentials against the bundled 1EdTech and W3C schemas, offline.

The schemas in core/schemas/ are registered by their `$id`; a `$ref` to any other schema raises
a clear error instead of fetching it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT201909

from trellis.credentials.core.errors import CredentialError

SCHEMAS_DIR = Path(__file__).with_name("schemas")

SCHEMA_FILES: dict[str, str] = {
    "achievementcredential": "ob_v3p0_achievementcredential_schema.json",
    "profile": "ob_v3p0_profile_schema.json",
    "clrcredential": "clr_v2p0_clrcredential_schema.json",
    "vc": "verifiable-credential-schema.json",
    "vp": "verifiable-presentation-schema.json",
}


@dataclass(frozen=True)
class SchemaIssue:
    """One way a document breaks its schema: where (a dotted path) and what, in plain English."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


@cache
def _raw(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8"))


def _refuse(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)


@cache
def _registry() -> Registry[Any]:
    resources = []
    for name in SCHEMA_FILES:
        contents = _raw(name)
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT201909))
        )
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]


@cache
def _validator(name: str) -> Any:
    schema = _raw(name)
    cls = validator_for(schema, default=Draft201909Validator)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


SCHEMA_IDS: dict[str, str] = {name: _raw(name)["$id"] for name in SCHEMA_FILES}


def validate(document: Any, schema: str = "achievementcredential") -> list[SchemaIssue]:
    """Every schema problem in the document (an empty list when it is valid), in document
    order. `schema` is one of SCHEMA_FILES' names; CredentialError for any other name or when
    the schema refers to a schema that is not bundled."""
    if schema not in SCHEMA_FILES:
        raise CredentialError(
            f"There is no bundled schema called {schema!r}; "
            f"choose one of {', '.join(sorted(SCHEMA_FILES))}."
        )
    validator = _validator(schema)
    try:
        errors = list(validator.iter_errors(document))
    except Unresolvable as error:
        raise CredentialError(
            f"The {schema} schema refers to another schema that is not bundled ({error}); "
            "schemas are never fetched from the network."
        ) from error
    issues = {_issue(error) for leaf in errors for error in _leaves(leaf)}
    return sorted(issues, key=lambda issue: (issue.path, issue.message))


def schema_for(document: Any) -> str | None:
    """Which bundled schema fits the document: from its credentialSchema ids, else its type."""
    if not isinstance(document, dict):
        return None
    by_id = {schema_id: name for name, schema_id in SCHEMA_IDS.items()}
    entries = document.get("credentialSchema")
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, dict) and entry.get("id") in by_id:
            return by_id[entry["id"]]
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "ClrCredential" in types:
        return "clrcredential"
    if "OpenBadgeCredential" in types or "AchievementCredential" in types:
        return "achievementcredential"
    if "VerifiablePresentation" in types:
        return "vp"
    if "VerifiableCredential" in types:
        return "vc"
    if "Profile" in types:
        return "profile"
    return None


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf failures, the most relevant sub-errors; otherwise the error itself."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = max(len(sub.absolute_path) for sub in error.context)
        if deepest > len(error.absolute_path):
            return [sub for sub in error.context if len(sub.absolute_path) == deepest]
    return [error]


def _issue(error: ValidationError) -> SchemaIssue:
    path = list(error.absolute_path)
    if error.validator == "required" and "'" in error.message:
        path.append(error.message.split("'")[1])
    return SchemaIssue(path=_dotted(path), message=_message(error))


def _dotted(path: Any) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _message(error: ValidationError) -> str:
    value = error.validator_value
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(value)
        return f"The required field '{missing}' is missing."
    if kind == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        return f"Must be {_article(expected)} {expected}, not {_json_type(error.instance)}."
    if kind == "format":
        return f"{_short(error.instance)} is not a valid {value}."
    if kind == "pattern":
        return f"{_short(error.instance)} does not have the expected form ({value})."
    if kind == "enum":
        return f"{_short(error.instance)} is not one of the allowed values."
    if kind == "const":
        return f"Must be {_short(value)}."
    if kind == "minItems":
        return f"Needs at least {value} item{'s' if value != 1 else ''}."
    if kind == "contains":
        return "Does not contain a required value."
    if kind == "additionalProperties":
        allowed = (
            set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        )
        extra = sorted(set(error.instance) - allowed) if isinstance(error.instance, dict) else []
        if extra:
            return f"Fields not allowed here: {', '.join(extra)}."
        return error.message
    if kind in ("anyOf", "oneOf"):
        return "Does not match any of the allowed shapes."
    return error.message


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."

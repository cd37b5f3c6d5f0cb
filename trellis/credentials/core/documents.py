"""Unsigned Open Badges 3.0 credentials and VC 2.0 presentations built from plain specs.

Every term emitted here is defined by the bundled VC 2.0, OB 3.0.3 and OB extensions contexts
(the tests canonicalize a full credential in safe mode and validate it against the OB 3.0 JSON
schema). Optional fields are omitted when empty: never "" or []."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlsplit

from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.loader import OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.specs import (
    AchievementSpec,
    AlignmentSpec,
    CredentialSpec,
    EvidenceSpec,
    IssuerSpec,
    ResultDescriptionSpec,
    ResultSpec,
    StatusEntrySpec,
    SubjectSpec,
)

OB_CONTEXT: tuple[str, ...] = (VC_V2, OB_V3, OB_V3_EXTENSIONS)
ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"

# The OB 3.0 AchievementType vocabulary; extensions are written "ext:Something".
ACHIEVEMENT_TYPES = frozenset(
    {
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    }
)
ALIGNMENT_TARGET_TYPES = frozenset(
    {
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    }
)
RESULT_TYPES = frozenset(
    {
        "GradePointAverage",
        "LetterGrade",
        "Percent",
        "PerformanceLevel",
        "PredictedScore",
        "RawScore",
        "Result",
        "RubricCriterion",
        "RubricCriterionLevel",
        "RubricScore",
        "ScaledScore",
        "Status",
    }
)
RESULT_STATUSES = frozenset(
    {"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"}
)
STATUS_PURPOSES = frozenset({"revocation", "suspension", "refresh"})


def build_credential(spec: CredentialSpec) -> dict[str, Any]:
    """The unsigned OB 3.0 AchievementCredential for a spec; CredentialError when it is invalid."""
    _require_uri(spec.id, "The credential id")
    if spec.valid_until is not None and spec.valid_until <= spec.valid_from:
        raise CredentialError("The credential's validUntil must be after its validFrom.")
    document: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": spec.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    _put(document, "name", (spec.name or spec.achievement.name).strip())
    document["issuer"] = issuer_profile(spec.issuer)
    document["validFrom"] = date_time_z(spec.valid_from, "validFrom")
    if spec.valid_until is not None:
        document["validUntil"] = date_time_z(spec.valid_until, "validUntil")
    if spec.awarded is not None:
        document["awardedDate"] = date_time_z(spec.awarded, "awardedDate")
    document["credentialSubject"] = _subject(spec)
    _put(document, "evidence", [_evidence(item) for item in spec.evidence])
    document["credentialSchema"] = [
        {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR_TYPE}
    ]
    if spec.status:
        document["credentialStatus"] = credential_status(spec.status)
    return document


def credential_status(
    entries: tuple[StatusEntrySpec, ...] | list[StatusEntrySpec],
) -> dict[str, Any] | list[dict[str, Any]]:
    """The `credentialStatus` value for these entries, the one rule every issuing path follows:
    VC 2.0 and Bitstring Status List allow a list (e.g. revocation and suspension); the 1EdTech
    OB 3.0 schema allows one object, so one entry stays a plain object."""
    if not entries:
        raise CredentialError("A status needs at least one entry.")
    purposes = [entry.purpose for entry in entries]
    if len(set(purposes)) != len(purposes):
        raise CredentialError("A credential has at most one status entry per purpose.")
    if len(entries) == 1:
        return _status(entries[0])
    return [_status(entry) for entry in entries]


def build_presentation(
    credentials: list[dict[str, Any]] | tuple[dict[str, Any], ...],
    holder: str | None = None,
    *,
    id: str | None = None,
) -> dict[str, Any]:
    """An unsigned VC 2.0 VerifiablePresentation of the given (signed) credentials."""
    if not credentials:
        raise CredentialError("A presentation needs at least one credential.")
    for index, credential in enumerate(credentials):
        if not isinstance(credential, dict):
            raise CredentialError(
                f"Credential {index + 1} in the presentation is not a JSON object."
            )
        types = credential.get("type")
        if not isinstance(types, list) or "VerifiableCredential" not in types:
            raise CredentialError(
                f"Credential {index + 1} in the presentation is not of type VerifiableCredential."
            )
    presentation: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"]}
    extra_contexts: list[str] = []
    for credential in credentials:
        for context in _as_list(credential.get("@context")):
            if isinstance(context, str) and context != VC_V2 and context not in extra_contexts:
                extra_contexts.append(context)
    presentation["@context"].extend(extra_contexts)
    if id is not None:
        _require_uri(id, "The presentation id")
        presentation["id"] = id
    if holder is not None:
        _require_uri(holder, "The presentation holder")
        presentation["holder"] = holder
    presentation["verifiableCredential"] = list(credentials)
    return presentation


def date_time_z(value: dt.datetime, label: str = "The date") -> str:
    """A timezone-aware datetime as an OB 3.0 DateTimeZ in UTC: YYYY-MM-DDTHH:MM:SSZ."""
    if not isinstance(value, dt.datetime):
        raise CredentialError(f"{label} must be a date and time, not {type(value).__name__}.")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise CredentialError(f"{label} has no time zone; credential dates must be in UTC.")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hashed_email(email: str, salt: str) -> str:
    """The OB IdentityObject hash of an e-mail address: "sha256$" + hex(sha256(email + salt))."""
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def issuer_profile(issuer: IssuerSpec) -> dict[str, Any]:
    """The OB 3.0 issuer Profile (also the issuer of a CLR 2.0 transcript)."""
    _require_uri(issuer.id, "The issuer id")
    if not issuer.name.strip():
        raise CredentialError("The issuer needs a name.")
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name.strip()}
    if issuer.url:
        _require_url(issuer.url, "The issuer url")
        profile["url"] = issuer.url
    if issuer.email:
        _require_email(issuer.email, "The issuer email")
        profile["email"] = issuer.email
    if issuer.image_url:
        profile["image"] = _image(issuer.image_url, "The issuer image")
    _put(profile, "description", issuer.description.strip())
    return profile


def _subject(spec: CredentialSpec) -> dict[str, Any]:
    subject_spec: SubjectSpec = spec.subject
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if subject_spec.id:
        _require_uri(subject_spec.id, "The learner's id")
        subject["id"] = subject_spec.id
    else:
        email = subject_spec.email.strip().lower()
        if not email:
            raise CredentialError("The learner needs an id or an e-mail address.")
        _require_email(email, "The learner's e-mail address")
        if not subject_spec.salt:
            raise CredentialError("A hashed e-mail identifier needs a salt.")
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": hashed_email(email, subject_spec.salt),
                "identityType": "emailAddress",
                "salt": subject_spec.salt,
            }
        ]
    subject["achievement"] = _achievement(spec.achievement)
    known = {description.id for description in spec.achievement.result_descriptions}
    _put(subject, "result", [_result(result, known) for result in spec.results])
    if spec.credit_hours_earned is not None:
        subject["creditsEarned"] = _credits(spec.credit_hours_earned, "creditsEarned")
    return subject


def _achievement(spec: AchievementSpec) -> dict[str, Any]:
    _require_uri(spec.id, "The achievement id")
    if not spec.name.strip():
        raise CredentialError("The achievement needs a name.")
    if not spec.description.strip():
        raise CredentialError("The achievement needs a description.")
    if not spec.criteria_narrative.strip() and not spec.criteria_url:
        raise CredentialError("The achievement needs criteria: a narrative or a criteria URL.")
    if spec.achievement_type not in ACHIEVEMENT_TYPES and not spec.achievement_type.startswith(
        "ext:"
    ):
        raise CredentialError(
            f"{spec.achievement_type!r} is not an Open Badges achievement type "
            "(use one of the standard types or an 'ext:' extension)."
        )
    achievement: dict[str, Any] = {
        "id": spec.id,
        "type": ["Achievement"],
        "achievementType": spec.achievement_type,
        "name": spec.name.strip(),
        "description": spec.description.strip(),
    }
    criteria: dict[str, Any] = {}
    if spec.criteria_url:
        _require_url(spec.criteria_url, "The criteria URL")
        criteria["id"] = spec.criteria_url
    _put(criteria, "narrative", spec.criteria_narrative.strip())
    achievement["criteria"] = criteria
    if spec.image_url:
        achievement["image"] = _image(spec.image_url, "The achievement image")
    _put(achievement, "alignment", [_alignment(item) for item in spec.alignments])
    ids = [description.id for description in spec.result_descriptions]
    if len(set(ids)) != len(ids):
        raise CredentialError("Two result descriptions share the same id.")
    _put(
        achievement,
        "resultDescription",
        [_result_description(item) for item in spec.result_descriptions],
    )
    tags = []
    for tag in spec.tags:
        if tag.strip() and tag.strip() not in tags:
            tags.append(tag.strip())
    _put(achievement, "tag", tags)
    _put(achievement, "version", spec.version.strip())
    _put(achievement, "humanCode", spec.human_code.strip())
    if spec.credit_hours is not None:
        achievement["creditsAvailable"] = _credits(spec.credit_hours, "creditsAvailable")
    return achievement


def _alignment(spec: AlignmentSpec) -> dict[str, Any]:
    if not spec.target_name.strip():
        raise CredentialError("An alignment needs a target name.")
    _require_url(spec.target_url, f"The alignment URL for {spec.target_name!r}")
    if (
        spec.target_type
        and spec.target_type not in ALIGNMENT_TARGET_TYPES
        and not spec.target_type.startswith("ext:")
    ):
        raise CredentialError(
            f"{spec.target_type!r} is not an Open Badges alignment target type "
            "(for example CFItem, or an 'ext:' extension)."
        )
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": spec.target_name.strip(),
        "targetUrl": spec.target_url,
    }
    _put(alignment, "targetCode", spec.target_code.strip())
    _put(alignment, "targetDescription", spec.target_description.strip())
    _put(alignment, "targetFramework", spec.target_framework.strip())
    _put(alignment, "targetType", spec.target_type)
    return alignment


def _result_description(spec: ResultDescriptionSpec) -> dict[str, Any]:
    _require_uri(spec.id, "A result description id")
    if not spec.name.strip():
        raise CredentialError("A result description needs a name.")
    if spec.result_type not in RESULT_TYPES and not spec.result_type.startswith("ext:"):
        raise CredentialError(f"{spec.result_type!r} is not an Open Badges result type.")
    description: dict[str, Any] = {
        "id": spec.id,
        "type": ["ResultDescription"],
        "name": spec.name.strip(),
        "resultType": spec.result_type,
    }
    levels = []
    for level_id, name, text in spec.levels:
        _require_uri(level_id, f"A level id of {spec.name!r}")
        if not name.strip():
            raise CredentialError(f"A level of {spec.name!r} needs a name.")
        level: dict[str, Any] = {"id": level_id, "type": ["RubricCriterionLevel"], "name": name}
        _put(level, "description", text.strip())
        levels.append(level)
    level_ids = [level["id"] for level in levels]
    if len(set(level_ids)) != len(level_ids):
        raise CredentialError(f"Two levels of {spec.name!r} share the same id.")
    if spec.required_level:
        if spec.required_level not in level_ids:
            raise CredentialError(f"The required level of {spec.name!r} is not one of its levels.")
        description["requiredLevel"] = spec.required_level
    _put(description, "rubricCriterionLevel", levels)
    return description


def _result(spec: ResultSpec, known: set[str]) -> dict[str, Any]:
    if spec.result_description not in known:
        raise CredentialError(
            f"A result refers to {spec.result_description!r}, which is not one of the "
            "achievement's result descriptions."
        )
    if spec.status and spec.status not in RESULT_STATUSES:
        raise CredentialError(f"{spec.status!r} is not an Open Badges result status.")
    result: dict[str, Any] = {"type": ["Result"], "resultDescription": spec.result_description}
    if spec.achieved_level:
        _require_uri(spec.achieved_level, "A result's achieved level")
        result["achievedLevel"] = spec.achieved_level
    _put(result, "status", spec.status)
    _put(result, "value", spec.value.strip())
    return result


def _evidence(spec: EvidenceSpec) -> dict[str, Any]:
    evidence: dict[str, Any] = {"type": ["Evidence"]}
    if spec.id:
        _require_url(spec.id, "An evidence URL")
        evidence["id"] = spec.id
    _put(evidence, "name", spec.name.strip())
    _put(evidence, "narrative", spec.narrative.strip())
    _put(evidence, "description", spec.description.strip())
    _put(evidence, "genre", spec.genre.strip())
    if len(evidence) == 1:
        raise CredentialError("An evidence item needs a URL, a name, a narrative or a description.")
    return evidence


def _status(spec: StatusEntrySpec) -> dict[str, Any]:
    _require_url(spec.status_list_credential, "The status list credential URL")
    if "#" in spec.status_list_credential:
        raise CredentialError("The status list credential URL must not have a fragment.")
    if isinstance(spec.index, bool) or not isinstance(spec.index, int) or spec.index < 0:
        raise CredentialError("A status list index must be a whole number, 0 or more.")
    if spec.purpose not in STATUS_PURPOSES:
        raise CredentialError(
            f"{spec.purpose!r} is not a status purpose (use revocation, suspension or refresh)."
        )
    return {
        "id": f"{spec.status_list_credential}#{spec.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": spec.purpose,
        "statusListIndex": str(spec.index),
        "statusListCredential": spec.status_list_credential,
    }


def _image(url: str, label: str) -> dict[str, Any]:
    if url.startswith("data:image/"):
        return {"id": url, "type": "Image"}
    _require_url(url, label)
    return {"id": url, "type": "Image"}


def _credits(value: float, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CredentialError(f"{label} must be a number of hours, 0 or more.")
    if value != value or value == float("inf"):
        raise CredentialError(f"{label} must be a finite number.")
    return float(value)


def _require_uri(value: str, label: str) -> None:
    """An absolute URI: an http(s) URL, a DID, or a urn."""
    problem = CredentialError(
        f"{label} must be an absolute URI: an http(s) URL, a DID or a urn (got {value!r})."
    )
    if not isinstance(value, str) or any(char.isspace() for char in value):
        raise problem
    if value.startswith(("did:", "urn:")) and value.count(":") >= 2 and not value.endswith(":"):
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise problem


def _require_url(value: str, label: str) -> None:
    """An absolute http(s) URL with a host."""
    if not isinstance(value, str) or any(char.isspace() for char in value):
        raise CredentialError(f"{label} must be an absolute http(s) URL (got {value!r}).")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CredentialError(f"{label} must be an absolute http(s) URL (got {value!r}).")


def _require_email(value: str, label: str) -> None:
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or any(char.isspace() for char in value):
        raise CredentialError(f"{label} is not a valid e-mail address (got {value!r}).")


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in ("", [], None, {}):
        target[key] = value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

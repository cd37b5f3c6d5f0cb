"""The plain data a credential is built from. Django code (micro-credentials, catalog,
credentials services) fills these in; `documents` turns them into JSON-LD."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IssuerSpec:
    """The OB 3.0 issuer Profile. `id` is the issuer's DID (did:key or did:web)."""

    id: str
    name: str
    url: str = ""
    email: str = ""
    image_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class AlignmentSpec:
    target_name: str
    target_url: str
    target_code: str = ""
    target_description: str = ""
    target_framework: str = ""
    target_type: str = ""  # "CFItem" when the target is a CASE item


@dataclass(frozen=True)
class ResultDescriptionSpec:
    """One rubric criterion as an OB 3.0 ResultDescription (its levels as rubric criterion
    levels)."""

    id: str
    name: str
    result_type: str = "RubricCriterionLevel"
    levels: tuple[tuple[str, str, str], ...] = ()  # (id, name, description)
    required_level: str = ""  # the id of the level that must be reached


@dataclass(frozen=True)
class ResultSpec:
    result_description: str  # ResultDescription id
    achieved_level: str = ""  # level id
    status: str = "Completed"
    value: str = ""


@dataclass(frozen=True)
class EvidenceSpec:
    id: str = ""  # a URL where the evidence can be seen, when shared
    name: str = ""
    narrative: str = ""
    description: str = ""
    genre: str = ""


@dataclass(frozen=True)
class AchievementSpec:
    id: str  # a URL of the achievement (its public page on this server)
    name: str
    description: str
    criteria_narrative: str
    criteria_url: str = ""
    achievement_type: str = "MicroCredential"
    image_url: str = ""
    alignments: tuple[AlignmentSpec, ...] = ()
    result_descriptions: tuple[ResultDescriptionSpec, ...] = ()
    tags: tuple[str, ...] = ()
    version: str = ""
    human_code: str = ""
    credit_hours: float | None = None  # as the OB 3.0 `creditsAvailable`


@dataclass(frozen=True)
class SubjectSpec:
    """Who earned it: a DID or URL id when known, else a salted, hashed e-mail identifier."""

    email: str
    name: str = ""
    id: str = ""
    salt: str = ""


@dataclass(frozen=True)
class StatusEntrySpec:
    """A BitstringStatusListEntry: where this credential's bit is."""

    status_list_credential: str  # URL of the BitstringStatusListCredential
    index: int
    purpose: str = "revocation"


@dataclass(frozen=True)
class CredentialSpec:
    id: str  # the credential's id URL on this server
    issuer: IssuerSpec
    subject: SubjectSpec
    achievement: AchievementSpec
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None
    awarded: dt.datetime | None = None
    name: str = ""
    results: tuple[ResultSpec, ...] = ()
    evidence: tuple[EvidenceSpec, ...] = field(default_factory=tuple)
    status: tuple[StatusEntrySpec, ...] = ()
    credit_hours_earned: float | None = None  # as the OB 3.0 `creditsEarned`

"""CLR 2.0 transcripts: an unsigned ClrCredential wrapping an educator's signed OB 3.0
credentials, as stored (each keeps its own proof), and listing their achievements.

The caller signs the result with `dataintegrity.sign` (safe mode: every term must be defined by
the bundled VC 2.0, CLR 2.0.1 and OB 3.0.3 contexts). Optional fields are omitted when empty."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from trellis.credentials.core.documents import date_time_z, hashed_email, issuer_profile
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.loader import CLR_V2, OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.specs import IssuerSpec, SubjectSpec

CLR_CONTEXT: tuple[str, ...] = (VC_V2, CLR_V2, OB_V3, OB_V3_EXTENSIONS)
CLR_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
MAX_CREDENTIALS = 500

# The CLR 2.0 AssociationType vocabulary.
ASSOCIATION_TYPES = frozenset(
    {
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    }
)


def build_clr(
    *,
    id: str,
    issuer: IssuerSpec,
    subject: SubjectSpec,
    credentials: list[dict[str, Any]],
    valid_from: dt.datetime,
    name: str,
    description: str | None = None,
    associations: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """The unsigned ClrCredential. `credentials` are signed OB 3.0 credentials (dicts as stored);
    `associations` are (associationType, sourceId, targetId) between achievement ids.
    CredentialError says what is wrong with any input."""
    _require_uri(id, "The transcript id")
    if not name or not name.strip():
        raise CredentialError("The transcript needs a name.")
    if not credentials:
        raise CredentialError("A transcript needs at least one credential.")
    if len(credentials) > MAX_CREDENTIALS:
        raise CredentialError(
            f"A transcript can hold at most {MAX_CREDENTIALS} credentials; "
            f"{len(credentials)} were chosen."
        )
    achievements: list[dict[str, Any]] = []
    seen_credentials: set[str] = set()
    seen_achievements: set[str] = set()
    for index, credential in enumerate(credentials, start=1):
        achievement = _achievement_of(credential, index)
        credential_id = credential.get("id")
        if isinstance(credential_id, str):
            if credential_id in seen_credentials:
                raise CredentialError(f"Credential {index} ({credential_id}) is listed twice.")
            seen_credentials.add(credential_id)
        if achievement["id"] not in seen_achievements:
            seen_achievements.add(achievement["id"])
            achievements.append(achievement)

    clr_subject: dict[str, Any] = {"type": ["ClrSubject"]}
    clr_subject.update(_identify(subject))
    clr_subject["verifiableCredential"] = [copy.deepcopy(c) for c in credentials]
    clr_subject["achievement"] = achievements
    links = [_association(item, seen_achievements) for item in associations]
    if links:
        clr_subject["association"] = links

    document: dict[str, Any] = {
        "@context": list(CLR_CONTEXT),
        "id": id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": name.strip(),
    }
    if description and description.strip():
        document["description"] = description.strip()
    document["issuer"] = issuer_profile(issuer)
    document["validFrom"] = date_time_z(valid_from, "validFrom")
    document["credentialSubject"] = clr_subject
    document["credentialSchema"] = [{"id": CLR_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR_TYPE}]
    return document


def embedded_credentials(clr: dict[str, Any]) -> list[dict[str, Any]]:
    """The credentials a ClrCredential carries (an empty list when it carries none)."""
    subject = clr.get("credentialSubject")
    if not isinstance(subject, dict):
        return []
    items = subject.get("verifiableCredential")
    items = items if isinstance(items, list) else [items] if items else []
    return [item for item in items if isinstance(item, dict)]


def _achievement_of(credential: Any, index: int) -> dict[str, Any]:
    if not isinstance(credential, dict):
        raise CredentialError(f"Credential {index} is not a JSON object.")
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiableCredential" not in types or not (
        "OpenBadgeCredential" in types or "AchievementCredential" in types
    ):
        raise CredentialError(f"Credential {index} is not an Open Badges 3.0 credential.")
    if not credential.get("proof"):
        raise CredentialError(
            f"Credential {index} has no proof; a transcript carries only signed credentials."
        )
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict) or not isinstance(achievement.get("id"), str):
        raise CredentialError(f"Credential {index} has no achievement with an id.")
    return copy.deepcopy(achievement)


def _identify(subject: SubjectSpec) -> dict[str, Any]:
    if subject.id:
        _require_uri(subject.id, "The learner's id")
        return {"id": subject.id}
    email = subject.email.strip().lower()
    if not email or "@" not in email:
        raise CredentialError("The learner needs an id or an e-mail address.")
    if not subject.salt:
        raise CredentialError("A hashed e-mail identifier needs a salt.")
    return {
        "identifier": [
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": hashed_email(email, subject.salt),
                "identityType": "emailAddress",
                "salt": subject.salt,
            }
        ]
    }


def _association(item: Any, known: set[str]) -> dict[str, Any]:
    if not isinstance(item, tuple | list) or len(item) != 3:
        raise CredentialError("An association is (associationType, sourceId, targetId).")
    kind, source, target = item
    if kind not in ASSOCIATION_TYPES:
        raise CredentialError(
            f"{kind!r} is not a CLR association type "
            f"(use one of {', '.join(sorted(ASSOCIATION_TYPES))})."
        )
    for value, label in ((source, "sourceId"), (target, "targetId")):
        if value not in known:
            raise CredentialError(
                f"The association {label} {value!r} is not an achievement in this transcript."
            )
    return {"type": "Association", "associationType": kind, "sourceId": source, "targetId": target}


def _require_uri(value: Any, label: str) -> None:
    if not isinstance(value, str) or ":" not in value or any(c.isspace() for c in value):
        raise CredentialError(f"{label} must be a URI (got {value!r}).")

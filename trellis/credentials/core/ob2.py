"""Open Badges 2.0 hosted documents (Issuer, BadgeClass, Assertion) for backpacks that only
speak 2.0, derived from what an issued OB 3.0 credential says.

Hosted verification: each document is served at its own `id` URL; a revoked assertion is still
served, with `"revoked": true` and a `revocationReason`. The recipient is a salted sha256 hash of
the e-mail address, never the address itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from trellis.credentials.core.documents import date_time_z, hashed_email
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.loader import OB_V2

_SHA256 = re.compile(r"sha256\$[0-9a-f]{64}")
_ALIGNMENT_KEYS = (
    ("targetName", "targetName"),
    ("targetUrl", "targetUrl"),
    ("targetDescription", "targetDescription"),
    ("targetFramework", "targetFramework"),
    ("targetCode", "targetCode"),
)


def ob2_issuer(
    *, id: str, name: str, url: str, email: str = "", description: str = "", image: str = ""
) -> dict[str, Any]:
    """The OB 2.0 Issuer Profile served at `id`."""
    _require_url(id, "The issuer id")
    _require_url(url, "The issuer url")
    if not name.strip():
        raise CredentialError("The issuer needs a name.")
    profile: dict[str, Any] = {
        "@context": OB_V2,
        "type": "Issuer",
        "id": id,
        "name": name.strip(),
        "url": url,
    }
    if email:
        if "@" not in email:
            raise CredentialError(f"The issuer email {email!r} is not an e-mail address.")
        profile["email"] = email
    if description.strip():
        profile["description"] = description.strip()
    if image:
        _require_url(image, "The issuer image")
        profile["image"] = image
    return profile


def ob2_badge_class(
    *, id: str, issuer_id: str, achievement: dict[str, Any], default_image: str
) -> dict[str, Any]:
    """The OB 2.0 BadgeClass for an OB 3.0 Achievement (the JSON inside a credential).
    OB 2.0 requires an image: the achievement's own, else `default_image`."""
    _require_url(id, "The badge id")
    _require_url(issuer_id, "The issuer id")
    if not isinstance(achievement, dict):
        raise CredentialError("The achievement must be a JSON object.")
    name = achievement.get("name")
    description = achievement.get("description")
    if not isinstance(name, str) or not name.strip():
        raise CredentialError("The achievement has no name.")
    if not isinstance(description, str) or not description.strip():
        raise CredentialError("The achievement has no description.")
    image = _image_url(achievement.get("image")) or default_image
    if not image.startswith("data:image/"):
        _require_url(image, "The badge image")
    criteria_in = achievement.get("criteria")
    criteria: dict[str, Any] = {}
    if isinstance(criteria_in, dict):
        if isinstance(criteria_in.get("id"), str):
            criteria["id"] = criteria_in["id"]
        if isinstance(criteria_in.get("narrative"), str) and criteria_in["narrative"].strip():
            criteria["narrative"] = criteria_in["narrative"].strip()
    if not criteria:
        raise CredentialError("The achievement has no criteria.")
    badge: dict[str, Any] = {
        "@context": OB_V2,
        "type": "BadgeClass",
        "id": id,
        "name": name.strip(),
        "description": description.strip(),
        "image": image,
        "criteria": criteria,
        "issuer": issuer_id,
    }
    alignments = []
    for item in achievement.get("alignment") or []:
        if isinstance(item, dict) and item.get("targetName") and item.get("targetUrl"):
            alignments.append({ob2: item[ob3] for ob3, ob2 in _ALIGNMENT_KEYS if item.get(ob3)})
    if alignments:
        badge["alignment"] = alignments
    tags = [tag for tag in achievement.get("tag") or [] if isinstance(tag, str) and tag.strip()]
    if tags:
        badge["tags"] = tags
    return badge


def ob2_assertion(
    *,
    id: str,
    badge_id: str,
    salt: str,
    issued_on: dt.datetime,
    expires: dt.datetime | None = None,
    revoked: bool = False,
    revocation_reason: str = "",
    email: str = "",
    identity_hash: str = "",
) -> dict[str, Any]:
    """The hosted OB 2.0 Assertion served at `id`, the recipient identified by a salted hash of
    their e-mail address: give the address, or the "sha256$…" hash an OB 3.0 credential already
    carries (the same hash scheme) with its salt."""
    _require_url(id, "The assertion id")
    _require_url(badge_id, "The badge id")
    if not salt:
        raise CredentialError("A hashed recipient needs a salt.")
    if identity_hash:
        if not _SHA256.fullmatch(identity_hash):
            raise CredentialError("The recipient hash must be 'sha256$' and 64 hex digits.")
        identity = identity_hash
    else:
        address = email.strip().lower()
        if "@" not in address:
            raise CredentialError("The recipient needs an e-mail address.")
        identity = hashed_email(address, salt)
    assertion: dict[str, Any] = {
        "@context": OB_V2,
        "type": "Assertion",
        "id": id,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": identity,
        },
        "badge": badge_id,
        "verification": {"type": "hosted"},
        "issuedOn": date_time_z(issued_on, "issuedOn"),
    }
    if expires is not None:
        assertion["expires"] = date_time_z(expires, "expires")
    if revoked:
        assertion["revoked"] = True
        assertion["revocationReason"] = revocation_reason.strip() or "Revoked by the issuer."
    return assertion


def hashed_recipient_of(credential: dict[str, Any]) -> tuple[str, str] | None:
    """(identityHash, salt) of an OB 3.0 credential's hashed e-mail identifier, if it has one."""
    subject = credential.get("credentialSubject")
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    for item in identifiers if isinstance(identifiers, list) else []:
        if (
            isinstance(item, dict)
            and item.get("identityType") == "emailAddress"
            and item.get("hashed") is True
            and isinstance(item.get("identityHash"), str)
            and isinstance(item.get("salt"), str)
            and _SHA256.fullmatch(item["identityHash"])
        ):
            return item["identityHash"], item["salt"]
    return None


def _image_url(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def _require_url(value: Any, label: str) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise CredentialError(f"{label} must be an http(s) URL (got {value!r}).")

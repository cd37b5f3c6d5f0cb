"""Badges earned elsewhere, brought into Trellis by the educator who earned them.

Accepted: an OB 3.0 / VC 2.0 credential as JSON (Data Integrity proof), a VC-JWT, a baked PNG or
SVG badge, or an OB 2.0 assertion as JSON. OB 3.0 credentials are verified with the server
verifier and the itemised result is kept. OB 2.0 hosted verification would need the network, so
an OB 2.0 assertion is imported as "unverified (OB 2.0 hosted; not checked)". A credential that
fails verification is imported only when the educator asks to keep it as unverified."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.credentials.core.baking import OB2_PNG_KEYWORD, PNG_SIGNATURE, unbake_png, unbake_svg
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.jwt import decode_jwt
from trellis.credentials.models import ImportedBadge, ImportFormat, Visibility
from trellis.credentials.verification import verify_for_server
from trellis.districts.permissions import Perm, require

MAX_TEXT_BYTES = 1024 * 1024  # pasted JSON or JWT
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # a baked badge image
MAX_NAME = 300
OB2_UNVERIFIED_NOTE = "Unverified (OB 2.0 hosted; not checked)."

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class VerificationFailed(DomainError):
    """The badge did not verify and the educator did not ask to keep it as unverified."""

    def __init__(self, report: dict[str, Any]) -> None:
        reasons = [c["detail"] for c in report.get("checks", []) if c.get("outcome") == "failed"]
        message = "This badge did not verify: " + (" ".join(reasons) or "no reason given.")
        super().__init__("verification_failed", message, details={"verification": report})
        self.report = report


@dataclass(frozen=True)
class Parsed:
    format: str
    document: dict[str, Any]
    jwt: str
    source: str  # json | jwt | png | svg


def _ob2_baked(png: bytes) -> str:
    """The assertion JSON of an Open Badges 2.0 baked PNG. A badge baked with only its hosted
    URL cannot be read offline, so it is refused with that reason."""
    text = unbake_png(png, keyword=OB2_PNG_KEYWORD)
    if text is None:
        raise DomainError(
            "not_baked", "This PNG image has no Open Badges credential (3.0 or 2.0) baked into it."
        )
    if not text.startswith("{"):
        raise DomainError(
            "ob2_hosted_url",
            "This Open Badges 2.0 image holds only the address of its hosted assertion "
            f"({text[:200]}), which Trellis cannot fetch from here. Download the assertion JSON "
            "from the issuer and import that file instead.",
        )
    return text


def parse_upload(data: bytes | str) -> Parsed:
    """What was pasted or uploaded, unbaked and parsed; DomainError says what is wrong."""
    source = "json"
    if isinstance(data, bytes):
        if len(data) > MAX_IMAGE_BYTES:
            raise DomainError("too_large", "The file is larger than 5 MB.")
        if not data.strip():
            raise DomainError("empty", "The file is empty.")
        try:
            if data.startswith(PNG_SIGNATURE):
                source, text = "png", unbake_png(data)
                if text is None:
                    text = _ob2_baked(data)
            elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                source, text = "svg", unbake_svg(data.decode("utf-8"))
                if text is None:
                    raise DomainError(
                        "not_baked",
                        "This SVG image has no Open Badges 3.0 credential baked into it.",
                    )
            else:
                text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(
                "unreadable", "The file is neither a badge image (PNG or SVG) nor text."
            ) from None
        except CredentialError as error:
            raise DomainError("unreadable", str(error)) from None
    else:
        text = data
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise DomainError("too_large", "The badge text is larger than 1 MB.")
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise DomainError("empty", "Paste a badge (JSON or a VC-JWT) or choose a file.")
    if _JWS.match(text):
        try:
            parts = decode_jwt(text)
        except CredentialError as error:
            raise DomainError("bad_jwt", f"This is not a usable VC-JWT: {error}") from None
        return Parsed(
            ImportFormat.VC_JWT, parts.credential, text, "jwt" if source == "json" else source
        )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise DomainError(
            "unreadable", "This is neither JSON nor a compact VC-JWT (three base64url parts)."
        ) from None
    if not isinstance(document, dict):
        raise DomainError("unreadable", "The JSON is not an object, so it cannot be a badge.")
    if _is_ob2(document):
        return Parsed(ImportFormat.OB2, document, "", source)
    types = _list(document.get("type"))
    if "VerifiablePresentation" in types:
        raise DomainError(
            "presentation", "This is a presentation; import its credentials one at a time."
        )
    if "VerifiableCredential" not in types:
        raise DomainError(
            "not_a_badge",
            "This JSON is neither a Verifiable Credential nor an Open Badges 2.0 assertion.",
        )
    return Parsed(ImportFormat.OB3_DATA_INTEGRITY, document, "", source)


def _verify(parsed: Parsed, now: dt.datetime) -> tuple[bool, dict[str, Any], str, str, str]:
    """(verified, itemised result, issuer name, achievement name, issued on)."""
    if parsed.format == ImportFormat.OB2:
        return _ob2_summary(parsed.document)
    report = verify_for_server(parsed.jwt or parsed.document, now=now)
    result = report.to_dict()
    result["source"] = parsed.source
    return (
        bool(report.ok),
        result,
        report.issuer_name,
        report.achievement_name,
        report.valid_from,
    )


def _ob2_summary(document: dict[str, Any]) -> tuple[bool, dict[str, Any], str, str, str]:
    badge = document.get("badge")
    badge = badge if isinstance(badge, dict) else {}
    issuer = badge.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {}
    checks = [
        {
            "id": "ob2",
            "label": "Open Badges 2.0 hosted verification",
            "outcome": "skipped",
            "detail": "OB 2.0 hosted verification needs the issuer's server; Trellis works "
            "offline, so this assertion was not checked.",
        }
    ]
    result = {
        "ok": False,
        "format": "ob2",
        "checks": checks,
        "summary": {},
        "note": OB2_UNVERIFIED_NOTE,
    }
    return (
        False,
        result,
        _text(issuer.get("name")) or _text(badge.get("issuer")),
        _text(badge.get("name")) or _text(document.get("badge")),
        _text(document.get("issuedOn")),
    )


def _is_ob2(document: dict[str, Any]) -> bool:
    contexts = _list(document.get("@context"))
    ob2_context = any(isinstance(c, str) and "openbadges/v2" in c for c in contexts)
    return ob2_context or ("Assertion" in _list(document.get("type")) and "recipient" in document)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in ("en", "en-US", "name"):
            if isinstance(value.get(key), str):
                return value[key].strip()
    return ""


def _when(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _credential_id(document: dict[str, Any]) -> str:
    value = document.get("id")
    return value.strip()[:500] if isinstance(value, str) else ""


def import_badge(
    *,
    access: Any,
    actor: Any,
    data: bytes | str,
    keep_unverified: bool = False,
    visibility: str = Visibility.PRIVATE,
    now: dt.datetime | None = None,
) -> ImportedBadge:
    """Verify and keep a badge the actor earned elsewhere. Raises VerificationFailed (with the
    itemised result) when it does not verify and `keep_unverified` is false; ConflictError when
    the actor already imported the same credential id."""
    require(access, Perm.VIEW_OWN_LEARNING)
    if visibility not in Visibility.values:
        raise DomainError("bad_visibility", "Choose private or public visibility.")
    now = now or timezone.now()
    parsed = parse_upload(data)
    credential_id = _credential_id(parsed.document)
    if credential_id and _duplicate(access, actor, credential_id):
        raise ConflictError(
            "duplicate", "You already imported this badge (a badge with the same id)."
        )
    verified, result, issuer_name, achievement_name, issued_on = _verify(parsed, now)
    if not verified and parsed.format != ImportFormat.OB2 and not keep_unverified:
        raise VerificationFailed(result)
    try:
        with transaction.atomic():
            badge = ImportedBadge.objects.create(
                district=access.district,
                owner=actor,
                format=parsed.format,
                credential_id=credential_id,
                document=parsed.document,
                jwt=parsed.jwt,
                issuer_name=(issuer_name or "Unknown issuer")[:MAX_NAME],
                achievement_name=(achievement_name or "Untitled badge")[:MAX_NAME],
                issued_on=_when(issued_on),
                verified=verified,
                verification=result,
                verified_at=now,
                visibility=visibility,
            )
            audit.record(
                action="credential.badge_imported",
                summary=f"Imported “{badge.achievement_name}” from {badge.issuer_name}"
                + ("" if verified else " (unverified)"),
                actor=actor,
                subject=actor,
                district=access.district,
                target=badge,
                data={"format": parsed.format, "verified": verified, "source": parsed.source},
            )
    except IntegrityError:
        raise ConflictError(
            "duplicate", "You already imported this badge (a badge with the same id)."
        ) from None
    return badge


def _duplicate(access: Any, actor: Any, credential_id: str) -> bool:
    return ImportedBadge.objects.filter(
        district=access.district, owner=actor, credential_id=credential_id
    ).exists()


@transaction.atomic
def reverify(
    *, access: Any, actor: Any, badge: ImportedBadge, now: dt.datetime | None = None
) -> ImportedBadge:
    """Check the badge again (keys, status and dates may have changed) and keep the result."""
    require(access, Perm.VIEW_OWN_LEARNING)
    _own(access, actor, badge)
    now = now or timezone.now()
    parsed = Parsed(badge.format, badge.document, badge.jwt, "jwt" if badge.jwt else "json")
    verified, result, *_ = _verify(parsed, now)
    before = badge.verified
    badge.verified, badge.verification, badge.verified_at = verified, result, now
    badge.save(update_fields=["verified", "verification", "verified_at", "updated_at"])
    audit.record(
        action="credential.badge_reverified",
        summary=f"Re-verified “{badge.achievement_name}”: "
        + ("verified" if verified else "not verified"),
        actor=actor,
        subject=actor,
        district=access.district,
        target=badge,
        data={"verified": verified, "was_verified": before},
    )
    return badge


@transaction.atomic
def set_visibility(
    *, access: Any, actor: Any, badge: ImportedBadge, visibility: str
) -> ImportedBadge:
    require(access, Perm.VIEW_OWN_LEARNING)
    _own(access, actor, badge)
    if visibility not in Visibility.values:
        raise DomainError("bad_visibility", "Choose private or public visibility.")
    if badge.visibility != visibility:
        badge.visibility = visibility
        badge.save(update_fields=["visibility", "updated_at"])
        audit.record(
            action="credential.badge_visibility",
            summary=f"“{badge.achievement_name}” is now {badge.get_visibility_display().lower()}",
            actor=actor,
            subject=actor,
            district=access.district,
            target=badge,
            data={"visibility": visibility},
        )
    return badge


@transaction.atomic
def delete_badge(*, access: Any, actor: Any, badge: ImportedBadge) -> None:
    require(access, Perm.VIEW_OWN_LEARNING)
    _own(access, actor, badge)
    audit.record(
        action="credential.badge_deleted",
        summary=f"Removed the imported badge “{badge.achievement_name}”",
        actor=actor,
        subject=actor,
        district=access.district,
        target=badge,
        data={"credential_id": badge.credential_id},
    )
    badge.delete()


def _own(access: Any, actor: Any, badge: ImportedBadge) -> None:
    if badge.district_id != access.district.id or badge.owner_id != actor.id:
        raise DomainError("not_yours", "You can only change badges you imported yourself.")

"""Changing an issued credential after the fact: revoke (flips its bit in the published status
list and re-signs it), suspend and reinstate (the same, in the suspension list), the recipient's
visibility choice, and the district's issuer profile.

Every credential has a revocation entry. Only credentials issued while the issuer was
`suspendable` have a suspension entry too: the 1EdTech Open Badges 3.0 schema describes a single
credentialStatus, so the second entry is the district's choice (see docs/credentials.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.ids import public_id_or_404
from trellis.credentials.models import (
    CredentialStatus,
    IssuedCredential,
    IssuerProfile,
    JwtAlgorithm,
    Visibility,
)
from trellis.credentials.services import keys, status
from trellis.districts.permissions import Perm, require
from trellis.notifications import services as notifications
from trellis.notifications.models import Kind

MAX_REASON = 300


def _locked(access: Any, credential_public_id: Any) -> IssuedCredential:
    credential = (
        IssuedCredential.objects.select_for_update()
        .filter(
            district=access.district,
            public_id=public_id_or_404(credential_public_id, "credential"),
        )
        .first()
    )
    if credential is None:
        raise Http404("No such credential.")
    return credential


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Give a reason; the recipient will see it.")
    if len(reason) > MAX_REASON:
        raise DomainError("reason_too_long", f"Keep the reason under {MAX_REASON} characters.")
    return reason


def _set_state(
    credential: IssuedCredential,
    *,
    state: str,
    reason: str,
    actor: Any,
    now: dt.datetime,
    action: str,
    summary: str,
) -> IssuedCredential:
    credential.status, credential.status_reason = state, reason
    credential.status_changed_at, credential.status_changed_by = now, actor
    credential.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )
    audit.record(
        action=action,
        summary=summary,
        actor=actor,
        subject=credential.recipient,
        district=credential.district,
        target=credential,
        data={"reason": reason},
    )
    return credential


@transaction.atomic
def revoke_credential(
    access: Any,
    credential_public_id: Any,
    *,
    reason: str,
    actor: Any,
    now: dt.datetime | None = None,
) -> IssuedCredential:
    """Revoke for good: sets its bit in the revocation list and re-signs the list."""
    require(access, Perm.MANAGE_CREDENTIALS)
    reason = _reason(reason)
    credential = _locked(access, credential_public_id)
    if credential.status == CredentialStatus.REVOKED:
        raise ConflictError("already_revoked", "That credential is already revoked.")
    if credential.revocation_list_id is None:
        raise ConflictError("no_status_entry", "That credential has no revocation entry.")
    now = now or timezone.now()
    status.set_entry(credential.revocation_list_id, credential.revocation_index, True, now=now)
    return _set_state(
        credential,
        state=CredentialStatus.REVOKED,
        reason=reason,
        actor=actor,
        now=now,
        action="credential.revoked",
        summary=f"Revoked “{credential.achievement_name}”: {reason}",
    )


def _tell_recipient(credential: IssuedCredential, subject: str, line: str) -> None:
    if credential.recipient is None:
        return
    notifications.notify(
        credential.recipient,
        district=credential.district,
        kind=Kind.CREDENTIAL_ISSUED,
        subject=subject,
        lines=[line],
        path=reverse("credentials:detail", args=[credential.public_id]),
    )


@transaction.atomic
def suspend_credential(
    access: Any,
    credential_public_id: Any,
    *,
    reason: str,
    actor: Any,
    now: dt.datetime | None = None,
) -> IssuedCredential:
    """Suspend (reversibly): sets its bit in the suspension list and re-signs the list."""
    require(access, Perm.MANAGE_CREDENTIALS)
    reason = _reason(reason)
    credential = _locked(access, credential_public_id)
    if credential.status == CredentialStatus.REVOKED:
        raise ConflictError(
            "already_revoked", "That credential is revoked; it cannot be suspended."
        )
    if credential.status == CredentialStatus.SUSPENDED:
        raise ConflictError("already_suspended", "That credential is already suspended.")
    if credential.suspension_list_id is None:
        raise ConflictError(
            "not_suspendable",
            "That credential was issued without a suspension entry, so it can only be revoked.",
        )
    now = now or timezone.now()
    status.set_entry(credential.suspension_list_id, credential.suspension_index, True, now=now)
    credential = _set_state(
        credential,
        state=CredentialStatus.SUSPENDED,
        reason=reason,
        actor=actor,
        now=now,
        action="credential.suspended",
        summary=f"Suspended “{credential.achievement_name}”: {reason}",
    )
    _tell_recipient(
        credential,
        f"Your credential “{credential.achievement_name}” is suspended",
        f"{credential.issuer.name} suspended your credential “{credential.achievement_name}”: "
        f"{reason}. Verifiers will report it suspended until the suspension is lifted.",
    )
    return credential


@transaction.atomic
def unsuspend_credential(
    access: Any,
    credential_public_id: Any,
    *,
    reason: str = "",
    actor: Any,
    now: dt.datetime | None = None,
) -> IssuedCredential:
    """Lift a suspension: clears its bit in the suspension list and re-signs the list. The
    reason is optional here (it is kept in the audit row)."""
    require(access, Perm.MANAGE_CREDENTIALS)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise DomainError("reason_too_long", f"Keep the reason under {MAX_REASON} characters.")
    credential = _locked(access, credential_public_id)
    if credential.status != CredentialStatus.SUSPENDED:
        raise ConflictError("not_suspended", "That credential is not suspended.")
    now = now or timezone.now()
    status.set_entry(credential.suspension_list_id, credential.suspension_index, False, now=now)
    credential = _set_state(
        credential,
        state=CredentialStatus.ACTIVE,
        reason="",
        actor=actor,
        now=now,
        action="credential.unsuspended",
        summary=f"Lifted the suspension of “{credential.achievement_name}”"
        + (f": {reason}" if reason else ""),
    )
    _tell_recipient(
        credential,
        f"Your credential “{credential.achievement_name}” is valid again",
        f"{credential.issuer.name} lifted the suspension of your credential "
        f"“{credential.achievement_name}”; it verifies as valid again.",
    )
    return credential


@transaction.atomic
def set_visibility(
    access: Any, credential_public_id: Any, visibility: str, *, actor: Any
) -> IssuedCredential:
    """Only the recipient chooses who sees their credential."""
    if visibility not in Visibility.values:
        raise DomainError("bad_visibility", "Choose private or public.")
    credential = _locked(access, credential_public_id)
    if credential.recipient_id is None or credential.recipient_id != getattr(actor, "pk", None):
        raise Http404("No such credential.")
    if credential.visibility != visibility:
        credential.visibility = visibility
        credential.save(update_fields=["visibility", "updated_at"])
        audit.record(
            action="credential.visibility_changed",
            summary=f"“{credential.achievement_name}” is now {visibility}",
            actor=actor,
            subject=actor,
            district=access.district,
            target=credential,
            data={"visibility": visibility},
        )
    return credential


PROFILE_FIELDS = (
    "name",
    "url",
    "email",
    "image_url",
    "description",
    "issue_for_completions",
    "issue_for_capstones",
    "suspendable",
    "jwt_algorithm",
)


@transaction.atomic
def update_issuer_profile(access: Any, *, actor: Any, **values: Any) -> IssuerProfile:
    """Change what new credentials say about the issuer (issued ones keep what they were signed
    with)."""
    require(access, Perm.MANAGE_CREDENTIALS)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError("unknown_fields", f"Unknown fields: {', '.join(sorted(unknown))}.")
    name = str(values.get("name", "x")).strip()
    if not name:
        raise DomainError("name_required", "The issuer needs a name.")
    image_url = str(values.get("image_url", "") or "")
    if image_url and not image_url.startswith("https://"):
        raise DomainError("image_not_https", "The logo must be an https URL.")
    algorithm = values.get("jwt_algorithm", JwtAlgorithm.EDDSA)
    if algorithm not in JwtAlgorithm.values:
        raise DomainError("bad_jwt_algorithm", "Choose EdDSA or ES256 for VC-JWTs.")
    if algorithm == JwtAlgorithm.ES256 and not keys.uses_did_web():
        raise DomainError(
            "es256_needs_did_web",
            "ES256 needs a did:web issuer (SITE_URL on a public https host): under did:key "
            "the issuer is its Ed25519 key, which cannot also name a P-256 key.",
        )
    issuer = keys.ensure_issuer(access.district)
    issuer = IssuerProfile.objects.select_for_update().get(pk=issuer.pk)
    changed = {}
    for field, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(issuer, field) != value:
            changed[field] = value
            setattr(issuer, field, value)
    if changed:
        issuer.updated_by = actor
        issuer.save()
        audit.record(
            action="credential.issuer_updated",
            summary=f"Issuer profile “{issuer.name}” updated",
            actor=actor,
            district=access.district,
            target=issuer,
            data={"fields": sorted(changed)},
        )
    return issuer


def record_issue_failure(
    *, district: Any, recipient: Any, source_kind: str, source_key: str, error: str, actor: Any
) -> None:
    """Note a credential that could not be issued, so an admin can retry it."""
    audit.record(
        action="credential.issue_failed",
        summary=f"Could not issue a credential to {getattr(recipient, 'email', '')}: {error}"[:300],
        actor=actor,
        subject=recipient,
        district=district,
        data={"source_kind": source_kind, "source_key": source_key, "error": error[:300]},
    )


def retry_issue(access: Any, *, source_kind: str, source_key: str, actor: Any) -> IssuedCredential:
    """Issue a credential whose first attempt failed, through the source's own re-issuer
    (settings.CREDENTIAL_REISSUERS maps a source kind to a dotted function path)."""
    require(access, Perm.MANAGE_CREDENTIALS)
    path = getattr(settings, "CREDENTIAL_REISSUERS", {}).get(source_kind)
    if not path:
        raise DomainError("cannot_retry", "Credentials of this kind cannot be re-issued here.")
    reissue = import_string(path)
    credential = reissue(district=access.district, source_key=source_key, actor=actor)
    if credential is None:
        raise Http404("Nothing to issue for that source any more.")
    return credential

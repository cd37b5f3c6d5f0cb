"""Changing an issued credential after the fact: revoke (flips its bit in the published status
list and re-signs it), the recipient's visibility choice, and the district's issuer profile.

Credentials carry one status entry, for revocation: the Open Badges 3.0 schema allows a single
credentialStatus, so there is no suspension."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.ids import public_id_or_404
from trellis.credentials.models import (
    CredentialStatus,
    IssuedCredential,
    IssuerProfile,
    Visibility,
)
from trellis.credentials.services import keys, status
from trellis.districts.permissions import Perm, require

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

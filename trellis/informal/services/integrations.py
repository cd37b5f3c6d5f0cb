"""xAPI integrations: HTTP Basic credentials for an outside learning tool. The secret is shown
once, when created or rotated; only its hash is kept."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.informal.models import XapiIntegration


def _digest(secret: str) -> str:
    """Secrets are 192 random bits, so a plain SHA-256 (fast on every request) is enough, as
    for API tokens; a slow password hash would only slow down every statement sent."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _check(access: DistrictAccess, integration: XapiIntegration) -> XapiIntegration:
    require(access, Perm.MANAGE_INTEGRATIONS)
    if integration.district_id != access.district.pk:
        raise DomainError("unknown_integration", "That integration is not one of this district's.")
    return XapiIntegration.objects.select_for_update().get(pk=integration.pk)


@transaction.atomic
def create_integration(
    *, access: DistrictAccess, actor: Any, name: Any
) -> tuple[XapiIntegration, str]:
    """The new integration and its secret (shown to the admin once, never stored in clear)."""
    require(access, Perm.MANAGE_INTEGRATIONS)
    clean_name = clean_text(name, field="name", label="name", max_length=120, required=True)
    if XapiIntegration.objects.filter(district=access.district, name__iexact=clean_name).exists():
        raise ConflictError(
            "duplicate_name",
            f"An integration called “{clean_name}” already exists.",
            details={"field": "name"},
        )
    secret = secrets.token_urlsafe(24)
    integration = XapiIntegration.objects.create(
        district=access.district,
        name=clean_name,
        username=f"xapi-{secrets.token_hex(6)}",
        secret_hash=_digest(secret),
        created_by=actor,
    )
    audit.record(
        action="informal.integration.created",
        summary=f"Created the xAPI integration “{clean_name}”",
        actor=actor,
        district=access.district,
        target=integration,
        data={"username": integration.username},
    )
    return integration, secret


@transaction.atomic
def rotate_secret(
    *, access: DistrictAccess, actor: Any, integration: XapiIntegration
) -> tuple[XapiIntegration, str]:
    locked = _check(access, integration)
    secret = secrets.token_urlsafe(24)
    locked.secret_hash = _digest(secret)
    locked.is_active = True
    locked.save(update_fields=["secret_hash", "is_active", "updated_at"])
    audit.record(
        action="informal.integration.rotated",
        summary=f"Issued a new secret for the xAPI integration “{locked.name}”",
        actor=actor,
        district=access.district,
        target=locked,
    )
    return locked, secret


@transaction.atomic
def deactivate_integration(
    *, access: DistrictAccess, actor: Any, integration: XapiIntegration
) -> XapiIntegration:
    locked = _check(access, integration)
    if not locked.is_active:
        raise ConflictError("already_inactive", f"“{locked.name}” is already switched off.")
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    audit.record(
        action="informal.integration.deactivated",
        summary=f"Switched off the xAPI integration “{locked.name}”",
        actor=actor,
        district=access.district,
        target=locked,
    )
    return locked


def authenticate(username: str, secret: str) -> XapiIntegration | None:
    """The active integration these credentials belong to, or None."""
    integration = (
        XapiIntegration.objects.select_related("district")
        .filter(username=username, is_active=True)
        .first()
    )
    if integration is None or not hmac.compare_digest(_digest(secret), integration.secret_hash):
        return None
    now = timezone.now()
    if integration.last_used_at is None or (now - integration.last_used_at).total_seconds() > 60:
        XapiIntegration.objects.filter(pk=integration.pk).update(last_used_at=now)
        integration.last_used_at = now
    return integration

"""District-scoped reads of credentials, keys and issuer profiles; 404 for missing-or-forbidden."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.ids import public_id_or_404
from trellis.credentials.models import (
    CredentialStatus,
    IssuedCredential,
    SigningKey,
    StatusList,
    Visibility,
)
from trellis.districts.permissions import Perm


def _rows() -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.select_related("issuer", "recipient", "district")


def my_credentials(access: Any, user: Any) -> QuerySet[IssuedCredential]:
    return _rows().filter(district=access.district, recipient=user)


def district_credentials(
    access: Any, *, status: str = "", search: str = ""
) -> QuerySet[IssuedCredential]:
    rows = _rows().filter(district=access.district)
    if status in CredentialStatus.values:
        rows = rows.filter(status=status)
    search = (search or "").strip()
    if search:
        rows = rows.filter(
            Q(achievement_name__icontains=search)
            | Q(recipient__email__icontains=search)
            | Q(recipient__full_name__icontains=search)
        )
    return rows


def credentials_for_api(access: Any, user: Any) -> QuerySet[IssuedCredential]:
    """District admins see what the district issued; everyone else their own."""
    if access.can(Perm.MANAGE_CREDENTIALS):
        return district_credentials(access)
    return my_credentials(access, user)


def get_for_access(access: Any, user: Any, public_id: Any) -> IssuedCredential:
    """A credential of the caller's district that the caller may see: their own, or any when
    they manage credentials."""
    rows = _rows().filter(district=access.district, public_id=public_id_or_404(public_id))
    if not access.can(Perm.MANAGE_CREDENTIALS):
        rows = rows.filter(recipient=user)
    credential = rows.first()
    if credential is None:
        raise Http404("No such credential.")
    return credential


def can_see(credential: IssuedCredential, user: Any, access: Any) -> bool:
    """Public credentials are for everyone; private ones for the recipient and the issuing
    district's credential admins."""
    if credential.visibility == Visibility.PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if credential.recipient_id == user.pk:
        return True
    return (
        access is not None
        and access.district.pk == credential.district_id
        and access.can(Perm.MANAGE_CREDENTIALS)
    )


def get_visible(public_id: Any, user: Any, access: Any) -> IssuedCredential:
    """The credential behind an id URL, when this viewer may see it (else 404, never 403)."""
    credential = _rows().filter(public_id=public_id_or_404(public_id, "credential")).first()
    if credential is None or not can_see(credential, user, access):
        raise Http404("No such credential.")
    return credential


def get_status_list(public_id: Any) -> StatusList:
    status_list = (
        StatusList.objects.filter(public_id=public_id_or_404(public_id, "status list"))
        .exclude(signed_credential=None)
        .first()
    )
    if status_list is None:
        raise Http404("No such status list.")
    return status_list


def keys_of(access: Any) -> QuerySet[SigningKey]:
    return SigningKey.objects.filter(issuer__district=access.district)


def failed_issues(access: Any) -> list[dict[str, Any]]:
    """Credentials whose issuing failed and that have not been issued since, newest first."""
    events = list(
        AuditEvent.objects.filter(district=access.district, action="credential.issue_failed")
        .select_related("subject")
        .order_by("-created_at")[:200]
    )
    issued = set(
        IssuedCredential.objects.filter(
            district=access.district,
            source_key__in={event.data.get("source_key", "") for event in events},
        ).values_list("source_kind", "source_key")
    )
    seen: set[tuple[str, str]] = set()
    failures = []
    for event in events:
        key = (event.data.get("source_kind", ""), event.data.get("source_key", ""))
        if key in issued or key in seen or not all(key):
            continue
        seen.add(key)
        failures.append(
            {
                "source_kind": key[0],
                "source_key": key[1],
                "recipient": event.subject,
                "error": event.data.get("error", ""),
                "at": event.created_at,
            }
        )
    return failures

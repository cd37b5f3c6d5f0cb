"""The single writer of audit rows."""

from __future__ import annotations

from typing import Any

from django.db import models

from trellis.audit.models import AuditEvent


def record(
    *,
    action: str,
    summary: str,
    actor: Any = None,
    subject: Any = None,
    district: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit row. Call inside the service's transaction so it commits with the change."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    target_type = target._meta.label_lower if target is not None else ""
    target_id = (
        str(getattr(target, "public_id", None) or getattr(target, "pk", "") or "") if target else ""
    )
    return AuditEvent.objects.create(
        district=district,
        actor=actor_obj,
        subject=subject,
        actor_label=getattr(actor_obj, "email", "") or "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        summary=summary[:300],
        data=data or {},
        ip_address=ip_address,
    )

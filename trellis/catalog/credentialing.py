"""Credentials for completed offerings: the offering as an Open Badges achievement, bulk
issuance to an offering's completers, and the one-at-a-time credential when a completion is
recorded and the district issues for completions (IssuerProfile.issue_for_completions).

The source of each credential is the completed enrolment (source_kind OFFERING, source_key =
the enrolment's public id), so whichever path issues first, nobody gets two."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from trellis.audit import services as audit
from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering
from trellis.core.errors import DomainError
from trellis.credentials.core.specs import AchievementSpec
from trellis.credentials.models import IssuanceBatch, IssuerProfile, SourceKind
from trellis.credentials.services import batches
from trellis.credentials.services.issuing import issue_credential

log = logging.getLogger(__name__)

COURSE_KINDS = {"course"}


def offering_achievement(offering: Offering) -> AchievementSpec:
    """The Open Badges achievement "completed this offering"."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "catalog:offering", kwargs={"public_id": offering.public_id}
    )
    description = (offering.summary or offering.description or "").strip() or (
        f"Completed the professional learning “{offering.title}”."
    )
    hours = float(offering.hours) if offering.hours else None
    criteria = (
        f"Completed “{offering.title}”"
        + (f" ({offering.provider})" if offering.provider else "")
        + ", meeting the district's attendance and completion requirements."
    )
    return AchievementSpec(
        id=url,
        name=offering.title[:300],
        description=description[:2000],
        criteria_narrative=criteria,
        criteria_url=url,
        achievement_type="Course" if offering.kind in COURSE_KINDS else "CertificateOfCompletion",
        credit_hours=hours if hours and hours > 0 else None,
    )


def completers(offering: Offering):
    return (
        Enrollment.objects.filter(offering=offering, status=EnrollmentStatus.COMPLETED)
        .select_related("educator")
        .order_by("id")
    )


def issue_for_completers(*, access: Any, actor: Any, offering: Offering) -> IssuanceBatch:
    """Start a bulk issuance batch for everyone who completed the offering."""
    if offering.district_id != access.district.id:
        raise DomainError("not_found", "No such offering.")
    rows = [
        (enrollment.educator, SourceKind.OFFERING, str(enrollment.public_id))
        for enrollment in completers(offering)
    ]
    if not rows:
        raise DomainError(
            "no_completers",
            "Nobody has completed this offering yet, so there is nobody to issue to.",
        )
    return batches.start_batch(
        access=access,
        actor=actor,
        title=f"Completed: {offering.title}"[:200],
        achievement=offering_achievement(offering),
        recipients=rows,
    )


def issue_for_completion(enrollment: Enrollment, *, actor: Any = None) -> None:
    """After a completion commits: issue its credential when the district issues for
    completions. Idempotent; a failure is logged and audited and never undoes the completion."""
    issuer = IssuerProfile.objects.filter(district_id=enrollment.district_id).first()
    if issuer is None or not issuer.issue_for_completions:
        return
    try:
        with transaction.atomic():
            issue_credential(
                district=enrollment.district,
                recipient=enrollment.educator,
                source_kind=SourceKind.OFFERING,
                source_key=str(enrollment.public_id),
                achievement=offering_achievement(enrollment.offering),
                actor=actor,
            )
    except Exception as error:  # the completion stands whatever happens here
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        log.exception("Credential for completion %s failed", enrollment.public_id)
        with transaction.atomic():
            audit.record(
                action="credential.issue_failed",
                summary=f"Could not issue the credential for “{enrollment.offering.title}”: "
                f"{message}"[:300],
                actor=actor,
                subject=enrollment.educator,
                district=enrollment.district,
                target=enrollment,
                data={"error": message[:300]},
            )


def on_completion(enrollment: Enrollment, *, actor: Any = None) -> None:
    """Called inside the completion's transaction: issue once it has committed (nothing is
    scheduled when the district does not issue for completions)."""
    if not IssuerProfile.objects.filter(
        district_id=enrollment.district_id, issue_for_completions=True
    ).exists():
        return
    transaction.on_commit(lambda: issue_for_completion(enrollment, actor=actor))

"""District PD leaders edit the assessment settings and the assessor pool (qualifications)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.models import Membership, Role
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.microcredentials.models import AssessmentSettings, AssessorQualification
from trellis.microcredentials.queries.assessor_pool import settings_for

# field: (label, lowest, highest)
NUMBERS = {
    "turnaround_days": ("Turnaround (days)", 1, 90),
    "max_attempts": ("Attempts allowed", 1, 10),
    "coaching_after_attempts": ("Offer coaching after", 0, 10),
    "double_score_percent": ("Double-scored share (%)", 0, 100),
}
SWITCHES = ("blind_assessment", "exclude_same_school", "exclude_own_coach")


def _require(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        raise PermissionDenied("Only district PD leaders change assessment settings.")


def _whole(value: Any, field: str) -> int:
    label, low, high = NUMBERS[field]
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise DomainError(
            "invalid_setting",
            f"{label} must be a whole number from {low} to {high}.",
            details={"field": field},
        )
    return number


@transaction.atomic
def update_settings(*, access: DistrictAccess, actor: Any, **values: Any) -> AssessmentSettings:
    """Change any of the numbers and switches; every value is checked before anything is saved."""
    _require(access)
    unknown = set(values) - set(NUMBERS) - set(SWITCHES)
    if unknown:
        raise DomainError("invalid_setting", f"Unknown setting: {', '.join(sorted(unknown))}.")
    cleaned = {f: _whole(v, f) for f, v in values.items() if f in NUMBERS}
    cleaned |= {f: bool(v) for f, v in values.items() if f in SWITCHES}
    settings = AssessmentSettings.objects.select_for_update().get(
        pk=settings_for(access.district).pk
    )
    before = {f: getattr(settings, f) for f in cleaned}
    for field, value in cleaned.items():
        setattr(settings, field, value)
    settings.updated_by = actor
    settings.save()
    audit.record(
        action="assessment_settings.updated",
        summary="Assessment settings changed",
        actor=actor,
        district=access.district,
        target=settings,
        data={"before": before, "after": cleaned},
    )
    return settings


@transaction.atomic
def add_qualification(
    *,
    access: DistrictAccess,
    actor: Any,
    assessor: Any,
    competency: FrameworkItem | None,
    note: str = "",
) -> AssessorQualification:
    """Qualify an assessor for one competency (None: any). The person must hold an active
    assessor role in the district; re-adding a removed qualification reactivates it."""
    _require(access)
    if not Membership.objects.filter(
        district=access.district, user=assessor, role=Role.ASSESSOR, is_active=True
    ).exists():
        raise DomainError(
            "not_an_assessor",
            "Give this person the assessor role first (People → invitations and roles).",
            details={"field": "assessor"},
        )
    if competency is not None and competency.framework.district_id not in (
        None,
        access.district.pk,
    ):
        raise Http404("No such competency.")
    note = str(note or "").strip()
    if len(note) > 300:
        raise DomainError(
            "invalid_note",
            "The note is too long (at most 300 characters).",
            details={"field": "note"},
        )
    existing = AssessorQualification.objects.filter(
        district=access.district, assessor=assessor, competency=competency
    ).first()
    if existing is not None and existing.is_active:
        raise ConflictError(
            "already_qualified", f"{assessor.full_name} already holds this qualification."
        )
    if existing is not None:
        existing.is_active, existing.note = True, note or existing.note
        existing.save(update_fields=["is_active", "note", "updated_at"])
        qualification = existing
    else:
        try:
            with transaction.atomic():
                qualification = AssessorQualification.objects.create(
                    district=access.district, assessor=assessor, competency=competency, note=note
                )
        except IntegrityError:
            raise ConflictError(
                "already_qualified", f"{assessor.full_name} already holds this qualification."
            ) from None
    audit.record(
        action="assessor_qualification.added",
        summary=f"{assessor.email} may assess "
        + (f"“{competency.title}”" if competency else "any competency"),
        actor=actor,
        subject=assessor,
        district=access.district,
        target=qualification,
    )
    return qualification


@transaction.atomic
def remove_qualification(
    *, access: DistrictAccess, actor: Any, qualification: AssessorQualification
) -> AssessorQualification:
    """Deactivate (kept for the history of who assessed what); open assignments stay."""
    _require(access)
    if qualification.district_id != access.district.pk:
        raise Http404("No such qualification.")
    if not qualification.is_active:
        raise ConflictError("already_removed", "This qualification was already removed.")
    qualification.is_active = False
    qualification.save(update_fields=["is_active", "updated_at"])
    audit.record(
        action="assessor_qualification.removed",
        summary=f"{qualification.assessor.email} no longer assesses "
        + (f"“{qualification.competency.title}”" if qualification.competency else "any competency"),
        actor=actor,
        subject=qualification.assessor,
        district=access.district,
        target=qualification,
    )
    return qualification
